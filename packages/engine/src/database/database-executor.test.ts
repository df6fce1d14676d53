import { copyFileSync, readdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Column, PipelineGraph, Result } from "@sluice/model";
import { chooseEngine, compileGraph, postgresDialect, type DataFileInfo, type PipelineEnvironment } from "@sluice/pipeline";
import { createConnectors } from "../connectors/connectors.ts";
import { describePostgresSource } from "../connectors/postgres-source.ts";
import { sampleHttpSource } from "../connectors/http-source.ts";
import { json, startTestServer } from "../connectors/testing/test-http-server.ts";
import { createTestDatabase, type TestDatabase } from "../connectors/testing/test-postgres.ts";
import { engineFolders } from "../testing/engine-fixtures.ts";
import { executePipeline, type ExecutionResult } from "../executor.ts";
import type { ExecutionEvent } from "../execution-events.ts";
import { executeInDatabase } from "./database-executor.ts";

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), "../../../pipeline/fixtures");
const CONN = "00000000-0000-4000-8000-00000000c0de";
const ORDERS = "f1c5f1c5-0000-4000-8000-000000000001";
const CUSTOMERS = "f1c5f1c5-0000-4000-8000-000000000002";

let db: TestDatabase;
let f: ReturnType<typeof engineFolders>;
let files: DataFileInfo[];
let runs = 0;
let api: Awaited<ReturnType<typeof startTestServer>>;
/** The test's own HTTP server is on 127.0.0.1, which the address guard refuses unless allowed. */
const HTTP_GUARD = { allowlist: ["127.0.0.1"] };
/** Records with hostile keys and values a CSV must carry exactly: quotes, commas, newlines, empty text vs null, tiny and huge numbers, JSON. */
const RECORDS = [
  { id: 1, 'we"ird, key': 'say "hi",\nthen go', amount: 0.1, big: 2147483648000, ok: true, tags: ["a", 1, null], at: "2024-02-29T23:59:59.123456" },
  { id: 2, 'we"ird, key': "", amount: -1e-7, big: -42, ok: false, tags: [], at: "1999-12-31T00:00:00" },
  { id: 3, 'we"ird, key': null, amount: 12345678.901234, big: null, ok: null, tags: { "k;": "ü" }, at: null },
];

const node = (id: string, type: string, config: Record<string, unknown>) => ({ id, type, position: { x: 0, y: 0 }, config });
const pgSource = (id: string, table: string) => node(id, "postgres", { connectionId: CONN, mode: "table", schema: "warehouse", table, sql: "" });
const pgSink = (id: string, table: string, mode = "replace", keys: string[] = []) => node(id, "postgres-sink", { connectionId: CONN, schema: "warehouse", table, mode, keys });

/** What the server would know: the uploaded files, and each postgres source's columns as the database describes them. */
async function environmentFor(g: PipelineGraph): Promise<PipelineEnvironment> {
  const columns = new Map<string, Result<Column[]>>();
  for (const n of g.nodes.filter((x) => x.type === "postgres")) columns.set(n.id, await describePostgresSource(db.settings, n.config, n.id));
  for (const n of g.nodes.filter((x) => x.type === "http")) columns.set(n.id, await sampleHttpSource(n.config, HTTP_GUARD, n.id));
  return { file: (id) => files.find((x) => x.id === id), sourceColumns: (id) => columns.get(id) };
}

async function runOnDuckdb(g: PipelineGraph, onEvent: (e: ExecutionEvent) => void = () => undefined): Promise<ExecutionResult> {
  const c = compileGraph(g, await environmentFor(g));
  if (!c.ok) throw new Error(JSON.stringify(c.issues));
  const run = `duck-${++runs}`;
  return executePipeline(c.value, {
    engine: f.engine,
    workDir: path.join(f.work, run),
    connectors: createConnectors({ http: HTTP_GUARD, outputDir: path.join(f.outputs, run) }),
    connection: async () => db.settings,
    runId: run,
    onEvent,
  });
}

