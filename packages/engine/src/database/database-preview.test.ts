import { copyFileSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Column, PipelineGraph, PreviewResponse, Result } from "@sluice/model";
import { relationName, ROW_ORDER_COLUMN, type CompiledPipeline, type DataFileInfo, type PipelineEnvironment } from "@sluice/pipeline";
import { createConnectors } from "../connectors/connectors.ts";
import { describePostgresSource } from "../connectors/postgres-source.ts";
import { createTestDatabase, type TestDatabase } from "../connectors/testing/test-postgres.ts";
import { engineFolders } from "../testing/engine-fixtures.ts";
import { PreviewService } from "../preview.ts";
import { previewInDatabase } from "./database-preview.ts";

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), "../../../pipeline/fixtures");
const CONN = "00000000-0000-4000-8000-00000000c0de";
const ORDERS = "f1c5f1c5-0000-4000-8000-000000000001";
const CUSTOMERS = "f1c5f1c5-0000-4000-8000-000000000002";

let db: TestDatabase;
let f: ReturnType<typeof engineFolders>;
let files: DataFileInfo[];
let service: PreviewService;

const node = (id: string, type: string, config: Record<string, unknown>) => ({ id, type, position: { x: 0, y: 0 }, config });
const pgSource = (id: string, table: string) => node(id, "postgres", { connectionId: CONN, mode: "table", schema: "warehouse", table, sql: "" });
const pgSink = (id: string, table: string, mode = "create") => node(id, "postgres-sink", { connectionId: CONN, schema: "warehouse", table, mode, keys: [] });

async function environmentFor(g: PipelineGraph): Promise<PipelineEnvironment> {
  const columns = new Map<string, Result<Column[]>>();
  for (const n of g.nodes.filter((x) => x.type === "postgres")) columns.set(n.id, await describePostgresSource(db.settings, n.config, n.id));
  return { file: (id) => files.find((x) => x.id === id), sourceColumns: (id) => columns.get(id) };
}

/** The seeded messy-orders demo (its two files), writing to a new table, on the engine asked for. */
function demo(engine: PipelineGraph["engine"]): PipelineGraph {
  const file = JSON.parse(readFileSync(path.join(FIXTURES, "pipelines/demo.sluice.json"), "utf8")) as { graph: PipelineGraph };
  return { ...file.graph, engine, nodes: file.graph.nodes.map((n) => (n.id === "load" ? pgSink("load", "revenue_preview") : n)) };
}

const preview = async (g: PipelineGraph, nodeId: string, limit = 100): Promise<PreviewResponse> => service.preview({ graph: g, nodeId, limit, env: await environmentFor(g) });
const tables = () => db.sql<{ t: string }>("SELECT tablename AS t FROM pg_tables WHERE schemaname = 'warehouse' ORDER BY 1");

beforeAll(async () => {
  db = await createTestDatabase("sluice_db_preview");
  await db.sql("CREATE SCHEMA warehouse");
  await db.sql("CREATE TABLE warehouse.numbers AS SELECT g AS n, (g % 7)::text AS bucket, g % 2 = 0 AS even FROM generate_series(1, 50) AS g");
  f = engineFolders("db-preview");
  const env = JSON.parse(readFileSync(path.join(FIXTURES, "environment.json"), "utf8")) as { files: Record<string, Omit<DataFileInfo, "id" | "path">> };
  files = [ORDERS, CUSTOMERS].map((id) => {
    const meta = env.files[id]!;
    const to = path.join(f.files, meta.name);
    copyFileSync(path.join(FIXTURES, "data", meta.name), to);
    return { ...meta, id, path: to };
  });
  service = new PreviewService({ engine: f.engine, workDir: f.work, connectors: createConnectors({ http: {}, outputDir: f.outputs }), connection: async () => db.settings, loadRows: 20 });
}, 60_000);

afterAll(async () => {
  await service?.close();
  await db?.drop();
  f?.remove();
});

