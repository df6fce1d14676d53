import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import pg from "pg";
import { createTestApp, type TestApp } from "../testing/test-app.ts";
import { waitForRun } from "../testing/wait-for-run.ts";
import { BUILT_IN_CONNECTION_ID } from "../connections/connection.repository.ts";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ startWorker: true });
  await warehouse("CREATE TABLE warehouse.engine_src (id integer, name text); INSERT INTO warehouse.engine_src VALUES (1, ' ada '), (2, 'grace'), (3, NULL)");
}, 60_000);
afterAll(async () => t?.close());

async function warehouse(sql: string) {
  const c = new pg.Client({ connectionString: t.warehouse.url });
  await c.connect();
  try {
    return (await c.query(sql)).rows;
  } finally {
    await c.end();
  }
}

/** The warehouse table engine_src, names trimmed and upper-cased, into `table`; `source` may replace the table source. */
function graph(table: string, engine?: string, source?: object) {
  return {
    formatVersion: 1,
    ...(engine ? { engine } : {}),
    nodes: [
      source ?? { id: "src", type: "postgres", position: { x: 0, y: 0 }, config: { connectionId: BUILT_IN_CONNECTION_ID, mode: "table", schema: "warehouse", table: "engine_src" } },
      { id: "up", type: "clean", position: { x: 200, y: 0 }, config: { columns: [{ column: "name", operations: [{ op: "trim" }, { op: "case", to: "upper" }] }] } },
      { id: "sink", type: "postgres-sink", position: { x: 400, y: 0 }, config: { connectionId: BUILT_IN_CONNECTION_ID, schema: "warehouse", table, mode: "replace" } },
    ],
    edges: [
      { id: "e1", source: "src", target: "up" },
      { id: "e2", source: "up", target: "sink" },
    ],
  };
}

/** Runs a new pipeline with this graph to the end: the run and its log lines. */
async function run(g: object) {
  const created = await request(t.app).post("/api/pipelines").send({ name: `engine ${Math.random()}`, graph: g });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const start = await request(t.app).post(`/api/pipelines/${created.body.id}/runs`).send({});
  expect(start.status, JSON.stringify(start.body)).toBe(202);
  const detail = await waitForRun(t.app, start.body.runId);
  const events = await request(t.app).get(`/api/runs/${start.body.runId}/events`).buffer(true).parse((r, cb) => {
    let text = "";
    r.on("data", (c: Buffer) => (text += c.toString()));
    r.on("end", () => cb(null, text));
  });
  const logs = [...(events.body as string).matchAll(/"message":"((?:[^"\\]|\\.)*)"/g)].map((m) => JSON.parse(`"${m[1]}"`) as string);
  return { detail, logs };
}

describe("a run's engine", () => {
  it("auto runs a pipeline whose every source and sink is on one PostgreSQL connection inside the database, with per-node rows", async () => {
    const validation = await request(t.app).post("/api/pipelines/validate").send({ graph: graph("engine_auto") });
    expect(validation.body.engine).toMatchObject({ engine: "database", setting: "auto", reason: "every source and sink is on one PostgreSQL connection and every node can run there", notPushable: [] });
    expect(validation.body.database).toEqual({ unavailable: null, notPushable: [] });
    const { detail, logs } = await run(graph("engine_auto"));
    expect(detail.status, detail.error ?? "").toBe("succeeded");
    expect(logs.some((l) => l.startsWith("Runs in the database: every source and sink is on one PostgreSQL connection"))).toBe(true);
    expect(logs.some((l) => l.includes("inside the database"))).toBe(true);
    expect(detail.nodes.map((n) => [n.nodeId, n.rowsOut])).toEqual([["src", 3], ["up", 3], ["sink", 3]]);
    // Where it ran, for the run page: the run inside the built-in warehouse connection, each node there too.
    expect(detail.engine).toMatchObject({ engine: "database", connection: { id: BUILT_IN_CONNECTION_ID }, reason: "every source and sink is on one PostgreSQL connection and every node can run there" });
    expect(detail.engine?.connection?.name).toBeTruthy();
    expect(detail.nodes.map((n) => n.ranIn)).toEqual(["database", "database", "database"]);
    expect(await warehouse("SELECT id, name FROM warehouse.engine_auto ORDER BY id")).toEqual([{ id: 1, name: "ADA" }, { id: 2, name: "GRACE" }, { id: 3, name: null }]);
  });

  it("engine duckdb runs the same pipeline in the worker, with the same rows", async () => {
    const { detail, logs } = await run(graph("engine_duck", "duckdb"));
    expect(detail.status, detail.error ?? "").toBe("succeeded");
    expect(logs).toContain("Runs on DuckDB: the pipeline is set to run on DuckDB.");
    expect(detail.engine).toEqual({ engine: "duckdb", connection: null, reason: "the pipeline is set to run on DuckDB" });
    expect(detail.nodes.map((n) => n.ranIn)).toEqual(["duckdb", "duckdb", "duckdb"]);
    expect(await warehouse("SELECT id, name FROM warehouse.engine_duck ORDER BY id")).toEqual(await warehouse("SELECT id, name FROM warehouse.engine_auto ORDER BY id"));
  });

  it("engine database runs an inline source inside; a pipeline that cannot run there is a problem, refused before it runs", async () => {
    const inline = { id: "src", type: "inline", position: { x: 0, y: 0 }, config: { columns: [{ name: "id", type: "integer" }, { name: "name", type: "string" }], rows: [[1, "x"]] } };
    const ok = await run(graph("engine_inline", "database", inline));
    expect(ok.detail.status, ok.detail.error ?? "").toBe("succeeded");
    expect(ok.logs.some((l) => l.startsWith("Runs in the database: the pipeline is set to run in the database"))).toBe(true);
    const g = graph("engine_refused", "database");
    g.nodes[1] = { ...g.nodes[1]!, config: { columns: [{ column: "name", operations: [{ op: "case", to: "title" }] }] } };
    const validation = await request(t.app).post("/api/pipelines/validate").send({ graph: g });
    expect(validation.body).toMatchObject({ valid: false, problems: [{ code: "ENGINE_DATABASE_UNAVAILABLE", field: "engine" }] });
    expect(validation.body.problems[0].message).toContain("set to run in the database, but 1 node cannot run in the database (up: title case needs Unicode letter classes");
    // What the editor says beside its "In the database" choice and on the node.
    expect(validation.body.database).toMatchObject({ unavailable: "1 node cannot run in the database.", notPushable: [{ nodeId: "up" }] });
    expect(validation.body.database.notPushable[0].reason).toContain("title case needs Unicode letter classes");
    const auto = await request(t.app).post("/api/pipelines/validate").send({ graph: { ...g, engine: "auto" } });
    expect(auto.body.engine).toMatchObject({ engine: "duckdb", setting: "auto" });
    expect(auto.body.database.unavailable).toBe("1 node cannot run in the database.");
    const created = await request(t.app).post("/api/pipelines").send({ name: "refused", graph: g });
    const start = await request(t.app).post(`/api/pipelines/${created.body.id}/runs`).send({});
    expect(start.status).toBe(422);
    expect(start.body.error.details.problems.map((p: { code: string }) => p.code)).toEqual(["ENGINE_DATABASE_UNAVAILABLE"]);
    expect(await warehouse("SELECT to_regclass('warehouse.engine_refused') IS NULL AS missing")).toEqual([{ missing: true }]);
  });
});
