import { latestSlot } from "@sluice/model";
import type { RunService } from "../runs/run.service.ts";
import type { ScheduleRepository } from "./schedule.repository.ts";
import { systemActor } from "../audit/audit.repository.ts";

export interface SchedulerOptions {
  schedules: ScheduleRepository;
  runs: Pick<RunService, "start">;
  log: (m: string) => void;
  /** How often schedules are checked; a slot fires within about this long of its time. */
  tickMs: number;
  now?: () => Date;
}

/**
 * Fires schedules through the same run queue as manual runs. Every worker process runs this loop; the
 * slot claim in the database makes each slot start exactly one run. Slots missed while nothing ran: only
 * the latest counts, and it runs once ("catch_up_once") or is skipped ("skip"); older ones are never replayed.
 */
export function startScheduler(o: SchedulerOptions) {
  const now = o.now ?? (() => new Date());
  let stopped = false;
  let running: Promise<void> = Promise.resolve();

  async function tick() {
    const at = now();
    for (const s of await o.schedules.enabled()) {
      let slot: Date | undefined;
      try {
        slot = latestSlot(s.cron, s.timezone, at);
      } catch (e) {
        o.log(`schedule ${s.id}: ${(e as Error).message}`);
        continue;
      }
      const since = s.lastSlotAt ?? s.createdAt;
      if (!slot || slot <= since) continue;
      // Late by more than two ticks means Sluice was not running at the slot's time.
      const missed = at.getTime() - slot.getTime() > 2 * o.tickMs + 1000;
      if (missed && s.missed === "skip") {
        await o.schedules.markHandled(s.id, slot);
        continue;
      }
      if (!(await o.schedules.claim(s.id, slot))) continue;
      try {
        // Nobody asked for this run: the audit log names the schedule, in the pipeline's workspace.
        const runId = await o.runs.start(s.workspaceId, systemActor(s.workspaceId, `schedule ${s.id}`), {
          pipelineId: s.pipelineId,
          params: s.values,
          trigger: missed ? "schedule (caught up)" : "schedule",
        });
        await o.schedules.settle(s.id, slot, { runId });
      } catch (e) {
        const message = e instanceof Error ? e.message : String(e);
        o.log(`schedule ${s.id} could not start a run of pipeline ${s.pipelineId}: ${message}`);
        await o.schedules.settle(s.id, slot, { error: message });
      }
      await o.schedules.markHandled(s.id, slot);
    }
  }

  const timer = setInterval(() => {
    if (stopped) return;
    running = running.then(tick).catch((e: unknown) => o.log(`scheduler: ${e instanceof Error ? e.message : String(e)}`));
  }, o.tickMs);

  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
