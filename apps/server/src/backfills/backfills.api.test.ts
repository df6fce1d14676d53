import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import { createTestApp, type TestApp } from "../testing/test-app.ts";
import { slowPipelineGraph } from "../testing/slow-pipeline.ts";
import { quickPipelineGraph } from "../testing/quick-pipeline.ts";
import { waitForRun } from "../testing/wait-for-run.ts";
import { sqlRows } from "../testing/sql-rows.ts";
import { createRuntime } from "../runtime.ts";
import { createPrisma, type Db } from "../db/prisma.ts";
import type { BackfillInfo } from "@sluice/model";
import { execFile } from "node:child_process";
import type { Server } from "node:http";
import path from "node:path";
import { promisify } from "node:util";
import { repoRoot } from "../config.ts";

let t: TestApp;
/** Two more worker processes' worth (each a whole runtime on the same database and data folder, as `npm run worker`). */
const extra: { db: Db; stop(): Promise<void> }[] = [];

beforeAll(async () => {
  t = await createTestApp({ startWorker: true });
  for (let i = 0; i < 2; i++) {
    const db = createPrisma(t.database.url);
    const runtime = await createRuntime({
      db,
      databaseUrl: t.database.url,
      config: { dataDir: t.dataDir, uploadBytes: 1024 * 1024, runTimeoutSeconds: 120, duckdbMemoryLimit: "1GB", duckdbThreads: 1, sinkParallelism: 1, httpAllowlist: [] },
      secretKey: t.secretKey,
      workerId: `backfill-test-worker-${i}`,
      startWorker: true,
      version: "test",
      log: (m) => t.logs.push(m),
    });
    extra.push({ db, stop: runtime.stop });
  }
}, 90_000);
afterAll(async () => {
  for (const w of extra) {
    await w.stop();
    await w.db.$disconnect();
  }
  await t?.close();
});

const withDay = (graph: object, type: "date" | "timestamp" = "date") => ({ ...graph, parameters: [{ name: "day", type, default: "2024-01-01" }, { name: "label", type: "string", default: "x" }] });

async function pipeline(name: string, graph: object) {
  const p = await request(t.app).post("/api/pipelines").send({ name, graph });
  expect(p.status, JSON.stringify(p.body)).toBe(201);
  return p.body.id as string;
}

