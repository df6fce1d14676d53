import { randomBytes } from "node:crypto";
import { existsSync, readdirSync } from "node:fs";
import http from "node:http";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import { createTestApp, type TestApp } from "../testing/test-app.ts";
import { slowPipelineGraph } from "../testing/slow-pipeline.ts";
import { freePort, startSluiceProcess, waitForStagedSource, type SluiceProcess } from "../testing/sluice-process.ts";
import { sqlRows } from "../testing/sql-rows.ts";

let t: TestApp;
const started: SluiceProcess[] = [];
const streams: http.ClientRequest[] = [];
const secretKey = randomBytes(32);

beforeAll(async () => {
  // The reaper's default 30 s: the outcome seen below is the stopping process's own, not a lost-worker verdict.
  t = await createTestApp({ startWorker: false, secretKey });
}, 60_000);
afterAll(async () => {
  for (const s of streams) s.destroy();
  for (const p of started) p.child.kill("SIGKILL");
  await Promise.all(started.map((p) => p.exited));
  await t?.close();
});

const ls = (dir: string) => (existsSync(dir) ? readdirSync(dir) : []);

async function startRun(name: string, table: string) {
  const p = await request(t.app).post("/api/pipelines").send({ name, graph: slowPipelineGraph(table, { sleepSeconds: 120 }) });
  const { body } = await request(t.app).post(`/api/pipelines/${p.body.id}/runs`).send({});
  expect(body.runId, JSON.stringify(body)).toBeDefined();
  return body.runId as string;
}

/** Opens the run's event stream on the process and keeps it open: a stream of a run that goes on never ends by itself. */
function openEventStream(port: number, runId: string) {
  return new Promise<void>((resolve, reject) => {
    const req = http.get({ host: "127.0.0.1", port, path: `/api/runs/${runId}/events` }, (res) => {
      res.resume();
      resolve();
    });
    req.on("error", reject);
    streams.push(req);
  });
}

describe.each(["worker-main.ts", "main.ts"] as const)("%s stopped with SIGTERM mid-run", (entry) => {
  it("stops the run like a cancel, marks it failed saying why, removes its files, leaves the target as it was, and exits", async () => {
    const table = `stop_target_${entry === "main.ts" ? "server" : "worker"}`;
    await sqlRows(t.warehouse.url, `CREATE TABLE warehouse.${table} (id integer); INSERT INTO warehouse.${table} VALUES (7)`);
    const runId = await startRun(`Stopped ${entry}`, table);

    const port = await freePort();
    const env: Record<string, string> = entry === "main.ts" ? { PORT: String(port), HOST: "127.0.0.1", RUN_WORKER: "true" } : {};
    const w = startSluiceProcess(t, secretKey, entry, env);
    started.push(w);
    const runFolder = await waitForStagedSource(t, w, runId);
    const scratch = ["work", "spill"].flatMap((d) => ls(path.join(t.dataDir, d)).filter((f) => f.includes(`-${w.child.pid}-`)).map((f) => path.join(t.dataDir, d, f)));
    expect(scratch).toHaveLength(2);
    // A server with a client watching a run that is still waiting: its stream must not hold the exit up.
    const waiting = entry === "main.ts" ? await startRun("Waiting", `${table}_next`) : undefined;
    if (waiting) await openEventStream(port, waiting);

    const signalledAt = Date.now();
    w.child.kill("SIGTERM");
    expect(await w.exited, w.output()).toBe(0);
    // A cancel takes about a second; the wait for it is bounded (8 s) before the run is failed regardless.
    expect(Date.now() - signalledAt, w.output()).toBeLessThan(20_000);
    expect(w.output()).not.toMatch(/did not stop within/);

    const run = (await request(t.app).get(`/api/runs/${runId}`)).body;
    expect(run.status).toBe("failed");
    expect(run.error).toMatch(/The worker was stopped \(SIGTERM\) during the run; retry it/);
    expect(existsSync(runFolder)).toBe(false);
    for (const f of scratch) expect(existsSync(f), f).toBe(false);
    expect(await sqlRows(t.warehouse.url, `SELECT id FROM warehouse.${table}`)).toEqual([{ id: 7 }]);
    // The run that was waiting was not started by the stopping process: it waits for the next worker.
    if (waiting) expect((await request(t.app).get(`/api/runs/${waiting}`)).body.status).toBe("queued");
  }, 180_000);
});
