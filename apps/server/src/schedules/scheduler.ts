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
  /**
   * A slot later than this when seen, and older than this process's unbroken checking, was missed (no worker ran at
   * its time); default two ticks and a second.
   */
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

  /**
   * Since when this process's ticks have been reading the schedules without a break (the first such tick's time):
   * a slot after it was not missed while no worker ran, however late a slow tick came to it. Undefined until a tick
   * reads the schedules, and again after one could not (the database was unreachable).
   */
  let watchingSince: Date | undefined;
  /** When this process's last tick ended: a longer pause before the next one means it was not checking meanwhile. */
  let lastTickEnd: Date | undefined;

  async function decide(s: Due, slot: Date, at: Date, latest: boolean): Promise<SlotOutcome> {
    // Late by more than two checks and a second, and not while this process was watching: no worker saw it in time.
    const missed = at.getTime() - slot.getTime() > missedAfterMs && !(watchingSince !== undefined && slot >= watchingSince);
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
        let outcome: SlotOutcome;
        try {
          outcome = await decide(s, slot, at, i === slots.length - 1);
        } catch (e) {
          // Nothing was started (a run that could not start is an outcome, not a throw): give the slot back, so the
          // next tick decides it again instead of leaving it claimed with no run and no reason.
          await o.schedules.release(s.id, slot);
          throw e;
        }
        await o.schedules.settle(s.id, slot, outcome);
      }
      const last = slots.at(-1);
      if (last) await o.schedules.markHandled(s.id, last);
    });
  }

  async function tick() {
    const at = now();
    // Suspended (a laptop asleep, a paused VM or container) or blocked: slots in such a pause were not watched.
    if (lastTickEnd !== undefined && at.getTime() - lastTickEnd.getTime() > missedAfterMs) watchingSince = undefined;
    try {
      let enabled: Due[];
      try {
        enabled = await o.schedules.enabled();
      } catch (e) {
        watchingSince = undefined;
        throw e;
      }
      watchingSince ??= at;
      for (const s of enabled) {
        // Stopping: the schedules not handled yet are left for the next worker's tick.
        if (stopped) return;
        try {
          await handle(s, at);
        } catch (e) {
          o.log(`schedule ${s.id}: ${e instanceof Error ? e.message : String(e)}`);
        }
      }
    } finally {
      lastTickEnd = now();
    }
  }

  // One tick at a time, and none queued behind it: a tick slower than tickMs (a slow or failing-over database, many
  // schedules) skips the beats it overlaps instead of stacking them, which grew without end and made stop() wait
  // for every stacked tick to run. A skipped beat loses nothing: the next tick handles every slot since the mark.
  let busy = false;
  const timer = setInterval(() => {
    if (stopped || busy) return;
    busy = true;
    running = tick()
      .catch((e: unknown) => o.log(`scheduler: ${e instanceof Error ? e.message : String(e)}`))
      .finally(() => (busy = false));
  }, o.tickMs);

  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
