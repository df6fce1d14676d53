import type { Job } from "pg-boss";
import { parameterValuesSchema } from "@sluice/model";
import { loadStoredGraph } from "../pipelines/load-graph.ts";
import type { RunRepository } from "./run.repository.ts";
import { RUN_QUEUE, type RunJob, type RunQueue } from "./run-queue.ts";
import type { RunExecutor } from "./run-executor.ts";
import type { RunObserver } from "./run-observer.ts";

export interface WorkerOptions {
  queue: RunQueue;
  repository: RunRepository;
  executor: RunExecutor;
  workerId: string;
  log: (m: string) => void;
  heartbeatMs?: number;
  runTimeoutMs?: number;
  maxTransientRetries?: number;
  /** Called once a run has succeeded, e.g. to start the pipelines that run after this one. */
  onSucceeded?: (run: { id: string; pipelineId: string; workspaceId: string }) => Promise<void>;
  /** Called once a run's outcome is recorded (also when it was requeued for a retry); must return at once. */
  onEnded?: (runId: string) => void;
  /** Told when each attempt starts, is planned and ends (OpenLineage events); never waited on. */
  observer?: RunObserver;
  /** Called after every run, however it ended (e.g. to sweep files left by other runs). */
  afterRun?: () => Promise<void>;
  /** How long stop() waits for an in-flight run to wind down before marking it failed itself (default 8 s). */
  stopGraceMs?: number;
  /**
   * How often the queue is polled (default 0.5 s, pg-boss's minimum). Only the fallback: a queued run wakes an
   * idle worker at once (see queue-wakeup.ts); polling finds delayed retries and runs whose announcement was missed.
   */
  pollingIntervalSeconds?: number;
}

type StopReason = "cancelled" | "timeout" | "lost" | "shutdown";

/**
 * Takes runs off the durable queue and executes them, one at a time per worker process. Liveness is a
 * heartbeat on the run row, which also carries cancellation requests; see run-reaper.ts for what
 * happens when the heartbeat stops.
 */
