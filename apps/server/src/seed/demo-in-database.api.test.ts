import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import pg from "pg";
import type { PipelineGraph } from "@sluice/model";
import { createTestApp, type TestApp } from "../testing/test-app.ts";
import { waitForRun } from "../testing/wait-for-run.ts";
import { BUILT_IN_CONNECTION_ID } from "../connections/connection.repository.ts";
import { demoGraph } from "./demo-graph.ts";
import { DEMO_DIR } from "./seed-demo.ts";

let t: TestApp;
let ids: { ordersFileId: string; customersFileId: string; connectionId: string };

async function warehouse<R extends pg.QueryResultRow>(sql: string): Promise<R[]> {
  const c = new pg.Client({ connectionString: t.warehouse.url });
  await c.connect();
  try {
    return (await c.query<R>(sql)).rows;
  } finally {
    await c.end();
  }
}

/** A whole target table, every row in a fixed order as PostgreSQL's JSON text, and its column types. */
async function table(name: string) {
  const rows = await warehouse<{ j: string }>(`SELECT row_to_json(t)::text AS j FROM warehouse.${name} t ORDER BY row_to_json(t)::text`);
  const types = await warehouse<{ c: string }>(`SELECT column_name || ' ' || format_type(a.atttypid, a.atttypmod) AS c FROM information_schema.columns i JOIN pg_attribute a ON a.attrelid = ('warehouse.' || i.table_name)::regclass AND a.attname = i.column_name WHERE table_schema = 'warehouse' AND table_name = '${name}' ORDER BY ordinal_position`);
  return { rows: rows.map((r) => r.j), types: types.map((r) => r.c) };
}

/** Runs a new pipeline with this graph to the end. */
async function run(name: string, graph: object) {
  const created = await request(t.app).post("/api/pipelines").send({ name, graph });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const start = await request(t.app).post(`/api/pipelines/${created.body.id}/runs`).send({});
  expect(start.status, JSON.stringify(start.body)).toBe(202);
  const detail = await waitForRun(t.app, start.body.runId, undefined, 60_000);
  expect(detail.status, detail.error ?? "").toBe("succeeded");
  return detail;
}

const node = (id: string, type: string, config: Record<string, unknown>) => ({ id, type, position: { x: 0, y: 0 }, config });
const tableSource = (id: string, name: string) => node(id, "postgres", { connectionId: BUILT_IN_CONNECTION_ID, mode: "table", schema: "warehouse", table: name, sql: "" });

/** The seeded demo pipeline, writing to `target`, with its sources replaced where asked and the engine set. */
function demo(target: string, engine: PipelineGraph["engine"], sources: "files" | "tables"): PipelineGraph {
  const g = demoGraph(ids);
  const nodes = g.nodes.map((n) => {
    if (n.id === "load") return { ...n, config: { ...n.config, table: target } };
    if (sources === "tables" && n.id === "orders") return { ...tableSource("orders", "demo_orders"), label: n.label };
    if (sources === "tables" && n.id === "customers") return { ...tableSource("customers", "demo_customers"), label: n.label };
    return n;
  });
  return { ...g, engine, nodes };
}

beforeAll(async () => {
  t = await createTestApp({ startWorker: true });
  const upload = async (name: string) => {
    const file = await request(t.app).post("/api/files").attach("file", readFileSync(path.join(DEMO_DIR, name)), name);
    expect(file.status, JSON.stringify(file.body)).toBe(201);
    return file.body.id as string;
  };
  ids = { ordersFileId: await upload("orders.csv"), customersFileId: await upload("customers.csv"), connectionId: BUILT_IN_CONNECTION_ID };
  // The demo's files, first loaded into PostgreSQL tables as a user would: by a Sluice run (orders as text, like the demo reads them).
  await run("load the demo files", {
    formatVersion: 1,
    nodes: [
      node("o", "file", { fileId: ids.ordersFileId, types: "text" }),
      node("c", "file", { fileId: ids.customersFileId }),
      node("lo", "postgres-sink", { connectionId: BUILT_IN_CONNECTION_ID, schema: "warehouse", table: "demo_orders", mode: "create", keys: [] }),
      node("lc", "postgres-sink", { connectionId: BUILT_IN_CONNECTION_ID, schema: "warehouse", table: "demo_customers", mode: "create", keys: [] }),
    ],
    edges: [
      { id: "e1", source: "o", target: "lo" },
      { id: "e2", source: "c", target: "lc" },
    ],
  });
}, 120_000);
afterAll(async () => t?.close());

