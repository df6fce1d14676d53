import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import { createTestApp, type TestApp } from "../testing/test-app.ts";
import { quickPipelineGraph } from "../testing/quick-pipeline.ts";
import { waitForRun } from "../testing/wait-for-run.ts";

let t: TestApp;
beforeAll(async () => {
  // Polling every 30 s: a run that starts within seconds was started by the wake-up, not by a poll.
  t = await createTestApp({ startWorker: true, worker: { pollingIntervalSeconds: 30 } });
}, 60_000);
afterAll(async () => t?.close());

const runOnce = async (pipelineId: string) => {
  const { body } = await request(t.app).post(`/api/pipelines/${pipelineId}/runs`).send({});
  expect(body.runId, JSON.stringify(body)).toBeDefined();
  return body.runId as string;
};

describe("a queued run", () => {
  it("wakes an idle worker at once instead of waiting for its next poll, and so does the next run of the same pipeline", async () => {
    const p = await request(t.app).post("/api/pipelines").send({ name: "Wake", graph: quickPipelineGraph() });
    // Let the worker's first fetch (at start) come back empty, so it is asleep until its 30 s poll.
    await new Promise((r) => setTimeout(r, 1500));
    const first = await runOnce(p.body.id);
    // Queued while the first is active: the singleton policy holds it back until the first completes.
    const second = await runOnce(p.body.id);
    const started = Date.now();
    expect((await waitForRun(t.app, first, undefined, 10_000)).status).toBe("succeeded");
    expect((await waitForRun(t.app, second, undefined, 10_000)).status).toBe("succeeded");
    expect(Date.now() - started).toBeLessThan(10_000);
  }, 60_000);
});
