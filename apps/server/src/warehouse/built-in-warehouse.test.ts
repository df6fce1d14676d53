import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import { BUILT_IN_CONNECTION_ID } from "../connections/connection.repository.ts";
import { createTestApp, type TestApp } from "../testing/test-app.ts";
import { sqlRows } from "../testing/sql-rows.ts";
import { waitForRun } from "../testing/wait-for-run.ts";
import { startBuiltInWarehouse } from "./built-in-warehouse.ts";
import { warehouseNames } from "./warehouse-names.ts";

/** What the original report did through the built-in connection; each must now fail or stay inside the warehouse. */
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ startWorker: true });
}, 60_000);
afterAll(async () => t?.close());

const asWarehouse = (text: string) => sqlRows(t.warehouse.url, text);
const asAdmin = (text: string, values: unknown[] = []) => sqlRows(t.database.url, text, values);

function pipeline(nodes: object[], edges: object[] = []) {
  return { formatVersion: 1, nodes, edges };
}
const source = (sql: string) => ({ id: "src", type: "postgres", position: { x: 0, y: 0 }, config: { connectionId: BUILT_IN_CONNECTION_ID, mode: "query", sql } });

async function run(graph: object) {
  const p = await request(t.app).post("/api/pipelines").send({ name: `Probe ${Math.random()}`, graph });
  expect(p.status, JSON.stringify(p.body)).toBe(201);
  const started = await request(t.app).post(`/api/pipelines/${p.body.id}/runs`).send({});
  expect(started.status, JSON.stringify(started.body)).toBe(202);
  return waitForRun(t.app, started.body.runId, ["succeeded", "failed", "cancelled"], 30_000);
}