describe("the seeded messy-orders demo in the database", () => {
  it("from its files loaded into PostgreSQL tables, and from its files staged with COPY, gives exactly the DuckDB path's table", async () => {
    const duck = await run("demo on DuckDB", demo("revenue_duckdb", "duckdb", "files"));
    const inPlace = await run("demo in the database", demo("revenue_in_place", "database", "tables"));
    const staged = await run("demo staged", demo("revenue_staged", "database", "files"));
    expect([duck.engine?.engine, inPlace.engine?.engine, staged.engine?.engine]).toEqual(["duckdb", "database", "database"]);
    // Where each node ran, as the run page shows it: the files were copied in; everything else ran inside.
    const ranIn = (d: typeof staged) => Object.fromEntries(d.nodes.map((n) => [n.nodeId, n.ranIn]));
    expect(ranIn(staged)).toMatchObject({ orders: "database-staged", customers: "database-staged", clean: "database", join: "database", load: "database" });
    expect(ranIn(inPlace)).toMatchObject({ orders: "database", customers: "database", load: "database" });
    const expected = await table("revenue_duckdb");
    expect(expected.rows.length).toBeGreaterThan(3);
    expect(expected.types).toEqual(["country text", "revenue numeric(38,2)", "orders bigint"]);
    // Every row and value exactly, with the same column types (amounts are decimals, so sums are exact).
    expect(await table("revenue_in_place")).toEqual(expected);
    expect(await table("revenue_staged")).toEqual(expected);
    // Per-node rows recorded on every path; where DuckDB counted a node (it streams some), the counts agree.
    const rows = (d: typeof staged) => new Map(d.nodes.map((n) => [n.nodeId, n.rowsOut]));
    for (const d of [inPlace, staged]) {
      for (const [id, n] of rows(duck)) if (n !== null) expect([id, rows(d).get(id)]).toEqual([id, n]);
    }
  }, 120_000);

  it("previews it in the database, says so, shows the DuckDB preview's rows, and writes nothing", async () => {
    const before = await warehouse("SELECT tablename FROM pg_tables WHERE schemaname = 'warehouse' ORDER BY 1");
    const preview = async (g: PipelineGraph, nodeId: string) => {
      const r = await request(t.app).post("/api/preview").send({ graph: g, nodeId, limit: 100 });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      expect(r.body.problems.filter((p: { severity: string }) => p.severity === "error")).toEqual([]);
      return r.body as { engine: string; rows: unknown[]; rowCount: number };
    };
    for (const nodeId of ["retype", "join", "load"]) {
      const duck = await preview(demo("revenue_preview", "duckdb", "files"), nodeId);
      const staged = await preview(demo("revenue_preview", "database", "files"), nodeId);
      const inPlace = await preview(demo("revenue_preview", "database", "tables"), nodeId);
      expect([duck.engine, staged.engine, inPlace.engine]).toEqual(["duckdb", "database", "database"]);
      expect(staged.rows, nodeId).toEqual(duck.rows);
      expect(inPlace.rows, nodeId).toEqual(duck.rows);
      expect([staged.rowCount, inPlace.rowCount]).toEqual([duck.rowCount, duck.rowCount]);
    }
    expect(await warehouse("SELECT tablename FROM pg_tables WHERE schemaname = 'warehouse' ORDER BY 1")).toEqual(before);
  }, 120_000);
});