describe("previews of pipelines that run in the database", () => {
  it("run inside PostgreSQL, say so, and show the DuckDB preview's rows; the sink's target is never written", async () => {
    for (const nodeId of ["clean", "retype", "load"]) {
      const [duck, inDb] = [await preview(demo("duckdb"), nodeId), await preview(demo("database"), nodeId)];
      expect(duck.problems.filter((p) => p.severity === "error")).toEqual([]);
      expect(inDb.problems.filter((p) => p.severity === "error"), nodeId).toEqual([]);
      expect([duck.engine, inDb.engine]).toEqual(["duckdb", "database"]);
      expect(inDb.columns).toEqual(duck.columns);
      expect(inDb.rowCount).toBe(duck.rowCount);
      expect(inDb.rows.length).toBeGreaterThan(3);
      // The demo's revenue is a sum of doubles: the database adds them in another order (see database-executor.test.ts).
      const round = (rows: Record<string, unknown>[]) => rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === "number" ? Number(v.toPrecision(12)) : v])));
      expect(round(inDb.rows), nodeId).toEqual(round(duck.rows));
      expect(Object.keys(inDb.profile)).toEqual(Object.keys(duck.profile));
      for (const [name, p] of Object.entries(inDb.profile)) expect([name, p.nulls, p.distinct]).toEqual([name, duck.profile[name]!.nulls, duck.profile[name]!.distinct]);
    }
    // Previewing the sink (mode create) made no table, and the staged files left nothing behind.
    expect(await tables()).toEqual([{ t: "numbers" }]);
    expect(readdirSync(f.work).filter((d) => d.startsWith("preview-db-"))).toEqual([]);
    expect(await db.sql("SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND state <> 'idle' AND pid <> pg_backend_pid()")).toEqual([]);
  }, 60_000);

  it("cuts each table source to its first rows with LIMIT (loadRows, as on DuckDB), and says so", async () => {
    const g: PipelineGraph = {
      formatVersion: 1,
      engine: "auto",
      nodes: [pgSource("src", "numbers"), node("keep", "filter", { condition: { kind: "group", op: "and", conditions: [{ kind: "rule", column: "even", operator: "=", value: true }] } }), pgSink("out", "numbers_out")],
      edges: [
        { id: "e1", source: "src", target: "keep" },
        { id: "e2", source: "keep", target: "out" },
      ],
    };
    const r = await preview(g, "keep", 5);
    expect(r.problems.filter((p) => p.severity === "error")).toEqual([]);
    expect(r).toMatchObject({ engine: "database", rowCount: 10, sampled: { sourceRows: 20 } });
    expect(r.rows).toEqual([2, 4, 6, 8, 10].map((n) => ({ n, bucket: String(n % 7), even: true })));
    expect(r.profile.n).toMatchObject({ nulls: 0, distinct: 10, min: "2", max: "20" });
    expect(r.profile.even).toMatchObject({ min: "true", max: "true" });
  }, 30_000);

  it("runs the pipeline's SQL read-only: a step that would write is refused and rolled back", async () => {
    const order = `"${ROW_ORDER_COLUMN}"`;
    const columns: Column[] = [{ name: "n", type: "integer" }];
    // Hand-made, as no node compiles to it: a step whose SQL inserts into a table, as a data-modifying CTE would.
    const compiled: CompiledPipeline = {
      steps: [
        {
          nodeId: "w",
          type: "test",
          label: "w",
          step: { kind: "query", outputs: { out: `INSERT INTO warehouse.numbers (n) VALUES (999) RETURNING n, 1::bigint AS ${order}` } },
          relations: { out: relationName("w", "out") },
          inputRelations: {},
          inputs: {},
          outputs: { out: columns },
          keepsRowCount: true,
          recompute: null,
        },
      ],
    };
    const staging = { engine: f.engine, workDir: path.join(f.work, "never"), connectors: createConnectors({ http: {}, outputDir: f.outputs }), connection: async () => db.settings };
    const r = await previewInDatabase(compiled, { nodeId: "w" }, { settings: db.settings, staging, limit: 10, policy: { sourceRows: undefined, loadRows: 10, nonDrivingLoadRows: 10, nonDriving: new Set() }, timeoutMs: 10_000 });
    expect(r, JSON.stringify(r)).toMatchObject({ ok: false, code: "PREVIEW_WOULD_WRITE", nodeId: "w" });
    expect(await db.sql("SELECT count(*)::int AS n FROM warehouse.numbers")).toEqual([{ n: 50 }]);
  }, 30_000);

  it("reads a table source only once the transaction is read-only: a view with a side effect that a rollback cannot undo refuses the preview", async () => {
    // A sequence moved by nextval stays moved after ROLLBACK; only READ ONLY stops it. The source is cut (loadRows),
    // so its rows are counted first: that count must run read-only too.
    await db.sql("CREATE SEQUENCE warehouse.ticket");
    await db.sql("CREATE VIEW warehouse.tickets AS SELECT nextval('warehouse.ticket') AS n FROM generate_series(1, 50)");
    const g: PipelineGraph = {
      formatVersion: 1,
      engine: "database",
      nodes: [pgSource("src", "tickets"), pgSink("out", "tickets_out")],
      edges: [{ id: "e1", source: "src", target: "out" }],
    };
    const r = await preview(g, "src", 5);
    expect(r.problems.map((p) => p.code)).toContain("PREVIEW_WOULD_WRITE");
    expect(await db.sql("SELECT is_called FROM warehouse.ticket")).toEqual([{ is_called: false }]);
    await db.sql("DROP VIEW warehouse.tickets; DROP SEQUENCE warehouse.ticket");
  }, 30_000);
});
