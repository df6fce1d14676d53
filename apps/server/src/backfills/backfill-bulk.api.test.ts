import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import { QUEUE_SCHEMA } from "@sluice/pipeline";
import { pipelineGraphSchema, type BackfillInfo } from "@sluice/model";
import { createTestApp, type TestApp } from "../testing/test-app.ts";
import { quickPipelineGraph } from "../testing/quick-pipeline.ts";
import { listenForQueuedRuns } from "../runs/queue-wakeup.ts";
import { queueKeyOf, RUN_QUEUE } from "../runs/run-queue.ts";
import { queueRunsInTransaction } from "../runs/queue-runs.repository.ts";
import { systemActor } from "../audit/audit.repository.ts";
import { incrementalFilesGraph, incrementalGraph } from "../testing/incremental-pipeline.ts";
import { sqlRows } from "../testing/sql-rows.ts";
import { uploadFile } from "../testing/upload-file.ts";

// No worker: the 1,000 runs stay queued, so what the start wrote can be read as it is.
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
}, 60_000);
afterAll(async () => {
  await t?.close();
});

type Job = { id: string; runId: string; singleton_key: string; policy: string; retry_limit: number; expire_in: string; state: string };
const dayGraph = (table: string) => ({ ...quickPipelineGraph(table), parameters: [{ name: "day", type: "date" as const, default: "2020-01-01" }] });
const jobsOf = (runIds: string[]) =>
  t.db.$queryRawUnsafe<Job[]>(
    `SELECT id::text, data->>'runId' AS "runId", singleton_key, policy, retry_limit, expire_in::text, state::text FROM ${QUEUE_SCHEMA}.job WHERE name = $1 AND data->>'runId' = ANY($2::text[])`,
    RUN_QUEUE,
    runIds,
  );

