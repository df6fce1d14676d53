import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import pg from "pg";
import { createTestApp, type TestApp } from "../testing/test-app.ts";
import { waitForRun } from "../testing/wait-for-run.ts";
import { slowPipelineGraph } from "../testing/slow-pipeline.ts";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ startWorker: true });
}, 60_000);
afterAll(async () => t?.close());

describe("a transient failure", () => {
  it("is retried with backoff, and the second attempt loads the rows", async () => {
    const p = await request(t.app).post("/api/pipelines").send({ name: "Flaky", graph: slowPipelineGraph("flaky", { sleepSeconds: 2 }) });
    const { body } = await request(t.app).post(`/api/pipelines/${p.body.id}/runs`).send({});
    await waitForRun(t.app, body.runId, ["running"]);
    // The source database (the built-in warehouse) drops the connection mid-query, as a restart or failover would.
    const admin = new pg.Client({ connectionString: t.database.url });
    await admin.connect();
    try {
      for (let i = 0; i < 50; i++) {
        const { rowCount } = await admin.query(
          "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND query LIKE '%pg_sleep(2)%' AND pid <> pg_backend_pid()",
          [t.warehouse.settings.database],
        );
        if (rowCount) break;
        await new Promise((r) => setTimeout(r, 100));
      }
    } finally {
      await admin.end();
    }
    const run = await waitForRun(t.app, body.runId, ["succeeded", "failed", "cancelled"], 30_000);
    expect(run.status, run.error ?? "").toBe("succeeded");
    expect(run.attempt).toBe(2);
    const logs = await t.db.runLog.findMany({ where: { runId: body.runId }, orderBy: { id: "asc" } });
    expect(logs.some((l) => /Transient error, retrying in 2 s/.test(l.message))).toBe(true);
    const c = new pg.Client({ connectionString: t.warehouse.url });
    await c.connect();
    try {
      expect((await c.query("SELECT count(*)::int AS n FROM warehouse.flaky")).rows[0].n).toBe(3);
    } finally {
      await c.end();
    }
  }, 60_000);
});