async function runInDatabase(g: PipelineGraph, o: { signal?: AbortSignal; onEvent?: (e: ExecutionEvent) => void | Promise<void> } = {}): Promise<ExecutionResult> {
  const env = await environmentFor(g);
  const choice = chooseEngine(g, env);
  if (!choice.ok || choice.value.engine !== "database") throw new Error(`not in the database: ${JSON.stringify(choice)}`);
  const c = compileGraph(g, env, { dialect: postgresDialect });
  if (!c.ok) throw new Error(JSON.stringify(c.issues));
  const run = `db-${++runs}`;
  // File and HTTP sources are read as on DuckDB (engine "database" stages them); the work folder is the run's own.
  const staging = { engine: f.engine, workDir: path.join(f.work, run), connectors: createConnectors({ http: HTTP_GUARD, outputDir: path.join(f.outputs, run) }), connection: async () => db.settings };
  return executeInDatabase(c.value, { settings: db.settings, runId: run, signal: o.signal, staging, onEvent: o.onEvent ?? (() => undefined), lockTimeoutMs: 20_000 });
}

/** A table's rows as PostgreSQL's JSON text, in the order given, and its column types. */
async function contents(table: string, order = "1") {
  const name = `warehouse."${table.replaceAll('"', '""')}"`;
  const rows = await db.sql<{ j: string }>(`SELECT row_to_json(t)::text AS j FROM ${name} t ORDER BY ${order}`);
  const types = await db.sql<{ c: string; t: string }>(`SELECT column_name AS c, data_type AS t FROM information_schema.columns WHERE table_schema = 'warehouse' AND table_name = $1 ORDER BY ordinal_position`, [table]);
  return { rows: rows.map((r) => r.j), types: types.map((r) => `${r.c} ${r.t}`) };
}

/** The messy-orders demo as seeded (its two file sources), writing to `target`; set to run in the database when asked. */
function demoFromFiles(target: string, engine?: PipelineGraph["engine"]): PipelineGraph {
  const file = JSON.parse(readFileSync(path.join(FIXTURES, "pipelines/demo.sluice.json"), "utf8")) as { graph: PipelineGraph };
  const nodes = file.graph.nodes.map((n) => (n.id === "load" ? pgSink("load", target) : n));
  return { ...file.graph, nodes, ...(engine ? { engine } : {}) };
}

/** The messy-orders demo, reading its files' rows from PostgreSQL tables instead, writing to `target`. */
function demo(target: string): PipelineGraph {
  const file = JSON.parse(readFileSync(path.join(FIXTURES, "pipelines/demo.sluice.json"), "utf8")) as { graph: PipelineGraph };
  const nodes = file.graph.nodes.map((n) => (n.id === "orders" ? pgSource("orders", "orders") : n.id === "customers" ? pgSource("customers", "customers") : n.id === "load" ? pgSink("load", target) : n));
  return { ...file.graph, nodes };
}

beforeAll(async () => {
  api = await startTestServer({ "/records": json({ data: RECORDS }) });
  db = await createTestDatabase("sluice_in_db");
  await db.sql("CREATE SCHEMA warehouse");
  f = engineFolders("in-db");
  const env = JSON.parse(readFileSync(path.join(FIXTURES, "environment.json"), "utf8")) as { files: Record<string, Omit<DataFileInfo, "id" | "path">> };
  files = [ORDERS, CUSTOMERS].map((id) => {
    const meta = env.files[id]!;
    const to = path.join(f.files, meta.name);
    copyFileSync(path.join(FIXTURES, "data", meta.name), to);
    return { ...meta, id, path: to };
  });
  // The demo's files, loaded into PostgreSQL tables by Sluice itself (on DuckDB: a file source is read by the worker).
  const load: PipelineGraph = {
    formatVersion: 1,
    nodes: [
      node("o", "file", { fileId: ORDERS, types: "text" }),
      node("c", "file", { fileId: CUSTOMERS }),
      pgSink("lo", "orders", "create"),
      pgSink("lc", "customers", "create"),
    ],
    edges: [
      { id: "e1", source: "o", target: "lo" },
      { id: "e2", source: "c", target: "lc" },
    ],
  };
  const r = await runOnDuckdb(load);
  expect(r, JSON.stringify(r)).toMatchObject({ ok: true, rowsWritten: 55 });
}, 60_000);

