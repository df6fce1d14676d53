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

/** How often a call to the queue is tried before the worker gives up on it (persist). */
const QUEUE_TRIES = 4;

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

  /**
   * A call to the queue, tried again (1 s, then 2 s, 3 s apart) when it fails: PostgreSQL may have ended the queue's
   * session (a restart, an administrator), and the pool connects anew. Each failure is logged.
   */
  async function persist<T>(what: string, call: () => Promise<T>): Promise<{ ok: true; value: T } | { ok: false; error: string }> {
    for (let tries = 1; ; tries++) {
      try {
        return { ok: true, value: await call() };
      } catch (e) {
        const error = e instanceof Error ? e.message : String(e);
        o.log(`${what} failed${tries < QUEUE_TRIES ? ", trying again" : ""}: ${error}`);
        if (tries >= QUEUE_TRIES) return { ok: false, error };
        await new Promise((r) => setTimeout(r, 1000 * tries));
      }
    }
  }

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
          // The queue's connection may have gone with the source's (a restart ends every session): tried again, and
          // should it still fail the run fails saying so, rather than stay queued with no job to start it.
          const jobId = await persist(`queueing run ${runId} again`, () => o.queue.enqueue(run, { startAfterSeconds: delay }));
          if (jobId.ok) await o.repository.setJob(runId, jobId.value);
          else {
            const error = `${result.error} It could not be queued for another attempt (${jobId.error}); start it again.`;
            if (await o.repository.failRequeued(runId, error)) await o.repository.log(runId, "error", error);
          }
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

  /**
   * Takes one job at a time off the queue. Not pg-boss's work(): after its handler returns it completes (or fails)
   * the job without waiting for or catching the outcome, so a queue connection that PostgreSQL ended right then (a
   * restart, an administrator's pg_terminate_backend) was an unhandled rejection, which ends the process: a worker,
   * or the whole server with RUN_WORKER, went down with every run it held. Here every call to the queue is awaited
   * and a failure of one is logged; the loop goes on.
   */
  const pollMs = Math.max(100, (o.pollingIntervalSeconds ?? 0.5) * 1000);
  let taking = true;
  let wake: (() => void) | undefined;
  /** A run was announced since the last fetch began: the next fetch follows at once, as it may have missed it. */
  let announced = false;
  /** Waits for the next poll, or less when a queued run is announced or the worker stops. */
  const idle = () =>
    new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, pollMs);
      wake = done;
    });
  const take = async (job: Job<RunJob>) => {
    const p = handle(job.data.runId).catch(async (e: unknown) => {
      // The metadata database failed the worker before the run was under way (claiming it, reading it): a run still
      // queued goes back on the queue, so it is not left without a job.
      o.log(`run ${job.data.runId} could not be taken: ${e instanceof Error ? e.message : String(e)}`);
      await handBack(job.data.runId).catch((h: Error) => o.log(`run ${job.data.runId} could not be queued again: ${h.message}`));
    });
    active.add(p);
    try {
      await p;
    } finally {
      active.delete(p);
    }
    // Completed as soon as the run ended, so the next run of this pipeline (which the singleton policy held back)
    // can be announced now. Tried again when it fails: a job left active holds the pipeline's next runs back until
    // it expires (the run timeout and five minutes).
    await persist(`completing job ${job.id}`, () => o.queue.boss.complete(RUN_QUEUE, job.id));
    await o.queue.announce();
  };
  void (async () => {
    while (taking) {
      let jobs: Job<RunJob>[] = [];
      announced = false;
      try {
        // pg-boss answers none when the query failed (it logs nothing): the next poll tries again.
        jobs = await o.queue.boss.fetch<RunJob>(RUN_QUEUE, { batchSize: 1 });
      } catch (e) {
        if (taking) o.log(`taking a run off the queue failed: ${(e as Error).message}`);
      }
      for (const job of jobs) await take(job);
      if (taking && jobs.length === 0 && !announced) await idle();
    }
  })();
  // A queued run's announcement cuts an idle worker's wait short; a busy one fetches again as soon as its run ends.
  // Any number of workers may wake for one run: pg-boss's fetch (SKIP LOCKED) hands it to exactly one.
  const stopListening = o.queue.onQueued(() => {
    announced = true;
    wake?.();
  });

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
      taking = false;
      wake?.();
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
