import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import pg from "pg";
import { createTestApp, type TestApp } from "../testing/test-app.ts";
import { slowPipelineGraph } from "../testing/slow-pipeline.ts";
import { repoRoot } from "../config.ts";

let t: TestApp;
let worker: ChildProcess | undefined;
const secretKey = randomBytes(32);

beforeAll(async () => {
  // The API process has no worker of its own; its reaper watches for lost workers every second.
  t = await createTestApp({ startWorker: false, worker: { staleSeconds: 3 }, secretKey });
}, 60_000);
afterAll(async () => {
  worker?.kill("SIGKILL");
  await t?.close();
});

function startWorkerProcess() {
  const child = spawn(process.execPath, ["--import", "tsx", path.join(repoRoot, "apps/server/src/worker-main.ts")], {
    cwd: repoRoot,
    env: { ...process.env, DATABASE_URL: t.database.url, DATA_DIR: t.dataDir, SLUICE_SECRET_KEY: secretKey.toString("hex") },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (c: Buffer) => (output += c.toString()));
  child.stderr?.on("data", (c: Buffer) => (output += c.toString()));
  return { child, output: () => output };
}

async function waitFor<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe("a worker killed mid-run", () => {
  it("is detected: the run ends failed with 'worker lost' within 60 s and the target is unchanged", async () => {
    const graph = slowPipelineGraph("crash_target", { sleepSeconds: 120 });
    const p = await request(t.app).post("/api/pipelines").send({ name: "Crashy", graph });
    const { body } = await request(t.app).post(`/api/pipelines/${p.body.id}/runs`).send({});
    expect(body.runId, JSON.stringify(body)).toBeDefined();

    const w = startWorkerProcess();
    worker = w.child;
    await waitFor(
      "the worker to take the run",
      async () => ((await request(t.app).get(`/api/runs/${body.runId}`)).body.status === "running" ? true : undefined),
      60_000,
    ).catch((e: Error) => {
      throw new Error(`${e.message}; worker output:\n${w.output()}`);
    });
    w.child.kill("SIGKILL");
    const killedAt = Date.now();

    const run = await waitFor(
      "the run to be marked failed",
      async () => {
        const r = (await request(t.app).get(`/api/runs/${body.runId}`)).body;
        return r.status === "running" ? undefined : r;
      },
      60_000,
    );
    expect(run.status).toBe("failed");
    expect(run.error).toMatch(/worker lost/);
    expect(Date.now() - killedAt).toBeLessThan(60_000);

    const c = new pg.Client({ connectionString: t.database.url });
    await c.connect();
    try {
      const { rows } = await c.query("SELECT to_regclass('warehouse.crash_target') AS t");
      expect(rows[0].t).toBeNull();
    } finally {
      await c.end();
    }
  }, 120_000);
});