async function settled(id: string, timeoutMs = 90_000): Promise<BackfillInfo> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const b = (await request(t.app).get(`/api/backfills/${id}`)).body as BackfillInfo;
    if (b.counts.queued + b.counts.running === 0) return b;
    if (Date.now() > end) throw new Error(`backfill ${id} still going: ${JSON.stringify(b.counts)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe("backfills", () => {
  it("runs 10 days with concurrency 2 on three workers: 10 runs, each with its date, never more than 2 at once", async () => {
    const id = await pipeline("Daily load", withDay(slowPipelineGraph("backfill_daily", { sleepSeconds: 1, mode: "append" })));
    const res = await request(t.app).post(`/api/pipelines/${id}/backfills`).send({ parameter: "day", from: "2024-03-01", to: "2024-03-10", step: "day", concurrency: 2, params: { label: "march" } });
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    expect(res.body.counts.total).toBe(10);
    const b = await settled(res.body.id);
    expect(b.counts).toMatchObject({ total: 10, succeeded: 10, failed: 0 });
    expect(b.slots.map((s) => s.slot)).toEqual(Array.from({ length: 10 }, (_, i) => `2024-03-${String(i + 1).padStart(2, "0")}`));
    const runs = await Promise.all(b.slots.map((s) => waitForRun(t.app, s.runId)));
    for (const [i, r] of runs.entries()) {
      expect(r.params).toEqual({ day: b.slots[i]!.slot, label: "march" });
      expect(r.backfill).toEqual({ id: b.id, slot: b.slots[i]!.slot });
      expect(r.trigger).toBe("backfill");
    }
    // From the runs' own start and finish times: at every start, how many runs were going.
    const spans = runs.map((r) => [Date.parse(r.startedAt!), Date.parse(r.finishedAt!)] as const);
    const overlapAt = (at: number) => spans.filter(([s, e]) => s <= at && at < e).length;
    const most = Math.max(...spans.map(([s]) => overlapAt(s)));
    expect(most).toBe(2);
    // Three workers took part: the limit came from the queue, not from a lack of workers.
    const workers = await t.db.run.findMany({ where: { backfillId: b.id }, select: { workerId: true }, distinct: ["workerId"] });
    expect(workers.length).toBeGreaterThanOrEqual(2);
    // Each run appended its 3 rows.
    expect(await sqlRows(t.warehouse.url, "SELECT count(*)::int AS n FROM warehouse.backfill_daily")).toEqual([{ n: 30 }]);
    const listed = (await request(t.app).get(`/api/backfills?pipelineId=${id}`)).body.backfills as BackfillInfo[];
    expect(listed.map((x) => x.id)).toEqual([b.id]);
  }, 120_000);

  it("gives each slot of a weekly or monthly backfill its date (a timestamp parameter gets midnight), and retries only the failed slots", async () => {
    const id = await pipeline("Monthly", withDay(quickPipelineGraph("monthly"), "timestamp"));
    const res = await request(t.app).post(`/api/pipelines/${id}/backfills`).send({ parameter: "day", from: "2024-01-31", to: "2024-04-30", step: "month", concurrency: 3 });
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    const b = await settled(res.body.id);
    expect(b.slots.map((s) => s.slot)).toEqual(["2024-01-31", "2024-02-29", "2024-03-31", "2024-04-30"]);
    expect((await waitForRun(t.app, b.slots[1]!.runId)).params).toEqual({ day: "2024-02-29 00:00:00", label: "x" });
    expect(b.counts.succeeded).toBe(4);
    expect((await request(t.app).post(`/api/backfills/${b.id}/retry-failed`)).status).toBe(409);

    // Fail two slots as a worker would record it, then retry: only those two run again, in their own slots.
    await t.db.run.updateMany({ where: { id: { in: [b.slots[0]!.runId, b.slots[2]!.runId] } }, data: { status: "failed", error: "disk full" } });
    const failed = (await request(t.app).get(`/api/backfills/${b.id}`)).body as BackfillInfo;
    expect(failed.counts).toMatchObject({ failed: 2, succeeded: 2 });
    const retry = await request(t.app).post(`/api/backfills/${b.id}/retry-failed`);
    expect(retry.status).toBe(202);
    expect(retry.body.runIds).toHaveLength(2);
    const after = await settled(b.id);
    expect(after.counts).toMatchObject({ total: 4, succeeded: 4, failed: 0 });
    expect(after.slots.map((s) => s.runs)).toEqual([2, 1, 2, 1]);
    const retried = await waitForRun(t.app, retry.body.runIds[0]);
    expect(retried).toMatchObject({ trigger: "backfill (retry)", params: { day: "2024-01-31 00:00:00", label: "x" } });
  }, 90_000);

  it("refuses bad input with a 400 saying what to fix, and stores nothing", async () => {
    const id = await pipeline("Refusals", withDay(quickPipelineGraph("refusals")));
    const post = (body: object) => request(t.app).post(`/api/pipelines/${id}/backfills`).send({ parameter: "day", from: "2024-01-01", to: "2024-01-10", ...body });
    const cases: [object, string, RegExp][] = [
      [{ from: "2024-02-01" }, "BACKFILL_RANGE_INVALID", /reversed: 2024-01-10 is before 2024-02-01/],
      [{ from: "2020-01-01", to: "2024-12-31" }, "BACKFILL_RANGE_INVALID", /more than 1000 slots; shorten the range or take a longer step/],
      [{ parameter: "nope" }, "BACKFILL_PARAMETER_UNKNOWN", /no parameter "nope"; its date parameters: day/],
      [{ parameter: "label" }, "BACKFILL_PARAMETER_NOT_DATE", /"label" is a string; a backfill needs a date or timestamp parameter/],
      [{ from: "2024-02-30" }, "BACKFILL_RANGE_INVALID", /"2024-02-30" is not a date/],
      [{ from: "01/02/2024" }, "VALIDATION_FAILED", /YYYY-MM-DD/],
      [{ step: "hour" }, "VALIDATION_FAILED", /step/],
      [{ concurrency: 0 }, "VALIDATION_FAILED", /concurrency/],
      [{ params: { day: "2024-01-01" } }, "VALIDATION_FAILED", /each slot gets its own date/],
    ];
    for (const [body, code, message] of cases) {
      const r = await post(body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.error.code, JSON.stringify(r.body)).toBe(code);
      expect(r.body.error.message).toMatch(message);
    }
    expect((await post({ params: { nope: 1 } })).status).toBe(422);
    expect(await t.db.backfill.count({ where: { pipelineId: id } })).toBe(0);
    expect(await t.db.run.count({ where: { pipelineId: id } })).toBe(0);
    // A viewer may read backfills but not start one.
    const viewer = await t.tokenFor("viewer");
    expect((await request(t.bareApp).post(`/api/pipelines/${id}/backfills`).set("authorization", `Bearer ${viewer}`).send({ parameter: "day", from: "2024-01-01", to: "2024-01-02" })).status).toBe(403);
    expect((await request(t.bareApp).get(`/api/backfills?pipelineId=${id}`).set("authorization", `Bearer ${viewer}`)).status).toBe(200);
  }, 60_000);

  it("sluice backfill starts one on the server, follows it to the end, and says what to fix when refused", async () => {
    const id = await pipeline("From the CLI", withDay(quickPipelineGraph("cli")));
    const server: Server = t.app.listen(0, "127.0.0.1");
    await new Promise((r) => server.once("listening", r));
    const a = server.address();
    const url = `http://127.0.0.1:${typeof a === "object" && a ? a.port : 0}`;
    // The real command as CI calls it; the test app adds the owner's token to requests that bring none.
    const sluice = async (...args: string[]) => {
      try {
        const r = await promisify(execFile)(process.execPath, [path.join(repoRoot, "packages/cli/bin/sluice.mjs"), ...args], { cwd: repoRoot, env: { ...process.env, SLUICE_SERVER: url, SLUICE_TOKEN: "" } });
        return { code: 0, stdout: r.stdout, stderr: r.stderr };
      } catch (e) {
        return e as { code: number; stdout: string; stderr: string };
      }
    };
    try {
      const ok = await sluice("backfill", "From the CLI", "--parameter", "day", "--from", "2024-05-01", "--to", "2024-05-15", "--step", "week", "--concurrency", "2", "--param", "label=cli");
      expect(ok.stderr).toBe("");
      expect(ok.code).toBe(0);
      expect(ok.stdout).toMatch(/3 runs of "From the CLI" v1, day from 2024-05-01 to 2024-05-15 by week, at most 2 at once/);
      expect(ok.stdout).toContain("3/3 succeeded, 0 running, 0 queued, 0 failed");
      const [b] = (await request(t.app).get(`/api/backfills?pipelineId=${id}`)).body.backfills as BackfillInfo[];
      expect(b!.slots.map((s) => s.slot)).toEqual(["2024-05-01", "2024-05-08", "2024-05-15"]);
      expect((await waitForRun(t.app, b!.slots[2]!.runId)).params).toEqual({ day: "2024-05-15", label: "cli" });

      const reversed = await sluice("backfill", id, "--parameter", "day", "--from", "2024-05-15", "--to", "2024-05-01");
      expect(reversed.code).toBe(1);
      expect(reversed.stderr).toContain("The range is reversed: 2024-05-01 is before 2024-05-15; put the earlier date first.");
      const missing = await sluice("backfill", id, "--from", "2024-05-15");
      expect(missing.code).toBe(2);
      expect(missing.stderr).toContain("backfill needs --parameter NAME");
    } finally {
      server.close();
    }
  }, 90_000);
});
