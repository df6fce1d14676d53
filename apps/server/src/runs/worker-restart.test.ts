import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import { createTestApp, type TestApp } from "../testing/test-app.ts";
import { slowPipelineGraph } from "../testing/slow-pipeline.ts";
import { startSluiceProcess, waitFor, waitForStagedSource, type SluiceProcess } from "../testing/sluice-process.ts";
import { waitForRun } from "../testing/wait-for-run.ts";

let t: TestApp;
const started: SluiceProcess[] = [];
const secretKey = randomBytes(32);

beforeAll(async () => {
  // This process's reaper waits 44 s, so what is seen below is the work of the worker that starts next.
  t = await createTestApp({ startWorker: false, worker: { staleSeconds: 44 }, secretKey });
}, 60_000);
afterAll(async () => {
  for (const p of started) p.child.kill("SIGKILL");
  await Promise.all(started.map((p) => p.exited));
  await t?.close();
});

describe("a worker started after another was killed mid-run", () => {
  it("fails the dead worker's run and removes its staged files at start", async () => {
    const p = await request(t.app).post("/api/pipelines").send({ name: "Restart", graph: slowPipelineGraph("restart_target", { sleepSeconds: 120 }) });
    const { body } = await request(t.app).post(`/api/pipelines/${p.body.id}/runs`).send({});
    expect(body.runId, JSON.stringify(body)).toBeDefined();
    const first = startSluiceProcess(t, secretKey, "worker-main.ts");
    started.push(first);
    const runFolder = await waitForStagedSource(t, first, body.runId);
    first.child.kill("SIGKILL");
    await first.exited;

    const next = startSluiceProcess(t, secretKey, "worker-main.ts", { RUN_STALE_SECONDS: "2" });
    started.push(next);
    // Its reaper ticks at start: by then the dead worker's last beat is older than 2 s (starting takes longer).
    await waitFor("the next worker to start", () => (next.output().includes("is taking runs") ? true : undefined), 90_000);
    const run = await waitForRun(t.app, body.runId, undefined, 10_000);
    expect(run.status).toBe("failed");
    expect(run.error).toMatch(/worker lost/);
    await waitFor("the staged files to be swept", () => (existsSync(runFolder) ? undefined : true), 10_000);
  }, 240_000);
});
