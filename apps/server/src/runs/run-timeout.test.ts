import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import { createTestApp, type TestApp } from "../testing/test-app.ts";
import { sqlRows } from "../testing/sql-rows.ts";
import { slowPipelineGraph } from "../testing/slow-pipeline.ts";
import { waitForRun } from "../testing/wait-for-run.ts";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ startWorker: true, runTimeoutSeconds: 2 });
}, 60_000);
afterAll(async () => t?.close());

const sql = (text: string) => sqlRows(t.warehouse.url, text);

async function start(name: string, graph: object) {
  const p = await request(t.app).post("/api/pipelines").send({ name, graph });
  expect(p.status, JSON.stringify(p.body)).toBe(201);
  const r = await request(t.app).post(`/api/pipelines/${p.body.id}/runs`).send({});
  expect(r.status, JSON.stringify(r.body)).toBe(202);
  return r.body.runId as string;
}

describe("the per-run timeout (RUN_TIMEOUT_SECONDS) through the real worker", () => {
  it("stops a run that takes too long, says so, leaves its target as it was, and goes on to the next run", async () => {
    await sql("CREATE TABLE warehouse.timeout_target (id integer); INSERT INTO warehouse.timeout_target VALUES (7)");
    const slow = await start("Too slow", slowPipelineGraph("timeout_target", { sleepSeconds: 30 }));
    const began = Date.now();
    const run = await waitForRun(t.app, slow, ["failed", "succeeded", "cancelled"], 20_000);
    expect(run.status).toBe("failed");
    expect(run.error).toMatch(/Timed out after 2 s/);
    expect(Date.now() - began).toBeLessThan(15_000);
    expect(await sql("SELECT id FROM warehouse.timeout_target")).toEqual([{ id: 7 }]);

    // The worker is free again: a quick run of another pipeline succeeds.
    const quick = await start("Quick", slowPipelineGraph("timeout_quick", { sleepSeconds: 0 }));
    expect((await waitForRun(t.app, quick)).status).toBe("succeeded");
    expect(await sql("SELECT count(*)::int AS n FROM warehouse.timeout_quick")).toEqual([{ n: 3 }]);
  }, 60_000);
});
