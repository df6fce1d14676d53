import { afterAll, beforeAll, expect, it } from "vitest";
import request from "supertest";
import pg from "pg";
import { QUEUE_SCHEMA } from "@sluice/pipeline";
import { createTestApp, type TestApp } from "../testing/test-app.ts";
import { waitForRun } from "../testing/wait-for-run.ts";
import { slowPipelineGraph } from "../testing/slow-pipeline.ts";
import { RUN_QUEUE } from "./run-queue.ts";

// PostgreSQL ends the queue's session (an administrator's pg_terminate_backend, a restart) just as the worker
// completes a run's job. pg-boss's work() completed the job once more after its handler, neither awaited nor caught:
// an unhandled rejection, which ends a Node process, so the worker (or the server running one) went down.
let t: TestApp;
const rejections: unknown[] = [];
const onRejection = (r: unknown) => void rejections.push(r);
beforeAll(async () => {
  process.on("unhandledRejection", onRejection);
  t = await createTestApp({ startWorker: true });
}, 60_000);
afterAll(async () => {
  process.off("unhandledRejection", onRejection);
  await t?.close();
});

const client = async () => {
  const c = new pg.Client({ connectionString: t.database.url, application_name: "sluice-test-admin" });
  c.on("error", () => undefined);
  await c.connect();
  return c;
};

/** Holds the queue's job table locked while `during` runs, so the queue's statements wait where their sessions can be ended. */
async function withQueueLocked<T>(during: (admin: pg.Client) => Promise<T>): Promise<T> {
  const locker = await client();
  const admin = await client();
  try {
    await locker.query(`BEGIN; LOCK TABLE ${QUEUE_SCHEMA}.job IN ACCESS EXCLUSIVE MODE`);
    return await during(admin);
  } finally {
    await locker.query("ROLLBACK").catch(() => undefined);
    await locker.end();
    await admin.end();
  }
}

/** Ends the queue's sessions waiting on the lock to run a statement containing `marker`; how many. */
async function endWaitingQueueSessions(admin: pg.Client, marker: string): Promise<number> {
  const { rows } = await admin.query<{ pid: number }>(
    "SELECT pid FROM pg_stat_activity WHERE datname = $1 AND application_name = 'sluice-queue' AND wait_event_type = 'Lock' AND position($2 in query) > 0",
    [t.database.name, marker],
  );
  let ended = 0;
  for (const r of rows) ended += (await admin.query("SELECT pg_terminate_backend($1)", [r.pid])).rowCount ?? 0;
  return ended;
}

it("a run whose job completion lost its connection: no crash, the job is completed, the pipeline's next run goes", async () => {
  const p = await request(t.app).post("/api/pipelines").send({ name: "Queue lost", graph: slowPipelineGraph("queue_lost", { sleepSeconds: 1 }) });
  const first = (await request(t.app).post(`/api/pipelines/${p.body.id}/runs`).send({})).body.runId as string;
  await waitForRun(t.app, first, ["running"]);
  const ended = await withQueueLocked(async (admin) => {
    const until = Date.now() + 20_000;
    let n = 0;
    // Twice: the worker's own completion and the next one (pg-boss's second completion before the fix, the
    // worker's second try since).
    while (n < 2 && Date.now() < until) {
      n += await endWaitingQueueSessions(admin, "completed_on = now()");
      await new Promise((r) => setTimeout(r, 50));
    }
    return n;
  });
  expect(ended).toBe(2);
  expect((await waitForRun(t.app, first)).status).toBe("succeeded");
  await new Promise((r) => setTimeout(r, 500));
  expect(rejections.map(String)).toEqual([]);
  const second = (await request(t.app).post(`/api/pipelines/${p.body.id}/runs`).send({})).body.runId as string;
  const run = await waitForRun(t.app, second, ["succeeded", "failed", "cancelled"], 20_000);
  expect(run.status, run.error ?? "").toBe("succeeded");
  const jobs = await t.db.$queryRawUnsafe<{ state: string }[]>(`SELECT state::text FROM ${QUEUE_SCHEMA}.job WHERE name = $1 AND data->>'runId' = $2`, RUN_QUEUE, first);
  expect(jobs).toEqual([{ state: "completed" }]);
  expect(t.logs.some((l) => /completing job .* failed, trying again: terminating connection due to administrator command/.test(l))).toBe(true);
}, 60_000);

it("a run retried after a lost connection that cannot be queued again fails saying so, instead of staying queued for ever", async () => {
  const p = await request(t.app).post("/api/pipelines").send({ name: "Requeue lost", graph: slowPipelineGraph("requeue_lost", { sleepSeconds: 30 }) });
  const runId = (await request(t.app).post(`/api/pipelines/${p.body.id}/runs`).send({})).body.runId as string;
  await waitForRun(t.app, runId, ["running"]);
  const run = await withQueueLocked(async (admin) => {
    // A restart ends the source's session, and the queue's while the worker queues the retry.
    const until = Date.now() + 30_000;
    let source = 0;
    while (source === 0 && Date.now() < until) {
      const { rows } = await admin.query<{ pid: number }>("SELECT pid FROM pg_stat_activity WHERE datname = $1 AND query LIKE '%pg_sleep(30)%' AND pid <> pg_backend_pid()", [t.warehouse.settings.database]);
      for (const r of rows) source += (await admin.query("SELECT pg_terminate_backend($1)", [r.pid])).rowCount ?? 0;
      await new Promise((r) => setTimeout(r, 50));
    }
    for (;;) {
      const detail = (await request(t.app).get(`/api/runs/${runId}`)).body as { status: string; error: string | null };
      if (detail.status === "failed" || Date.now() > until) return detail;
      await endWaitingQueueSessions(admin, `INSERT INTO ${QUEUE_SCHEMA}.job`);
      await new Promise((r) => setTimeout(r, 50));
    }
  });
  expect(run.status, JSON.stringify(run)).toBe("failed");
  expect(run.error).toMatch(/^PostgreSQL \(src\): The connection to the database was lost .* It could not be queued for another attempt \(terminating connection due to administrator command\); start it again\.$/);
  expect(t.logs.filter((l) => new RegExp(`queueing run ${runId} again failed`).test(l))).toHaveLength(4);
  expect(rejections.map(String)).toEqual([]);
}, 60_000);
