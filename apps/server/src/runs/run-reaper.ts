import type { RunRepository } from "./run.repository.ts";
import type { RunQueue } from "./run-queue.ts";

export interface RunReaperOptions {
  repository: RunRepository;
  queue: RunQueue;
  staleSeconds: number;
  log: (m: string) => void;
  /** After each tick, with the ids of the runs it failed (e.g. to sweep their files); the first tick is at start. */
  afterTick?: (reaped: string[], first: boolean) => Promise<void>;
}

/**
 * Every server and worker process runs this, whatever worker held the run: a running run whose heartbeat is
 * older than `staleSeconds` lost its worker (killed, crashed, machine gone). It is marked failed (not
 * re-queued: whether to run it again is a person's call, as after a timeout) and its queue job released, so
 * the pipeline's next runs are not held behind it. Its sinks never committed, so no target changed.
 *
 * Timing: the worker beats every second; ticks come every staleSeconds / 3 (at least 0.5 s) and one at start,
 * so a live process fails a dead worker's run at most staleSeconds * 4/3 + 1 s after its last beat (41 s by
 * default). Only when no process is alive at all does it wait for the next one to start.
 */
export function startRunReaper(o: RunReaperOptions) {
  let first = true;
  let running: Promise<void> | undefined;
  const tick = async () => {
    const lost = await o.repository.reapLost(o.staleSeconds);
    for (const r of lost) {
      o.log(`run ${r.id} lost its worker; marked failed`);
      await o.repository.log(r.id, "error", "Worker lost: the process running this run stopped responding.");
      if (r.job_id) await o.queue.failJob(r.job_id, "worker lost");
    }
    const wasFirst = first;
    first = false;
    await o.afterTick?.(lost.map((r) => r.id), wasFirst);
  };
  const run = () => {
    // One tick at a time: a slow sweep must not pile up ticks behind it.
    running ??= tick()
      .catch((e: Error) => o.log(`reaper failed: ${e.message}`))
      .finally(() => (running = undefined));
    return running;
  };
  void run();
  const timer = setInterval(() => void run(), Math.max(500, (o.staleSeconds * 1000) / 3));
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
