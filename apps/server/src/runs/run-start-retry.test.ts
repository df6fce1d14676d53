import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import pg from "pg";
import { BUILT_IN_CONNECTION_ID } from "../connections/connection.repository.ts";
import { createTestApp, type TestApp } from "../testing/test-app.ts";
import { startSluiceProcess, waitFor, type SluiceProcess } from "../testing/sluice-process.ts";
import { sqlRows } from "../testing/sql-rows.ts";
import { waitForRun } from "../testing/wait-for-run.ts";

let t: TestApp;
let worker: SluiceProcess | undefined;
const secretKey = randomBytes(32);
beforeAll(async () => {
  // No worker in this process: the run waits in the queue until the test has the source's table locked.
  t = await createTestApp({ startWorker: false, secretKey });
}, 60_000);
afterAll(async () => {
  worker?.child.kill("SIGKILL");
  await worker?.exited;
  await t?.close();
});

describe("a source's database dropping the connection while a run checks the pipeline at its start", () => {
  it("is a transient failure: the run is retried and the second attempt loads the rows", async () => {
    await sqlRows(t.warehouse.url, "CREATE TABLE warehouse.checked_src (id integer); INSERT INTO warehouse.checked_src VALUES (1), (2), (3)");
    const graph = {
      formatVersion: 1,
      nodes: [
        { id: "src", type: "postgres", position: { x: 0, y: 0 }, config: { connectionId: BUILT_IN_CONNECTION_ID, mode: "query", sql: "SELECT id FROM warehouse.checked_src" } },
        { id: "sink", type: "postgres-sink", position: { x: 300, y: 0 }, config: { connectionId: BUILT_IN_CONNECTION_ID, schema: "warehouse", table: "checked_dst", mode: "replace" } },
      ],
      edges: [{ id: "e1", source: "src", target: "sink" }],
    };
    const p = await request(t.app).post("/api/pipelines").send({ name: "Checked at start", graph });
    const { body } = await request(t.app).post(`/api/pipelines/${p.body.id}/runs`).send({});
    expect(body.runId, JSON.stringify(body)).toBeDefined();

    // A superuser session on the warehouse holds the table: describing the source's query waits for it.
    const url = new URL(t.database.url);
    url.pathname = `/${t.warehouse.settings.database}`;
    const admin = new pg.Client({ connectionString: url.toString() });
    await admin.connect();
    try {
      await admin.query("BEGIN");
      await admin.query("LOCK TABLE warehouse.checked_src IN ACCESS EXCLUSIVE MODE");
      worker = startSluiceProcess(t, secretKey, "worker-main.ts");
      // The worker's check of the pipeline waits on the lock; the database then ends that session, as a restart would.
      const pid = await waitFor(
        "the run's check waiting on the lock",
        async () => {
          // Asked outside the lock's transaction: within one, pg_stat_activity stays as it was at its first read.
          const rows = await sqlRows(url.toString(), "SELECT pid FROM pg_stat_activity WHERE datname = $1 AND wait_event_type = 'Lock' AND query LIKE '%checked_src%' AND pid <> pg_backend_pid()", [
            t.warehouse.settings.database,
          ]);
          return rows[0]?.pid as number | undefined;
        },
        60_000,
      );
      expect((await request(t.app).get(`/api/runs/${body.runId}`)).body.status).toBe("running");
      await admin.query("SELECT pg_terminate_backend($1)", [pid]);
      await admin.query("ROLLBACK");
    } finally {
      await admin.end();
    }

    const run = await waitForRun(t.app, body.runId, ["succeeded", "failed", "cancelled"], 60_000);
    expect(run.status, `${run.error ?? ""}\n${worker.output()}`).toBe("succeeded");
    expect(run.attempt).toBe(2);
    const logs = await t.db.runLog.findMany({ where: { runId: body.runId }, orderBy: { id: "asc" } });
    expect(logs.map((l) => l.message).join("\n")).toMatch(/Transient error, retrying in 2 s: The pipeline could not be checked against its sources: src: .*terminating connection/);
    expect(await sqlRows(t.warehouse.url, "SELECT count(*)::int AS n FROM warehouse.checked_dst")).toEqual([{ n: 3 }]);
  }, 120_000);
});
