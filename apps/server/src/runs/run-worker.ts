import type { Job } from "pg-boss";
import { parameterValuesSchema, pipelineGraphSchema } from "@sluice/model";
import type { RunRepository } from "./run.repository.ts";
import { RUN_QUEUE, type RunJob, type RunQueue } from "./run-queue.ts";
import type { RunExecutor } from "./run-executor.ts";
import type { Db } from "../db/prisma.ts";

export interface WorkerOptions {
  db: Db;
  queue: RunQueue;
  repository: RunRepository;
  executor: RunExecutor;
  workerId: string;
  log: (m: string) => void;
  heartbeatMs?: number;
  runTimeoutMs?: number;
  maxTransientRetries?: number;
  /** Called once a run has succeeded, e.g. to start the pipelines that run after this one. */
  onSucceeded?: (run: { id: string; pipelineId: string }) => Promise<void>;
}

/**
 * Takes runs off the durable queue and executes them, one at a time per worker process. Liveness is a
 * heartbeat on the run row, which also carries cancellation requests; see run-reaper.ts for what
 * happens when the heartbeat stops.
 */
export async function startRunWorker(o: WorkerOptions) {
  const heartbeatMs = o.heartbeatMs ?? 1000;
  const runTimeoutMs = o.runTimeoutMs ?? 60 * 60 * 1000;
  const maxRetries = o.maxTransientRetries ?? 3;
  const active = new Set<Promise<void>>();

  async function handle(runId: string) {
    const attempt = await o.repository.claim(runId, o.workerId);
    if (attempt === null) return; // cancelled, finished or taken: a duplicate delivery does nothing
    const run = await o.db.run.findUniqueOrThrow({ where: { id: runId }, include: { version: true } });
    const controller = new AbortController();
    let stopReason: "cancelled" | "timeout" | "lost" | undefined;
    const stop = (why: "cancelled" | "timeout" | "lost") => {
      stopReason ??= why;
      controller.abort(why);
    };
    const timer = setTimeout(() => stop("timeout"), runTimeoutMs);
    const beat = setInterval(() => {
      o.repository
        .heartbeat(runId, o.workerId)
        .then((h) => {
          if (h.cancelRequested) stop("cancelled");
          else if (!h.stillOurs) stop("lost");
        })
        .catch((e: Error) => o.log(`heartbeat for run ${runId} failed: ${e.message}`));
    }, heartbeatMs);
    try {
      await o.repository.log(runId, "info", `Started attempt ${attempt} on worker ${o.workerId}.`);
      const result = await o.executor.execute({
        runId,
        attempt,
        graph: pipelineGraphSchema.parse(run.version.graph),
        params: parameterValuesSchema.catch({}).parse(run.params ?? {}),
        signal: controller.signal,
        onNode: (node) => o.repository.upsertNode(runId, node),
        onChecks: (nodeId, results) => o.repository.saveChecks(runId, nodeId, results),
        log: async (level, message, nodeId) => {
          await o.repository.log(runId, level, message, nodeId);
        },
      });
      if (result.ok) {
        await o.repository.finish(runId, o.workerId, { status: "succeeded", rowsRead: result.rowsRead, rowsWritten: result.rowsWritten });
        await o.repository.log(runId, "info", `Succeeded: ${result.rowsRead} rows read, ${result.rowsWritten} rows written.`);
        await o.onSucceeded?.({ id: runId, pipelineId: run.pipelineId }).catch((e: unknown) => o.log(`after run ${runId}: ${e instanceof Error ? e.message : String(e)}`));
      } else if (stopReason === "cancelled") {
        await o.repository.finish(runId, o.workerId, { status: "cancelled", error: "Cancelled by request; no target was changed by the unfinished load." });
        await o.repository.log(runId, "warn", "Cancelled.");
      } else if (stopReason === "timeout") {
        await o.repository.finish(runId, o.workerId, { status: "failed", error: `Timed out after ${Math.round(runTimeoutMs / 1000)} s; no target was changed by the unfinished load.` });
      } else if (result.transient && attempt <= maxRetries && stopReason === undefined) {
        const delay = 2 ** attempt;
        await o.repository.log(runId, "warn", `Transient error, retrying in ${delay} s: ${result.error}`);
        if (await o.repository.requeue(runId, o.workerId, result.error)) {
          const jobId = await o.queue.enqueue({ id: runId, pipelineId: run.pipelineId }, { startAfterSeconds: delay });
          await o.repository.setJob(runId, jobId);
        }
      } else {
        await o.repository.finish(runId, o.workerId, { status: "failed", error: result.error });
        await o.repository.log(runId, "error", result.error);
      }
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      o.log(`run ${runId} crashed: ${message}`);
      await o.repository.finish(runId, o.workerId, { status: "failed", error: `Internal error: ${message}` }).catch(() => undefined);
    } finally {
      clearTimeout(timer);
      clearInterval(beat);
    }
  }

  await o.queue.boss.work<RunJob>(RUN_QUEUE, { batchSize: 1, pollingIntervalSeconds: 0.5 }, async (jobs: Job<RunJob>[]) => {
    for (const job of jobs) {
      const p = handle(job.data.runId);
      active.add(p);
      try {
        await p;
      } finally {
        active.delete(p);
      }
    }
  });

  return {
    async stop() {
      await o.queue.boss.offWork(RUN_QUEUE).catch(() => undefined);
      await Promise.allSettled([...active]);
    },
  };
}