afterAll(async () => {
  await api?.close();
  await db?.drop();
  f?.remove();
});

/**
 * The demo's target tables hold the same rows and types, exactly but for the last bits of a sum of doubles, which
 * depends on the order rows are added in: DuckDB's hash join feeds the group in another order than PostgreSQL's
 * (6763.019999999999 there, 6763.02 here). Every other value, and the row count and order, is compared exactly.
 */
async function expectSameRevenue(duckTable: string, dbTable: string) {
  const [a, b] = [await contents(duckTable), await contents(dbTable)];
  expect(b.rows.length).toBeGreaterThan(3);
  expect(b.types).toEqual(a.types);
  const parsed = (rows: string[]) => rows.map((r) => JSON.parse(r) as { country: string; revenue: number; orders: number });
  const [x, y] = [parsed(a.rows), parsed(b.rows)];
  expect(y.map(({ revenue: _, ...r }) => r)).toEqual(x.map(({ revenue: _, ...r }) => r));
  y.forEach((r, i) => expect(Math.abs(r.revenue - x[i]!.revenue)).toBeLessThanOrEqual(Math.abs(r.revenue) * 1e-14));
}

describe("executeInDatabase", () => {
  it("runs the messy-orders demo inside PostgreSQL with exactly the rows, types and per-node counts of the DuckDB path", async () => {
    const duck = await runOnDuckdb(demo("revenue_duckdb"));
    expect(duck, JSON.stringify(duck)).toMatchObject({ ok: true });
    const events: ExecutionEvent[] = [];
    const inDb = await runInDatabase(demo("revenue_db"), { onEvent: (e) => void events.push(e) });
    expect(inDb, JSON.stringify(inDb)).toMatchObject({ ok: true, rowsRead: duck.ok ? duck.rowsRead : -1, rowsWritten: duck.ok ? duck.rowsWritten : -1 });
    await expectSameRevenue("revenue_duckdb", "revenue_db");
    // Every node is recorded with its rows; where DuckDB counted a node (it streams some), the counts agree.
    const counted = new Map(duck.nodes.map((n) => [n.nodeId, n.rowsOut]));
    expect(inDb.nodes.map((n) => n.nodeId).sort()).toEqual([...counted.keys()].sort());
    for (const n of inDb.nodes) {
      expect(n.status).toBe("succeeded");
      expect(n.rowsOut).not.toBeNull();
      if (counted.get(n.nodeId) !== null) expect([n.nodeId, n.rowsOut]).toEqual([n.nodeId, counted.get(n.nodeId)]);
    }
    expect(events.some((e) => e.type === "log" && e.message.includes("inside the database"))).toBe(true);
    // Nothing of the run stays behind but its targets and the load ledger.
    const temp = await db.sql("SELECT 1 FROM pg_class WHERE relname LIKE 's\\_%' AND relpersistence = 't'");
    expect(temp).toEqual([]);
  }, 60_000);

  it("set to run in the database, copies the demo's files into temporary tables (COPY) and gives exactly the DuckDB path's rows", async () => {
    const duck = await runOnDuckdb(demoFromFiles("revenue_files_duckdb"));
    expect(duck, JSON.stringify(duck)).toMatchObject({ ok: true });
    const events: ExecutionEvent[] = [];
    let elsewhere: { tables: unknown[]; runs: unknown[] } | undefined;
    const inDb = await runInDatabase(demoFromFiles("revenue_files_db", "database"), {
      onEvent: async (e) => {
        events.push(e);
        // While the run waits here, in its transaction, another session finds no staged table at all: they are
        // temporary tables the run's uncommitted transaction made, so not even their names are visible.
        if (e.type === "node" && e.nodeId === "clean" && e.status === "running") {
          elsewhere = {
            tables: await db.sql("SELECT relname FROM pg_class WHERE relname IN ('s_orders_out', 's_customers_out')"),
            runs: await db.sql("SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND state = 'idle in transaction'"),
          };
        }
      },
    });
    expect(inDb, JSON.stringify(inDb)).toMatchObject({ ok: true, rowsRead: duck.ok ? duck.rowsRead : -1, rowsWritten: duck.ok ? duck.rowsWritten : -1 });
    await expectSameRevenue("revenue_files_duckdb", "revenue_files_db");
    // The staged sources say where they ran; every node has its rows, as on DuckDB where DuckDB counted them.
    const staged = events.filter((e) => e.type === "node" && e.ranIn === "database-staged").map((e) => e.type === "node" && `${e.nodeId} ${e.status}`);
    expect(staged).toEqual(["orders running", "orders succeeded", "customers running", "customers succeeded"]);
    const counted = new Map(duck.nodes.map((n) => [n.nodeId, n.rowsOut]));
    for (const n of inDb.nodes) {
      expect(n.status).toBe("succeeded");
      if (counted.get(n.nodeId) !== null) expect([n.nodeId, n.rowsOut]).toEqual([n.nodeId, counted.get(n.nodeId)]);
    }
    expect(elsewhere).toEqual({ tables: [], runs: [{ "?column?": 1 }] });
    // Nothing of the run stays behind: no temporary table, no staged CSV in the run's work folder.
    expect(await db.sql("SELECT 1 FROM pg_class WHERE relname LIKE 's\\_%' AND relpersistence = 't'")).toEqual([]);
    expect(readdirSync(f.work)).toEqual([]);
  }, 60_000);

  it("set to run in the database, copies an HTTP API's records in with every value and type exactly as the DuckDB path writes them", async () => {
    const copy = (target: string, engine?: PipelineGraph["engine"]): PipelineGraph => ({
      formatVersion: 1,
      ...(engine ? { engine } : {}),
      nodes: [node("api", "http", { url: `${api.base}/records`, method: "GET", recordsPath: "data" }), pgSink("out", target, "create")],
      edges: [{ id: "e1", source: "api", target: "out" }],
    });
    const duck = await runOnDuckdb(copy("api_duckdb"));
    expect(duck, JSON.stringify(duck)).toMatchObject({ ok: true, rowsWritten: 3 });
    const events: ExecutionEvent[] = [];
    const inDb = await runInDatabase(copy("api_db", "database"), { onEvent: (e) => void events.push(e) });
    expect(inDb, JSON.stringify(inDb)).toMatchObject({ ok: true, rowsRead: 3, rowsWritten: 3 });
    const [a, b] = [await contents("api_duckdb", "id"), await contents("api_db", "id")];
    expect(b.types).toEqual(a.types);
    expect(b.types, JSON.stringify(b)).toContain("big bigint");
    expect(b.rows).toEqual(a.rows);
    expect(b.rows[0]).toContain('"we\\"ird, key":"say \\"hi\\",\\nthen go"');
    expect(events.some((e) => e.type === "node" && e.nodeId === "api" && e.status === "succeeded" && e.ranIn === "database-staged" && e.rowsOut === 3)).toBe(true);
  }, 30_000);

  it("a run in the database cancelled while it copies a file in, or failing there, leaves the target as it was", async () => {
    await db.sql("CREATE TABLE warehouse.revenue_kept (country text, revenue double precision, orders bigint); INSERT INTO warehouse.revenue_kept VALUES ('Kept', 1, 1)");
    const before = await contents("revenue_kept");
    const abort = new AbortController();
    const g = { ...demoFromFiles("revenue_kept", "database") };
    g.nodes = g.nodes.map((n) => (n.id === "load" ? pgSink("load", "revenue_kept", "replace") : n));
    const cancelled = await runInDatabase(g, {
      signal: abort.signal,
      onEvent: (e) => {
        if (e.type === "node" && e.nodeId === "customers" && e.status === "running") abort.abort();
      },
    });
    expect(cancelled).toMatchObject({ ok: false, code: "RUN_CANCELLED", cancelled: true });
    expect(await contents("revenue_kept")).toEqual(before);
    // The orders file went missing after validation: the copy fails and nothing is written.
    const broken = path.join(f.files, "orders-gone.csv");
    copyFileSync(files[0]!.path, broken);
    const saved = files[0]!;
    files[0] = { ...saved, path: broken };
    try {
      rmSync(broken);
      const failed = await runInDatabase(g);
      expect(failed).toMatchObject({ ok: false, nodeId: "orders", cancelled: false });
      expect(failed.nodes.find((n) => n.nodeId === "orders")?.status).toBe("failed");
    } finally {
      files[0] = saved;
    }
    expect(await contents("revenue_kept")).toEqual(before);
    expect(await db.sql("SELECT 1 FROM pg_class WHERE relname LIKE 's\\_%' AND relpersistence = 't'")).toEqual([]);
    expect(readdirSync(f.work)).toEqual([]);
  }, 60_000);

  it("reads and writes hostile names and every type as the DuckDB path does: create, then upsert into the table", async () => {
    await db.sql(`CREATE TABLE warehouse."we""ird src" ("select" integer, "a""b" text, "ünï cödé" numeric(10,2), "x; drop table y" timestamptz, "doc" jsonb, "d" double precision, "n" numeric)`);
    await db.sql(`INSERT INTO warehouse."we""ird src" VALUES (1, 'say "hi"', 12.34, '2024-01-01 10:00:00+02', '{"k": [1, "ü"]}', 1.5, 123.4567891234), (2, NULL, NULL, NULL, NULL, 'NaN', NULL), (3, '', -0.5, '1999-12-31 23:59:59.123456+00', '[]', '-Infinity', 1)`);
    const copy = (target: string, mode = "create", keys: string[] = []): PipelineGraph => ({
      formatVersion: 1,
      nodes: [pgSource("src", 'we"ird src'), pgSink("out", target, mode, keys)],
      edges: [{ id: "e1", source: "src", target: "out" }],
    });
    const [duck, inDb] = [await runOnDuckdb(copy('t"duck')), await runInDatabase(copy('t"db'))];
    expect(duck, JSON.stringify(duck)).toMatchObject({ ok: true, rowsWritten: 3 });
    expect(inDb, JSON.stringify(inDb)).toMatchObject({ ok: true, rowsWritten: 3 });
    expect(await contents('t"db')).toEqual(await contents('t"duck'));
    await db.sql(`CREATE UNIQUE INDEX ON warehouse."t""db" ("select"); CREATE UNIQUE INDEX ON warehouse."t""duck" ("select")`);
    await db.sql(`UPDATE warehouse."we""ird src" SET "a""b" = 'changed' WHERE "select" = 2`);
    const [duck2, inDb2] = [await runOnDuckdb(copy('t"duck', "upsert", ["select"])), await runInDatabase(copy('t"db', "upsert", ["select"]))];
    expect([duck2.ok, inDb2.ok], JSON.stringify(inDb2)).toEqual([true, true]);
    expect(await contents('t"db')).toEqual(await contents('t"duck'));
    expect((await contents('t"db')).rows.filter((r) => r.includes("changed"))).toHaveLength(1);
  }, 30_000);

  const twoSinks = (second: ReturnType<typeof pgSink>): PipelineGraph => ({
    formatVersion: 1,
    nodes: [pgSource("src", "customers"), pgSink("a", "target_a"), second],
    edges: [
      { id: "e1", source: "src", target: "a" },
      { id: "e2", source: "src", target: second.id },
    ],
  });

  async function targets() {
    return { a: await contents("target_a"), b: await contents("target_b"), ledger: await db.sql("SELECT run_id FROM warehouse._sluice_loads WHERE node_id IN ('a', 'b')") };
  }

  it("says how many values of each column became null exactly as the DuckDB path does (there counted again from the input, here from the stored output)", async () => {
    await db.sql(
      `CREATE TABLE warehouse.amounts (id text, "Amount (EUR)" text, at text); INSERT INTO warehouse.amounts VALUES ('1', '400,19', '2024-01-02'), ('2', NULL, 'soon'), (NULL, ' 12.5 ', NULL), ('x', '7', '2024-02-30'), ('5', '', '2024-03-01')`,
    );
    const retype = { columns: [{ column: "id", to: "integer" }, { column: "Amount (EUR)", to: "double" }, { column: "at", to: "date" }] };
    const g = (target: string): PipelineGraph => ({
      formatVersion: 1,
      nodes: [pgSource("src", "amounts"), { ...node("types", "retype", retype), typeVersion: 2 }, node("pick", "select", { mode: "drop", columns: [] }), pgSink("out", target, "create")],
      edges: [
        { id: "e1", source: "src", target: "types" },
        { id: "e2", source: "types", target: "pick" },
        { id: "e3", source: "pick", target: "out" },
      ],
    });
    const warnings = (events: ExecutionEvent[]) => events.flatMap((e) => (e.type === "log" && e.level === "warn" ? [`${e.nodeId ?? ""}: ${e.message}`] : []));
    const duck: ExecutionEvent[] = [];
    const inDb: ExecutionEvent[] = [];
    expect(await runOnDuckdb(g("amounts_duckdb"), (e) => void duck.push(e))).toMatchObject({ ok: true, rowsWritten: 5 });
    expect(await runInDatabase(g("amounts_db"), { onEvent: (e) => void inDb.push(e) })).toMatchObject({ ok: true, rowsWritten: 5 });
    expect(warnings(inDb)).toEqual([
      "types: 1 of 4 values of id became null: they do not convert.",
      "types: 2 of 4 values of Amount (EUR) became null: they do not convert.",
      "types: 2 of 4 values of at became null: they do not convert.",
    ]);
    expect(warnings(duck)).toEqual(warnings(inDb));
  }, 30_000);

  it("a run that fails after one sink has written leaves every target as it was", async () => {
    await db.sql("CREATE TABLE warehouse.target_a (customer_id text, name text, country text, signup_date date); INSERT INTO warehouse.target_a VALUES ('X1', 'kept', 'Nowhere', '2020-01-01')");
    await db.sql("CREATE TABLE warehouse.target_b (customer_id text, name text, country text, signup_date date); INSERT INTO warehouse.target_b VALUES ('X2', 'kept too', 'Nowhere', '2020-01-01')");
    await db.sql("CREATE TABLE IF NOT EXISTS warehouse._sluice_loads (run_id text NOT NULL, node_id text NOT NULL, loaded_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (run_id, node_id))");
    const before = await targets();
    // "a" replaces its target; then "b", mode create, finds target_b exists and fails.
    const r = await runInDatabase(twoSinks(pgSink("b", "target_b", "create")));
    expect(r).toMatchObject({ ok: false, code: "TARGET_EXISTS", nodeId: "b", cancelled: false });
    expect(r.nodes.find((n) => n.nodeId === "a")).toMatchObject({ status: "cancelled" });
    expect(await targets()).toEqual(before);
  }, 30_000);

  it("a run cancelled while a sink waits leaves every target as it was, and stops at once", async () => {
    const before = await targets();
    // Another session holds target_b, so "b" (append) waits after "a" has replaced target_a in the run's transaction.
    const holder = new pg.Client({ ...db.settings, ssl: false });
    await holder.connect();
    try {
      await holder.query("BEGIN");
      await holder.query("LOCK TABLE warehouse.target_b IN ACCESS EXCLUSIVE MODE");
      const abort = new AbortController();
      const started = Date.now();
      const r = await runInDatabase(twoSinks(pgSink("b", "target_b", "append")), {
        signal: abort.signal,
        onEvent: (e) => {
          if (e.type === "node" && e.nodeId === "b" && e.status === "running") setTimeout(() => abort.abort(), 300);
        },
      });
      expect(r).toMatchObject({ ok: false, code: "RUN_CANCELLED", cancelled: true });
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(r.nodes.find((n) => n.nodeId === "a")?.status).toBe("cancelled");
    } finally {
      await holder.query("ROLLBACK");
      await holder.end();
    }
    expect(await targets()).toEqual(before);
    // The backend is free again: no statement of the run is left waiting.
    expect(await db.sql("SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'")).toEqual([]);
  }, 30_000);
});
