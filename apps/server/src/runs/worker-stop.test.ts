import { randomBytes } from "node:crypto";
import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import { createTestApp, type TestApp } from "../testing/test-app.ts";
import { slowPipelineGraph } from "../testing/slow-pipeline.ts";
import { startWorkerProcess, waitFor, type WorkerProcess } from "../testing/worker-process.ts";
import { builtInTargetSql } from "../testing/built-in-target.ts";

let t: TestApp;
let worker: WorkerProcess | undefined;
const secretKey = randomBytes(32);

beforeAll(async () => {
  // The reaper's default 30 s: the outcome seen below is the stopping worker's own, not a lost-worker verdict.
  t = await createTestApp({ startWorker: false, secretKey });
}, 60_000);
afterAll(async () => {
  worker?.child.kill("SIGKILL");
  await worker?.exited;
  await t?.close();
});

const ls = (dir: string) => (existsSync(dir) ? readdirSync(dir) : []);

describe("a worker stopped with SIGTERM mid-run", () => {
  it("stops the run like a cancel, marks it failed saying why, removes its files, leaves the target as it was, and exits", async () => {
    await builtInTargetSql(t.database.url, "CREATE TABLE warehouse.stop_target (id integer); INSERT INTO warehouse.stop_target VALUES (7)");
    const p = await request(t.app).post("/api/pipelines").send({ name: "Stopped", graph: slowPipelineGraph("stop_target", { sleepSeconds: 120 }) });
    const { body } = await request(t.app).post(`/api/pipelines/${p.body.id}/runs`).send({});
    expect(body.runId, JSON.stringify(body)).toBeDefined();

    const w = startWorkerProcess(t, secretKey);
    worker = w;
    const runFolder = path.join(t.dataDir, "work", `run-${body.runId}-1`);
    await waitFor("the run to stage its source", () => (ls(runFolder).some((f) => f.endsWith(".csv")) ? true : undefined), 60_000).catch((e: Error) => {
      throw new Error(`${e.message}; worker output:\n${w.output()}`);
    });
    const workerScratch = ["work", "spill"].flatMap((d) => ls(path.join(t.dataDir, d)).filter((f) => f.includes(`-${w.child.pid}-`)).map((f) => path.join(t.dataDir, d, f)));
    expect(workerScratch).toHaveLength(2);

    const signalledAt = Date.now();
    w.child.kill("SIGTERM");
    expect(await w.exited, w.output()).toBe(0);
    // A cancel takes about a second; the wait is bounded at 8 s before the run is failed regardless.
    expect(Date.now() - signalledAt, w.output()).toBeLessThan(20_000);
    expect(w.output()).not.toMatch(/did not stop within/);

    const run = (await request(t.app).get(`/api/runs/${body.runId}`)).body;
    expect(run.status).toBe("failed");
    expect(run.error).toMatch(/The worker was stopped \(SIGTERM\) during the run; retry it/);
    expect(existsSync(runFolder)).toBe(false);
    for (const f of workerScratch) expect(existsSync(f), f).toBe(false);
    expect(await builtInTargetSql(t.database.url, "SELECT id FROM warehouse.stop_target")).toEqual([{ id: 7 }]);
  }, 120_000);
});
