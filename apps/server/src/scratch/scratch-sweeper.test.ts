import { randomUUID } from "node:crypto";
import { existsSync, mkdirSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import { createTestApp, type TestApp } from "../testing/test-app.ts";
import { slowPipelineGraph } from "../testing/slow-pipeline.ts";
import { sqlRows } from "../testing/sql-rows.ts";
import { dataFolders } from "../runtime.ts";
import { runRepository } from "../runs/run.repository.ts";
import { scratchSweeper, type ScratchSweeper } from "./scratch-sweeper.ts";

let t: TestApp;
let sweeper: ScratchSweeper;
let folders: ReturnType<typeof dataFolders>;

beforeAll(async () => {
  t = await createTestApp({ startWorker: false });
  folders = dataFolders(t.dataDir);
  sweeper = scratchSweeper({ folders, runningAttempts: runRepository(t.db).runningAttempts, processStaleMs: 60_000, log: () => undefined });
}, 60_000);
afterAll(async () => {
  sweeper?.removeOwn();
  await t?.close();
});

/** A queued run (no worker here), then set to the given state as a worker would have left it. */
async function run(status: "queued" | "running" | "failed", attempt: number) {
  const p = await request(t.app).post("/api/pipelines").send({ name: `Sweep ${randomUUID()}`, graph: slowPipelineGraph("sweep_target", { sleepSeconds: 0 }) });
  const r = await request(t.app).post(`/api/pipelines/${p.body.id}/runs`).send({});
  expect(r.status, JSON.stringify(r.body)).toBe(202);
  await sqlRows(t.database.url, "UPDATE runs SET status = $2, attempt = $3, heartbeat_at = now() WHERE id = $1", [r.body.runId, status, attempt]);
  return r.body.runId as string;
}

function folder(...parts: string[]) {
  const dir = path.join(...parts);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, "staged.csv"), "1,2\n");
  return dir;
}

const age = (target: string, ms: number) => utimesSync(target, new Date(Date.now() - ms), new Date(Date.now() - ms));

describe("the scratch sweep", () => {
  it("keeps the folder of the attempt that is running and removes those of finished, queued or earlier attempts", async () => {
    const running = await run("running", 2);
    const queued = await run("queued", 1);
    const failed = await run("failed", 1);
    const live = folder(folders.work, `run-${running}-2`);
    const earlier = folder(folders.work, `run-${running}-1`);
    const requeued = folder(folders.work, `run-${queued}-1`);
    const dead = folder(folders.work, `run-${failed}-1`);
    await sweeper.sweep();
    expect(existsSync(path.join(live, "staged.csv"))).toBe(true);
    for (const gone of [earlier, requeued, dead]) expect(existsSync(gone), gone).toBe(false);
    rmSync(live, { recursive: true });
  });

  it("removes another process's folders once they go untouched, never its own, and old scratch of unknown owners after a day", async () => {
    const fresh = folder(folders.spill, "proc-otherhost-1-aaaa");
    const stale = folder(folders.work, "proc-otherhost-2-bbbb");
    age(stale, 120_000);
    age(sweeper.own.work, 120_000);
    const legacyFresh = folder(folders.spill, "duck-abc123");
    age(legacyFresh, 60 * 60_000);
    const legacyOld = folder(folders.work, "preview-xyz789");
    age(legacyOld, 25 * 60 * 60_000);
    await sweeper.sweep();
    expect(existsSync(fresh)).toBe(true);
    expect(existsSync(stale)).toBe(false);
    expect(existsSync(sweeper.own.work)).toBe(true);
    expect(existsSync(legacyFresh)).toBe(true);
    expect(existsSync(legacyOld)).toBe(false);
    rmSync(fresh, { recursive: true });
    rmSync(legacyFresh, { recursive: true });
  });

  it("removes half-written file-sink outputs of runs that are not running, keeping finished files and running runs' temporaries", async () => {
    const running = await run("running", 1);
    const failed = await run("failed", 1);
    const tmpName = `.out.csv.${randomUUID()}.tmp`;
    const deadDir = folder(folders.outputs, failed);
    writeFileSync(path.join(deadDir, tmpName), "half");
    const liveDir = folder(folders.outputs, running);
    writeFileSync(path.join(liveDir, tmpName), "half");
    await sweeper.sweep([failed]);
    expect(existsSync(path.join(deadDir, tmpName))).toBe(false);
    expect(existsSync(path.join(deadDir, "staged.csv"))).toBe(true);
    expect(existsSync(path.join(liveDir, tmpName))).toBe(true);
  });

  it("touching makes its own folders again when something removed them", () => {
    rmSync(sweeper.own.spill, { recursive: true });
    sweeper.touch();
    expect(existsSync(sweeper.own.spill)).toBe(true);
  });
});