describe("starting a large backfill", () => {
  it("accepts 1,000 slots at once: every slot has exactly one queued run and one job in its lane, and the workers are woken", async () => {
    const p = await request(t.app).post("/api/pipelines").send({ name: "Thousand days", graph: dayGraph("thousand") });
    expect(p.status, JSON.stringify(p.body)).toBe(201);
    const wakeup = listenForQueuedRuns(t.database.url, (m) => t.logs.push(m));
    let woken = 0;
    // Subscribing wakes once when listening starts; count from there.
    await new Promise<void>((resolve) => wakeup.subscribe(() => (woken++ === 0 ? resolve() : undefined)));
    try {
      const res = await request(t.app).post(`/api/pipelines/${p.body.id}/backfills`).send({ parameter: "day", from: "2021-01-01", to: "2023-09-27", concurrency: 3 });
      expect(res.status, JSON.stringify(res.body)).toBe(202);
      const b = res.body as BackfillInfo;
      expect(b.counts).toMatchObject({ total: 1000, queued: 1000 });
      expect(b.slots[0]!.slot).toBe("2021-01-01");
      expect(b.slots[999]!.slot).toBe("2023-09-27");
      expect(b.slots.every((s) => s.runs === 1 && s.status === "queued")).toBe(true);

      const runs = await t.db.run.findMany({ where: { backfillId: b.id }, select: { id: true, pipelineId: true, backfillId: true, backfillSlot: true, backfillLane: true, jobId: true, params: true, trigger: true } });
      expect(runs).toHaveLength(1000);
      expect(new Set(runs.map((r) => r.backfillSlot)).size).toBe(1000);
      const bySlot = new Map(runs.map((r) => [r.backfillSlot!, r]));
      for (const [i, s] of b.slots.entries()) {
        const r = bySlot.get(s.slot)!;
        expect(r).toMatchObject({ id: s.runId, backfillLane: i % 3, params: { day: s.slot }, trigger: "backfill" });
      }
      // One job per run, the one the run names, keyed by the run's lane exactly as a single enqueue keys it.
      const jobs = await jobsOf(runs.map((r) => r.id));
      expect(jobs).toHaveLength(1000);
      const jobByRun = new Map(jobs.map((j) => [j.runId, j]));
      expect(jobByRun.size).toBe(1000);
      for (const r of runs) {
        const j = jobByRun.get(r.id)!;
        expect(j.id).toBe(r.jobId);
        expect(j.singleton_key).toBe(queueKeyOf(r));
        expect(j.state).toBe("created");
      }
      // The queue's settings apply as to a job sent alone (singleton policy, no blind retries, the same expiry).
      const single = await t.deps.runs.queue.enqueue({ id: "00000000-0000-0000-0000-000000000000", pipelineId: p.body.id });
      const [alone] = await t.db.$queryRawUnsafe<Job[]>(`SELECT policy, retry_limit, expire_in::text FROM ${QUEUE_SCHEMA}.job WHERE id = $1::uuid`, single);
      await t.deps.runs.queue.cancelJob(single);
      expect(new Set(jobs.map((j) => `${j.policy} ${j.retry_limit} ${j.expire_in}`))).toEqual(new Set([`${alone!.policy} ${alone!.retry_limit} ${alone!.expire_in}`]));
      expect(await t.db.auditEvent.count({ where: { action: "run.started", resourceId: { in: runs.map((r) => r.id) } } })).toBe(1000);
      expect(await t.db.runLog.count({ where: { runId: { in: runs.map((r) => r.id) } } })).toBe(1000);
      // The commit announced the runs to idle workers (NOTIFY), so they need not wait for their next poll.
      await expect.poll(() => woken, { timeout: 10_000 }).toBeGreaterThan(1);
    } finally {
      await wakeup.close();
    }
  }, 120_000);

  it("queues all or nothing: when the transaction fails after the runs and jobs were written, neither is left", async () => {
    const p = await request(t.app).post("/api/pipelines").send({ name: "Rolled back", graph: dayGraph("rolled_back") });
    const workspaceId = (await t.db.pipeline.findUniqueOrThrow({ where: { id: p.body.id } })).workspaceId;
    let written: string[] = [];
    const attempt = t.deps.backfills.repository.transaction(async (tx) => {
      const created = await t.deps.backfills.repository.create(workspaceId, { pipelineId: p.body.id, parameter: "day", from: "2024-01-01", to: "2024-01-05", step: "day", concurrency: 2, versionNumber: 1, params: {} }, tx);
      written = await queueRunsInTransaction(tx, t.deps.runs.queue, systemActor(workspaceId), workspaceId, {
        pipelineId: p.body.id,
        checked: { versionNumber: 1, graph: pipelineGraphSchema.parse(dayGraph("rolled_back")) },
        trigger: "backfill",
        runs: ["2024-01-01", "2024-01-02", "2024-01-03"].map((slot, i) => ({ params: { day: slot }, backfill: { id: created!.id, slot, lane: i % 2 } })),
      });
      expect(await tx.run.count({ where: { id: { in: written } } })).toBe(3);
      throw new Error("the server stopped");
    });
    await expect(attempt).rejects.toThrow("the server stopped");
    expect(written).toHaveLength(3);
    expect(await t.db.backfill.count({ where: { pipelineId: p.body.id } })).toBe(0);
    expect(await t.db.run.count({ where: { pipelineId: p.body.id } })).toBe(0);
    expect(await jobsOf(written)).toEqual([]);
  }, 60_000);

  it("retries failed slots once when two retries come at the same moment: one queues them, the other answers 409", async () => {
    const p = await request(t.app).post("/api/pipelines").send({ name: "Retried twice", graph: dayGraph("retried_twice") });
    const res = await request(t.app).post(`/api/pipelines/${p.body.id}/backfills`).send({ parameter: "day", from: "2024-06-01", to: "2024-06-03", concurrency: 2 });
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    const b = res.body as BackfillInfo;
    await t.db.run.updateMany({ where: { id: { in: [b.slots[0]!.runId, b.slots[2]!.runId] } }, data: { status: "failed", error: "disk full" } });
    const answers = await Promise.all([1, 2, 3].map(() => request(t.app).post(`/api/backfills/${b.id}/retry-failed`)));
    expect(answers.map((a) => a.status).sort()).toEqual([202, 409, 409]);
    const after = (await request(t.app).get(`/api/backfills/${b.id}`)).body as BackfillInfo;
    expect(after.slots.map((s) => s.runs)).toEqual([2, 1, 2]);
    expect(await t.db.run.count({ where: { backfillId: b.id } })).toBe(5);
  }, 60_000);

  it("a failed slot's run retried from its run page stays the slot's run: the backfill counts it, in its lane, and does not queue the slot again", async () => {
    const p = await request(t.app).post("/api/pipelines").send({ name: "Retried from the run page", graph: dayGraph("retried_run_page") });
    const res = await request(t.app).post(`/api/pipelines/${p.body.id}/backfills`).send({ parameter: "day", from: "2024-07-01", to: "2024-07-03", concurrency: 2 });
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    const b = res.body as BackfillInfo;
    const failed = b.slots[2]!.runId;
    await t.db.run.update({ where: { id: failed }, data: { status: "failed", error: "disk full" } });
    const retried = await request(t.app).post(`/api/runs/${failed}/retry`);
    expect(retried.status, JSON.stringify(retried.body)).toBe(202);
    const run = await t.db.run.findUniqueOrThrow({ where: { id: retried.body.runId }, select: { backfillId: true, backfillSlot: true, backfillLane: true, params: true, trigger: true } });
    expect(run).toEqual({ backfillId: b.id, backfillSlot: "2024-07-03", backfillLane: 0, params: { day: "2024-07-03" }, trigger: "backfill (retry)" });
    const [job] = await jobsOf([retried.body.runId]);
    expect(job!.singleton_key).toBe(`backfill:${b.id}:0`);
    const after = (await request(t.app).get(`/api/backfills/${b.id}`)).body as BackfillInfo;
    expect(after.slots[2]).toMatchObject({ runId: retried.body.runId, status: "queued", runs: 2 });
    expect(after.counts).toMatchObject({ failed: 0, queued: 3 });
    // Nothing left to retry: the slot is not queued a second time, neither by the backfill nor from the old run's page.
    expect((await request(t.app).post(`/api/backfills/${b.id}/retry-failed`)).status).toBe(409);
    const again = await request(t.app).post(`/api/runs/${failed}/retry`);
    expect(again.status).toBe(409);
    expect(again.body.error.message).toMatch(/has had a newer run since; retry that one instead/);
    expect(await t.db.run.count({ where: { pipelineId: p.body.id } })).toBe(4);
  }, 60_000);

  it("backfills a date parameter whose name is also an Object method (constructor, toString): the slot's date goes in it", async () => {
    for (const name of ["constructor", "toString"]) {
      const graph = { ...quickPipelineGraph(`named_${name.toLowerCase()}`), parameters: [{ name, type: "date" as const, default: "2020-01-01" }] };
      const p = await request(t.app).post("/api/pipelines").send({ name: `Parameter ${name}`, graph });
      expect(p.status, JSON.stringify(p.body)).toBe(201);
      const res = await request(t.app).post(`/api/pipelines/${p.body.id}/backfills`).send({ parameter: name, from: "2024-06-01", to: "2024-06-02" });
      expect(res.status, JSON.stringify(res.body)).toBe(202);
      const b = res.body as BackfillInfo;
      const runs = await t.db.run.findMany({ where: { backfillId: b.id }, orderBy: { backfillSlot: "asc" }, select: { params: true } });
      expect(runs.map((r) => r.params)).toEqual([{ [name]: "2024-06-01" }, { [name]: "2024-06-02" }]);
    }
  }, 60_000);

  it("refuses to backfill a pipeline with an incremental source, which would read nothing for past dates and the same rows twice side by side", async () => {
    await sqlRows(t.warehouse.url, `CREATE TABLE warehouse.backfill_inc_src (id bigint PRIMARY KEY, at timestamptz NOT NULL)`);
    await sqlRows(t.warehouse.url, `INSERT INTO warehouse.backfill_inc_src VALUES (1, now())`);
    const withDay = (graph: object) => ({ ...graph, parameters: [{ name: "day", type: "date" as const, default: "2020-01-01" }] });
    await uploadFile(t.app, "backfill-inc-1.csv", "id\n1\n");
    const cases: [object, RegExp][] = [
      [incrementalGraph("backfill_inc_src", "backfill_inc_dst"), /Source "src" reads incrementally \(watermark column "id"\)/],
      [incrementalFilesGraph("backfill-inc-*.csv", "backfill_inc_files"), /Source "src" reads only files no earlier run read/],
    ];
    for (const [graph, message] of cases) {
      const p = await request(t.app).post("/api/pipelines").send({ name: `Incremental ${Math.random()}`, graph: withDay(graph) });
      expect(p.status, JSON.stringify(p.body)).toBe(201);
      const r = await request(t.app).post(`/api/pipelines/${p.body.id}/backfills`).send({ parameter: "day", from: "2024-01-01", to: "2024-01-05", concurrency: 2 });
      expect(r.status, JSON.stringify(r.body)).toBe(400);
      expect(r.body.error.code).toBe("BACKFILL_INCREMENTAL_SOURCE");
      expect(r.body.error.message).toMatch(message);
      expect(await t.db.backfill.count({ where: { pipelineId: p.body.id } })).toBe(0);
      expect(await t.db.run.count({ where: { pipelineId: p.body.id } })).toBe(0);
    }
  }, 60_000);
});
