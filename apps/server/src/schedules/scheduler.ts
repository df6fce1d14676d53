import { slotsBetween } from "@sluice/model";
import type { RunService } from "../runs/run.service.ts";
import type { ScheduleRepository, SlotOutcome } from "./schedule.repository.ts";
import { systemActor } from "../audit/audit.repository.ts";

export interface SchedulerOptions {
  schedules: ScheduleRepository;
  runs: Pick<RunService, "start">;
  log: (m: string) => void;
  /** How often schedules are checked; a slot fires within about this long of its time. */
  tickMs: number;
  /** A slot later than this when seen was missed (no worker ran at its time); default two ticks and a second. */
  missedAfterMs?: number;
  now?: () => Date;
}

/** Slots recorded per schedule and tick at most: after a long outage only the newest are, the rest are counted in the log. */
export const MAX_SLOTS_PER_TICK = 100;

/**
 * Fires schedules through the same run queue as manual runs. Every worker process runs this loop. Each tick, a
 * schedule's slots since the last one it handled are each recorded once in schedule_slots (its primary key is
 * (schedule, slot)), under a per-schedule lock so that two workers never decide on the same schedule at once.
 * A slot starts a run, or is recorded as skipped with the reason: the schedule's previous run is still queued
 * or running (a schedule never overlaps itself), or the slot was missed while no worker ran and the policy
 * replays only the latest missed slot ("catch_up_once") or none ("skip").
 */
export function startScheduler(o: SchedulerOptions) {
  const now = o.now ?? (() => new Date());
  const missedAfterMs = o.missedAfterMs ?? 2 * o.tickMs + 1000;
  let stopped = false;
  let running: Promise<void> = Promise.resolve();

  type Due = Awaited<ReturnType<ScheduleRepository["enabled"]>>[number];

  async function decide(s: Due, slot: Date, at: Date, latest: boolean): Promise<SlotOutcome> {
    const missed = at.getTime() - slot.getTime() > missedAfterMs;
    if (missed && s.missed === "skip") return { skipped: "Missed while no Sluice worker was running; this schedule skips missed slots." };
    if (missed && !latest) return { skipped: "Missed while no Sluice worker was running; only the latest missed slot is caught up." };
    const active = await o.schedules.activeRun(s.id);
    if (active) return { skipped: `The run of ${active.slot.toISOString()} (${active.runId}) is still ${active.status}; a schedule does not overlap itself.` };
    try {
      // Nobody asked for this run: the audit log names the schedule, in the pipeline's workspace.
      const runId = await o.runs.start(s.workspaceId, systemActor(s.workspaceId, `schedule ${s.id}`), {
        pipelineId: s.pipelineId,
        params: s.values,
        trigger: missed ? "schedule (caught up)" : "schedule",
      });
      return { runId };
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      o.log(`schedule ${s.id} could not start a run of pipeline ${s.pipelineId}: ${message}`);
      return { error: message };
    }
  }

  async function handle(s: Due, at: Date) {
    // False when another worker is handling this schedule now: its slots are theirs this tick.
    await o.schedules.exclusively(s.id, async () => {
      // Read again under the lock: another worker may have handled slots since the list was read.
      const mark = await o.schedules.mark(s.id);
      if (!mark || !mark.enabled) return;
      const since = mark.lastSlotAt ?? s.createdAt;
      const { slots, more } = slotsBetween(s.cron, s.timezone, since, at, MAX_SLOTS_PER_TICK);
      if (more) o.log(`schedule ${s.id}: more than ${MAX_SLOTS_PER_TICK} slots passed since ${since.toISOString()}; only the newest ${MAX_SLOTS_PER_TICK} are recorded`);
      for (const [i, slot] of slots.entries()) {
        // The primary key is the last word: a slot already recorded is never decided again.
        if (!(await o.schedules.claim(s.id, slot))) continue;
        await o.schedules.settle(s.id, slot, await decide(s, slot, at, i === slots.length - 1));
      }
      const last = slots.at(-1);
      if (last) await o.schedules.markHandled(s.id, last);
    });
  }

  async function tick() {
    const at = now();
    for (const s of await o.schedules.enabled()) {
      try {
        await handle(s, at);
      } catch (e) {
        o.log(`schedule ${s.id}: ${e instanceof Error ? e.message : String(e)}`);
      }
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
