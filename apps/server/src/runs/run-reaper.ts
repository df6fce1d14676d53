import type { RunRepository } from "./run.repository.ts";
import type { RunQueue } from "./run-queue.ts";

/**
 * Every server and worker process runs this: a running run whose heartbeat is older than `staleSeconds`
 * lost its worker (killed, crashed, machine gone). It is marked failed and its queue job released, so the
 * pipeline's next runs are not held behind it. Its sinks never committed, so no target changed.
 */
export function startRunReaper(o: { repository: RunRepository; queue: RunQueue; staleSeconds: number; log: (m: string) => void }) {
  const tick = async () => {
    const lost = await o.repository.reapLost(o.staleSeconds);
    for (const r of lost) {
      o.log(`run ${r.id} lost its worker; marked failed`);
      await o.repository.log(r.id, "error", "Worker lost: the process running this run stopped responding.");
      if (r.job_id) await o.queue.failJob(r.job_id, "worker lost");
    }
  };
  const timer = setInterval(() => {
    tick().catch((e: Error) => o.log(`reaper failed: ${e.message}`));
  }, Math.max(500, (o.staleSeconds * 1000) / 3));
  return { stop: () => clearInterval(timer) };
}
