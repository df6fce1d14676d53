import { randomBytes } from "node:crypto";
import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import { createTestApp, type TestApp } from "../testing/test-app.ts";
import { slowPipelineGraph } from "../testing/slow-pipeline.ts";
import { startSluiceProcess, waitFor, waitForStagedSource, type SluiceProcess } from "../testing/sluice-process.ts";
import { waitForRun } from "../testing/wait-for-run.ts";
import { sqlRows } from "../testing/sql-rows.ts";

const STALE_SECONDS = 3;
let t: TestApp;
let worker: SluiceProcess | undefined;
const secretKey = randomBytes(32);

beforeAll(async () => {
  // The API process has no worker of its own; its reaper and sweep run every second, as in any live process.
  t = await createTestApp({ startWorker: false, worker: { staleSeconds: STALE_SECONDS, processStaleSeconds: 8 }, secretKey });
}, 60_000);
afterAll(async () => {
  worker?.child.kill("SIGKILL");
  await worker?.exited;
  await t?.close();
});

const ls = (dir: string) => (existsSync(dir) ? readdirSync(dir) : []);

describe("a worker killed mid-run", () => {
  it("is failed by another live process within the stale time, its staged files and scratch are swept, the target is unchanged", async () => {
    const graph = slowPipelineGraph("crash_target", { sleepSeconds: 120 });
    const p = await request(t.app).post("/api/pipelines").send({ name: "Crashy", graph });
    const { body } = await request(t.app).post(`/api/pipelines/${p.body.id}/runs`).send({});
    expect(body.runId, JSON.stringify(body)).toBeDefined();

    // It touches its scratch every second; the API process's sweep takes 8 s of quiet as death (slack for a busy machine).
    const w = startSluiceProcess(t, secretKey, "worker-main.ts", { RUN_STALE_SECONDS: String(STALE_SECONDS) });
    worker = w;
    // The source's rows are being staged (a CSV under the run's folder) when the worker dies.
    const runFolder = await waitForStagedSource(t, w, body.runId);
    const workerScratch = ["work", "spill"].flatMap((d) => ls(path.join(t.dataDir, d)).filter((f) => f.includes(`-${w.child.pid}-`)).map((f) => path.join(t.dataDir, d, f)));
    expect(workerScratch).toHaveLength(2);
    const apiScratch = ["work", "spill"].flatMap((d) => ls(path.join(t.dataDir, d)).filter((f) => f.startsWith("proc-") && !f.includes(`-${w.child.pid}-`)));
    expect(apiScratch).toHaveLength(2);

    w.child.kill("SIGKILL");
    await w.exited;
    const killedAt = Date.now();

    const run = await waitForRun(t.app, body.runId, undefined, 60_000);
    expect(run.status).toBe("failed");
    expect(run.error).toMatch(/worker lost/);
    // Last beat up to 1 s before the kill, stale after 3 s, seen at the next tick (every 1 s): plus slack for a busy machine.
    expect(Date.now() - killedAt).toBeLessThan((STALE_SECONDS + 1 + 1) * 1000 + 10_000);

    // Nothing was restarted: the live API process swept the run's folder and, once quiet for 8 s, the dead worker's scratch.
    await waitFor("the run's folder to be swept", () => (existsSync(runFolder) ? undefined : true), 10_000);
    await waitFor("the dead worker's scratch to be swept", () => (workerScratch.some(existsSync) ? undefined : true), 30_000);
    for (const f of apiScratch) expect(ls(path.join(t.dataDir, "work")).concat(ls(path.join(t.dataDir, "spill")))).toContain(f);

    expect(await sqlRows(t.warehouse.url, "SELECT to_regclass('warehouse.crash_target') AS t")).toEqual([{ t: null }]);
  }, 180_000);
});
