import PgBoss from "pg-boss";
import { QUEUE_SCHEMA } from "@sluice/pipeline";
import { announceQueuedRun, listenForQueuedRuns, type QueueWakeup } from "./queue-wakeup.ts";
import { orderedIds } from "./ordered-ids.ts";

export const RUN_QUEUE = "pipeline-runs";

export interface RunJob {
  runId: string;
}

/** What decides which runs may be active together: the pipeline, or for a backfill's run its lane. */
export interface QueuedRun {
  id: string;
  pipelineId: string;
  backfillId?: string | null;
  backfillLane?: number | null;
}

/**
 * The singleton key of a run's job: one active job per key. Runs of a pipeline share one, so they queue behind
 * each other; a backfill's runs share one per lane (slot index modulo its concurrency), so at most `concurrency`
 * of them are active at once on however many workers, while they do not wait for the pipeline's other runs.
 */
export const queueKeyOf = (run: QueuedRun) =>
  run.backfillId && run.backfillLane !== null && run.backfillLane !== undefined ? `backfill:${run.backfillId}:${run.backfillLane}` : run.pipelineId;

/** Runs one SQL statement with positional parameters and says how many rows it wrote: a transaction's, to write along with it. */
export type SqlExecutor = (text: string, values: unknown[]) => Promise<number>;

export interface RunQueue {
  boss: PgBoss;
  enqueue(run: QueuedRun, options?: { startAfterSeconds?: number }): Promise<string>;
  /**
   * Queues the runs' jobs in one statement through `sql`, with the same singleton keys as enqueue, so a caller's
   * transaction holds the jobs and the rows they carry together; the job ids, in the runs' order (which is also the
   * order they are taken in). Announces nothing: the caller notifies in that transaction (queue-wakeup.ts).
   */
  enqueueMany(runs: QueuedRun[], sql: SqlExecutor): Promise<string[]>;
  failJob(jobId: string, reason: string): Promise<void>;
  cancelJob(jobId: string): Promise<void>;
  /** Tells every worker that a run may be able to start now, e.g. the next of a pipeline whose run just ended. */
  announce(): Promise<void>;
  /** Calls `listener` when a run that can start now is queued by any process; a hint only (see queue-wakeup.ts). */
  onQueued(listener: () => void): () => void;
  stop(): Promise<void>;
}

/**
 * The durable queue lives in the same PostgreSQL (schema QUEUE_SCHEMA, which pipelines may not read or write).
 * The "singleton" policy keyed by pipeline lets any number of runs wait but only one per pipeline be active, so
 * runs of a pipeline queue behind each other while different pipelines run in parallel on any worker (a
 * backfill's runs are keyed by lane instead: queueKeyOf).
 */
export async function startRunQueue(connectionString: string, options: { runTimeoutSeconds: number; log: (m: string) => void }): Promise<RunQueue> {
  const boss = new PgBoss({ connectionString, schema: QUEUE_SCHEMA, max: 4, application_name: "sluice-queue" });
  let stopping = false;
  boss.on("error", (e: Error & { code?: string }) => {
    // 57P01 (admin_shutdown): a session ended by PostgreSQL shutting down or an administrator. News while the
    // queue runs; during a deliberate stop, expected, and printing it made every clean stop look like a failure.
    if (stopping && e.code === "57P01") return;
    options.log(`queue error: ${e.message}`);
  });
  await boss.start();
  await boss.createQueue(RUN_QUEUE, {
    name: RUN_QUEUE,
    policy: "singleton",
    // Retries are ours (transient errors only), so a job is never re-run blindly.
    retryLimit: 0,
    expireInSeconds: options.runTimeoutSeconds + 300,
  }).catch((e: Error) => {
    if (!/already exists/i.test(e.message)) throw e;
  });
  // Opened by the first worker that asks: a server without a worker keeps no extra connection.
  let wakeup: QueueWakeup | undefined;
  const announce = () => announceQueuedRun((sql, values) => boss.getDb().executeSql(sql, values), options.log);
  return {
    boss,
    async enqueue(run, o = {}) {
      const id = await boss.send(RUN_QUEUE, { runId: run.id } satisfies RunJob, {
        singletonKey: queueKeyOf(run),
        ...(o.startAfterSeconds ? { startAfter: o.startAfterSeconds } : {}),
      });
      if (!id) throw new Error(`the queue refused run ${run.id}`);
      // After send has committed, so a worker that wakes finds the job; a delayed retry is left to polling.
      if (!o.startAfterSeconds) await announce();
      return id;
    },
    async enqueueMany(runs, sql) {
      const ids = orderedIds(runs.length);
      const jobs = runs.map((run, i) => ({ id: ids[i]!, name: RUN_QUEUE, data: { runId: run.id } satisfies RunJob, singletonKey: queueKeyOf(run) }));
      let inserted = 0;
      // pg-boss's own bulk insert (one INSERT … SELECT FROM json_to_recordset), run on the caller's connection.
      await boss.insert(jobs, {
        db: {
          executeSql: async (text, values) => {
            inserted = await sql(text, values.map((v) => v ?? null));
            return { rows: [] };
          },
        },
      });
      // Its INSERT says ON CONFLICT DO NOTHING: a job it skipped would be a run that never starts.
      if (inserted !== runs.length) throw new Error(`the queue took ${inserted} of ${runs.length} runs`);
      return ids;
    },
    announce,
    async failJob(jobId, reason) {
      await boss.fail(RUN_QUEUE, jobId, { reason }).catch(() => undefined);
    },
    async cancelJob(jobId) {
      await boss.cancel(RUN_QUEUE, jobId).catch(() => undefined);
    },
    onQueued(listener) {
      wakeup ??= listenForQueuedRuns(connectionString, options.log);
      return wakeup.subscribe(listener);
    },
    async stop() {
      stopping = true;
      await wakeup?.close();
      return boss.stop({ graceful: true, wait: true, timeout: 10_000 });
    },
  };
}