describe("the built-in warehouse, set up as with an external DATABASE_URL", () => {
  it("is a database and a role of its own, not a superuser and not Sluice's user", async () => {
    expect(t.warehouse.available).toBe(true);
    const names = warehouseNames(t.database.name);
    expect(t.warehouse.settings).toMatchObject({ database: names.database, user: names.role });
    const [me] = await asWarehouse(
      "SELECT current_database() AS db, current_user AS usr, r.rolsuper, r.rolcreaterole, r.rolcreatedb, r.rolreplication, r.rolbypassrls FROM pg_roles r WHERE r.rolname = current_user",
    );
    expect(me).toEqual({ db: names.database, usr: names.role, rolsuper: false, rolcreaterole: false, rolcreatedb: false, rolreplication: false, rolbypassrls: false });
    const [owner] = await asAdmin("SELECT pg_get_userbyid(datdba) AS owner FROM pg_database WHERE datname = current_database()");
    expect(owner!.owner).not.toBe(names.role);
    expect((await request(t.app).get("/api/health")).body.warehouse).toEqual({ available: true });
  });

  it("cannot read server files", async () => {
    await expect(asWarehouse("SELECT pg_read_file('/etc/hostname')")).rejects.toThrow(/permission denied/);
    // Through a pipeline, as the report did: the source's query check refuses the call before the role is
    // even asked (defence in depth; the role's own refusal is proven just above), saying why.
    const graph = pipeline([source("SELECT pg_read_file('/etc/hostname') AS f"), sinkNode("leak")], [{ id: "e", source: "src", target: "sink" }]);
    const checked = await request(t.app).post("/api/pipelines/validate").send({ graph });
    expect(checked.body.problems).toEqual([expect.objectContaining({ code: "SQL_FUNCTION_REFUSED", nodeId: "src", message: expect.stringMatching(/pg_read_file/) })]);
  });

  it("cannot connect to the metadata database, so connections, api_tokens and run_logs are out of reach", async () => {
    const u = new URL(t.warehouse.url);
    u.pathname = `/${t.database.name}`;
    await expect(sqlRows(u.toString(), "SELECT 1")).rejects.toThrow(/permission denied for database/);
    const [can] = await asAdmin("SELECT has_database_privilege($1, current_database(), 'CONNECT') AS c", [t.warehouse.settings.user]);
    expect(can!.c).toBe(false);
    // In its own database those names are nobody's tables.
    expect(await asWarehouse("SELECT to_regclass('public.connections') AS a, to_regclass('public.api_tokens') AS b, to_regclass('public.run_logs') AS c")).toEqual([
      { a: null, b: null, c: null },
    ]);
  });

  it("loads into its own database only: a sink aimed at run_logs leaves Sluice's run_logs alone, and runs still start", async () => {
    const before = await asAdmin("SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name = 'run_logs' ORDER BY 1");
    const graph = pipeline(
      [
        { id: "src", type: "inline", position: { x: 0, y: 0 }, config: { columns: [{ name: "x", type: "integer" }], rows: [[1]] } },
        { id: "sink", type: "postgres-sink", position: { x: 300, y: 0 }, config: { connectionId: BUILT_IN_CONNECTION_ID, schema: "warehouse", table: "run_logs", mode: "replace" } },
      ],
      [{ id: "e", source: "src", target: "sink" }],
    );
    expect((await run(graph)).status).toBe("succeeded");
    expect(await asWarehouse("SELECT x FROM warehouse.run_logs")).toEqual([{ x: 1 }]);
    expect(await asAdmin("SELECT to_regnamespace('warehouse') AS s")).toEqual([{ s: null }]);
    expect(await asAdmin("SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name = 'run_logs' ORDER BY 1")).toEqual(before);
    // Runs still start and log, and a source sees the warehouse, never the metadata.
    expect((await run(graph)).status).toBe("succeeded");
    const seen = await request(t.app).post("/api/preview").send({ graph: pipeline([source("SELECT current_database() AS db")]), nodeId: "src", limit: 5 });
    expect(seen.body.rows).toEqual([{ db: t.warehouse.settings.database }]);
  }, 60_000);

  it("is set up the same way at every start, keeping what was loaded", async () => {
    await asWarehouse("CREATE TABLE IF NOT EXISTS warehouse.kept (n integer); INSERT INTO warehouse.kept VALUES (1)");
    const logs: string[] = [];
    const again = await startBuiltInWarehouse({ metadataUrl: t.database.url, secretKey: t.secretKey, connections: t.deps.connections, log: (m) => logs.push(m) });
    expect(again).toEqual({ available: true, settings: t.warehouse.settings, password: t.warehouse.available ? t.warehouse.password : "" });
    expect(logs.filter((l) => /revoked CONNECT/.test(l))).toEqual([]); // already closed at the first start
    expect(await asWarehouse("SELECT n FROM warehouse.kept")).toEqual([{ n: 1 }]);
    const test = await request(t.app).post(`/api/connections/${BUILT_IN_CONNECTION_ID}/test`);
    expect(test.body.ok, test.body.message).toBe(true);
  });

  it("leaves tables an earlier version loaded into the metadata database where they are, and says so", async () => {
    await asAdmin("CREATE SCHEMA warehouse; CREATE TABLE warehouse.old_orders (id integer); INSERT INTO warehouse.old_orders VALUES (9)");
    try {
      const logs: string[] = [];
      await startBuiltInWarehouse({ metadataUrl: t.database.url, secretKey: t.secretKey, connections: t.deps.connections, log: (m) => logs.push(m) });
      expect(logs.join("\n")).toMatch(/1 table\(s\) in schema "warehouse" of the metadata database .* left where they are/);
      expect(await asAdmin("SELECT id FROM warehouse.old_orders")).toEqual([{ id: 9 }]);
    } finally {
      await asAdmin("DROP SCHEMA warehouse CASCADE");
    }
  });
});

function sinkNode(table: string) {
  return { id: "sink", type: "postgres-sink", position: { x: 300, y: 0 }, config: { connectionId: BUILT_IN_CONNECTION_ID, schema: "warehouse", table, mode: "replace" } };
}