export async function startRunWorker(o: WorkerOptions) {
  const heartbeatMs = o.heartbeatMs ?? 1000;
  const runTimeoutMs = o.runTimeoutMs ?? 60 * 60 * 1000;
  const maxRetries = o.maxTransientRetries ?? 3;
  const stopGraceMs = o.stopGraceMs ?? 8000;
  const active = new Set<Promise<void>>();
  /** Runs executing now, each with the switch that stops it. */
  const inFlight = new Map<string, (why: StopReason) => void>();
  /** Runs stop() marked failed because they outlasted its grace: their ending has been announced already. */
  const closedByStop = new Set<string>();
  /** Set by stop(): why this worker is going away, e.g. "SIGTERM". */
  let stopping: string | undefined;
  /** An observer's mistake is logged, never the run's. */
  const observe = (what: string, call: (observer: RunObserver) => void) => {
    if (!o.observer) return;
    try {
      call(o.observer);
    } catch (e) {
      o.log(`run observer (${what}) failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  };
  /** Tells the observers (OpenLineage) and onEnded (notifications) that a run's outcome is recorded. */
  const announceEnded = (runId: string) => {
    observe("ended", (x) => x.ended(runId));
    o.onEnded?.(runId);
  };
  const shutdownError = () =>
    `The worker was stopped (${stopping ?? "shutdown"}) during the run; retry it. No target was changed by the unfinished load.`;

  async function handBack(runId: string) {
    // Delivered just as the worker stopped: another worker (or this one, restarted) takes it.
    const run = await o.repository.queueState(runId);
    if (run?.status !== "queued") return;
    const jobId = await o.queue.enqueue({ id: runId, ...run });
    await o.repository.setJob(runId, jobId);
  }

  async function handle(runId: string) {
    if (stopping) return handBack(runId);
    const attempt = await o.repository.claim(runId, o.workerId);
    if (attempt === null) return; // cancelled, finished or taken: a duplicate delivery does nothing
    const run = await o.repository.forExecution(runId);
    const workspaceId = run.pipeline.workspaceId;
    observe("started", (x) => x.started({ id: runId, workspaceId, attempt }));
    const controller = new AbortController();
    let stopReason: StopReason | undefined;
    const stop = (why: StopReason) => {
      stopReason ??= why;
      controller.abort(why);
    };
    inFlight.set(runId, stop);
    if (stopping) stop("shutdown"); // stop() came while this run was being claimed
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
      const resumedFrom = run.resumedFromId ? await o.repository.nodeOutcomes(run.resumedFromId) : undefined;
      const result = await o.executor.execute({
        runId,
        workspaceId,
        attempt,
        // The version as stored, migrated the way every stored graph is read (a run pinned to an old version runs it as it reads now).
        graph: loadStoredGraph(run.version.graph, `Version ${run.version.number}`).graph,
        params: parameterValuesSchema.catch({}).parse(run.params ?? {}),
        signal: controller.signal,
        ...(run.resumedFromId && resumedFrom
          ? {
              resume: {
                fromRunId: run.resumedFromId,
                // "Run from here" runs its node again (the planner then runs everything downstream of it too).
                succeeded: new Set(resumedFrom.filter((n) => n.status === "succeeded" && n.nodeId !== run.fromNodeId).map((n) => n.nodeId)),
                rowsOut: new Map(resumedFrom.map((n) => [n.nodeId, n.rowsOut === null ? null : Number(n.rowsOut)])),
              },
            }
          : {}),
        onNode: (node) => o.repository.upsertNode(runId, node),
        onEngine: async (engine) => void (await o.repository.setEngine(runId, engine)),
        onChecks: (nodeId, results) => o.repository.saveChecks(runId, nodeId, results),
        onPlan: (plan) => {
          if (!closedByStop.has(runId)) observe("planned", (x) => x.planned(runId, plan));
        },
        log: async (level, message, nodeId) => {
          await o.repository.log(runId, level, message, nodeId);
        },
      });
      if (result.ok) {
        // Not recorded when the run was failed meanwhile (a stop that gave up on it, or taken as lost): then it did
        // not succeed for anyone, and the pipelines that follow a success do not start.
        if (await o.repository.finish(runId, o.workerId, { status: "succeeded", rowsRead: result.rowsRead, rowsWritten: result.rowsWritten })) {
          await o.repository.log(runId, "info", `Succeeded: ${result.rowsRead} rows read, ${result.rowsWritten} rows written.`);
          await o.onSucceeded?.({ id: runId, pipelineId: run.pipelineId, workspaceId }).catch((e: unknown) => o.log(`after run ${runId}: ${e instanceof Error ? e.message : String(e)}`));
        }
      } else if (stopReason === "cancelled") {
        await o.repository.finish(runId, o.workerId, { status: "cancelled", error: "Cancelled by request; no target was changed by the unfinished load." });
        await o.repository.log(runId, "warn", "Cancelled.");
      } else if (stopReason === "shutdown") {
        await o.repository.finish(runId, o.workerId, { status: "failed", error: shutdownError() });
        await o.repository.log(runId, "error", shutdownError());
      } else if (stopReason === "timeout") {
        await o.repository.finish(runId, o.workerId, { status: "failed", error: `Timed out after ${Math.round(runTimeoutMs / 1000)} s; no target was changed by the unfinished load.` });
      } else if (result.transient && attempt <= maxRetries && stopReason === undefined) {
        const delay = 2 ** attempt;
        await o.repository.log(runId, "warn", `Transient error, retrying in ${delay} s: ${result.error}`);
        if (await o.repository.requeue(runId, o.workerId, result.error)) {
          const jobId = await o.queue.enqueue(run, { startAfterSeconds: delay });
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
      inFlight.delete(runId);
      if (!closedByStop.delete(runId)) announceEnded(runId);
      await o.afterRun?.().catch((e: Error) => o.log(`after run ${runId}: ${e.message}`));
    }
  }

  const bossWorkerId = await o.queue.boss.work<RunJob>(RUN_QUEUE, { batchSize: 1, pollingIntervalSeconds: o.pollingIntervalSeconds ?? 0.5 }, async (jobs: Job<RunJob>[]) => {
    for (const job of jobs) {
      const p = handle(job.data.runId);
      active.add(p);
      try {
        await p;
      } finally {
        active.delete(p);
      }
      // Completed here rather than by pg-boss after this returns, so the next run of this pipeline (which the
      // singleton policy held back) can be announced now; pg-boss's own completion then finds nothing to do.
      await o.queue.boss.complete(RUN_QUEUE, job.id).catch((e: Error) => o.log(`completing job ${job.id} failed: ${e.message}`));
      await o.queue.announce();
    }
  });
  // pg-boss's notifyWorker cuts an idle worker's wait short; a busy one fetches again as soon as its run ends.
  // Any number of workers may wake for one run: pg-boss's fetch (SKIP LOCKED) hands it to exactly one.
  const stopListening = o.queue.onQueued(() => o.queue.boss.notifyWorker(bossWorkerId));

  return {
    /**
     * Stops taking runs and stops the in-flight one the way a cancel does (the engine interrupts DuckDB and
     * rolls back any sink's transaction), marking it failed with `why` in its error. Runs are not re-queued:
     * as after a timeout, running the pipeline again is a person's call. If the run has not wound down within
     * stopGraceMs it is marked failed here; exiting then drops its connections, which rolls the load back.
     */
    async stop(why = "shutdown") {
      stopping ??= why;
      stopListening();
      for (const stopRun of inFlight.values()) stopRun("shutdown");
      await o.queue.boss.offWork(RUN_QUEUE).catch(() => undefined);
      let grace: NodeJS.Timeout | undefined;
      const settled = await Promise.race([
        Promise.allSettled([...active]).then(() => true),
        new Promise<false>((resolve) => (grace = setTimeout(() => resolve(false), stopGraceMs))),
      ]);
      clearTimeout(grace);
      if (settled) return;
      for (const runId of inFlight.keys()) {
        if (closedByStop.has(runId)) continue; // a second stop(): announced already
        o.log(`run ${runId} did not stop within ${stopGraceMs} ms; marking it failed`);
        // The process may exit before the run's own ending comes round, so OpenLineage's FAIL and the failure
        // notification start from here, once the status is recorded. Marked first: the run's own ending, whenever
        // it comes, then stays quiet (and its plan, should it come this late, is not reported after its end).
        closedByStop.add(runId);
        const marked = await o.repository.finish(runId, o.workerId, { status: "failed", error: shutdownError() }).catch(() => false);
        // Not marked: either the run recorded its own outcome meanwhile, or the database refused. If its ending has
        // not passed yet, it announces itself, with whatever it records.
        if (marked || !closedByStop.has(runId)) announceEnded(runId);
        else closedByStop.delete(runId);
      }
    },
  };
}
