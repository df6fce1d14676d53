import { checkCron, parameterValuesSchema, type CreateScheduleRequest, type ParameterValues, type ScheduleInfo } from "@sluice/model";
import type { Db, Tx } from "../db/prisma.ts";

type Row = { id: string; pipelineId: string; cron: string; timezone: string; enabled: boolean; missed: string; params: unknown; lastSlotAt: Date | null; createdAt: Date };
type SlotRow = { slot: Date; runId: string | null; error: string | null; skipped: string | null };
/** How a recorded slot ended: the run it started, why none could start, or why it was skipped. */
export type SlotOutcome = { runId: string } | { error: string } | { skipped: string };
/** How many recorded slots come along with every schedule read, newest first. */
export const RECENT_SLOTS = 5;

/**
 * The schedules with their newest RECENT_SLOTS slots each, read by the (schedule_id, slot) key. Not a Prisma
 * `include: { slots: { take } }`, which reads every slot a schedule kept and cuts the list in memory.
 */
async function withRecentSlots<R extends Row>(db: Db | Tx, rows: R[]): Promise<(R & { slots: SlotRow[] })[]> {
  if (!rows.length) return [];
  const slots = await db.$queryRaw<(SlotRow & { scheduleId: string })[]>`
    SELECT s.id::text AS "scheduleId", x.slot, x.run_id::text AS "runId", x.error, x.skipped
    FROM unnest(${rows.map((r) => r.id)}::uuid[]) AS s(id)
    CROSS JOIN LATERAL (SELECT * FROM schedule_slots WHERE schedule_id = s.id ORDER BY slot DESC LIMIT ${RECENT_SLOTS}) x
    ORDER BY x.slot DESC`;
  const bySchedule = new Map<string, SlotRow[]>();
  for (const x of slots) bySchedule.set(x.scheduleId, [...(bySchedule.get(x.scheduleId) ?? []), x]);
  return rows.map((r) => ({ ...r, slots: bySchedule.get(r.id) ?? [] }));
}
const slotInfo = (s: SlotRow) => ({ slot: s.slot.toISOString(), runId: s.runId, error: s.error, skipped: s.skipped });

/** Stored values are checked on the way in; an unreadable row still lists, with no values. */
const paramsOf = (r: Row): ParameterValues => parameterValuesSchema.catch({}).parse(r.params);

function toInfo(r: Row & { slots?: SlotRow[] }): ScheduleInfo {
  const last = r.slots?.[0];
  const next = r.enabled ? checkCron(r.cron, r.timezone, 5) : undefined;
  return {
    id: r.id,
    pipelineId: r.pipelineId,
    cron: r.cron,
    timezone: r.timezone,
    enabled: r.enabled,
    missed: r.missed === "skip" ? "skip" : "catch_up_once",
    params: paramsOf(r),
    nextRuns: next?.ok ? next.next.map((d) => d.toISOString()) : [],
    lastSlotAt: r.lastSlotAt?.toISOString() ?? null,
    lastSlot: last ? slotInfo(last) : null,
    recentSlots: (r.slots ?? []).map(slotInfo),
    // Known only against the pipeline's graph: the routes fill them in.
    problems: [],
    createdAt: r.createdAt.toISOString(),
  };
}

/**
 * Schedules and the slots they claimed. A schedule belongs to the workspace of its pipeline: every read and change
 * a request makes names the workspace, and another workspace's schedule is not found. Changes take `tx` to be
 * written together with their audit entry.
 */
export function scheduleRepository(db: Db) {
  const inWorkspace = (workspaceId: string, id: string) => ({ id, pipeline: { workspaceId } });
  return {
    async list(workspaceId: string, pipelineId: string): Promise<ScheduleInfo[]> {
      const rows = await db.schedule.findMany({ where: { pipelineId, pipeline: { workspaceId } }, orderBy: { createdAt: "asc" } });
      return (await withRecentSlots(db, rows)).map(toInfo);
    },
    async get(workspaceId: string, id: string, tx: Tx | Db = db): Promise<ScheduleInfo | null> {
      const r = await tx.schedule.findFirst({ where: inWorkspace(workspaceId, id) });
      return r ? toInfo((await withRecentSlots(tx, [r]))[0]!) : null;
    },
    /** Null when the pipeline is not in the workspace. */
    async create(
      workspaceId: string,
      pipelineId: string,
      s: Required<Omit<CreateScheduleRequest, "cron">> & { cron: string },
      tx: Tx | Db = db,
    ): Promise<ScheduleInfo | null> {
      if (!(await tx.pipeline.count({ where: { id: pipelineId, workspaceId } }))) return null;
      return toInfo(await tx.schedule.create({ data: { pipelineId, cron: s.cron, timezone: s.timezone, enabled: s.enabled, missed: s.missed, params: s.params } }));
    },
    async update(
      workspaceId: string,
      id: string,
      patch: Partial<Pick<Row, "cron" | "timezone" | "enabled" | "missed" | "lastSlotAt"> & { params: ParameterValues }>,
      tx: Tx | Db = db,
    ): Promise<ScheduleInfo | null> {
      const r = await tx.schedule.updateMany({ where: inWorkspace(workspaceId, id), data: patch });
      return r.count === 0 ? null : this.get(workspaceId, id, tx);
    },
    async remove(workspaceId: string, id: string, tx: Tx | Db = db): Promise<boolean> {
      return (await tx.schedule.deleteMany({ where: inWorkspace(workspaceId, id) })).count > 0;
    },
    /** Every enabled schedule with its pipeline's workspace, for the scheduler's tick (which serves all workspaces). */
    async enabled(): Promise<(Row & { values: ParameterValues; workspaceId: string })[]> {
      const rows = await db.schedule.findMany({ where: { enabled: true }, include: { pipeline: { select: { workspaceId: true } } } });
      return rows.map(({ pipeline, ...r }) => ({ ...r, values: paramsOf(r), workspaceId: pipeline.workspaceId }));
    },
    /**
     * Claims a slot for this process. The primary key (schedule, slot) lets exactly one of several workers win;
     * the others get false and do nothing.
     */
    async claim(scheduleId: string, slot: Date): Promise<boolean> {
      const inserted = await db.$executeRaw`INSERT INTO schedule_slots (schedule_id, slot) VALUES (${scheduleId}::uuid, ${slot}) ON CONFLICT DO NOTHING`;
      return inserted === 1;
    },
    /** Gives back a claim that was not decided, so a later tick can claim and decide the slot. */
    async release(scheduleId: string, slot: Date): Promise<void> {
      await db.$executeRaw`DELETE FROM schedule_slots WHERE schedule_id = ${scheduleId}::uuid AND slot = ${slot} AND run_id IS NULL AND error IS NULL AND skipped IS NULL`;
    },
    async settle(scheduleId: string, slot: Date, outcome: SlotOutcome) {
      const data = "runId" in outcome ? { runId: outcome.runId } : "error" in outcome ? { error: outcome.error } : { skipped: outcome.skipped };
      await db.scheduleSlot.update({ where: { scheduleId_slot: { scheduleId, slot } }, data });
    },
    /**
     * Runs `fn` while holding this schedule's lock (a transaction-scoped advisory lock), so one worker at a time
     * decides on its slots. False, without running `fn`, when another worker holds it now.
     */
    async exclusively(scheduleId: string, fn: () => Promise<void>): Promise<boolean> {
      return db.$transaction(
        async (tx) => {
          const [row] = await tx.$queryRaw<{ locked: boolean }[]>`SELECT pg_try_advisory_xact_lock(hashtext(${`sluice-schedule:${scheduleId}`})) AS locked`;
          if (!row?.locked) return false;
          await fn();
          return true;
        },
        // Starting runs checks their pipelines, which can take a while; the lock only has to outlive that.
        { maxWait: 10_000, timeout: 120_000 },
      );
    },
    /** The schedule's mark and switch as stored now (null when it was removed). */
    mark: (scheduleId: string) => db.schedule.findUnique({ where: { id: scheduleId }, select: { lastSlotAt: true, enabled: true } }),
    /** The schedule's newest run that is still queued or running, if any: a new slot must not overlap it. */
    async activeRun(scheduleId: string): Promise<{ slot: Date; runId: string; status: string } | undefined> {
      const rows = await db.$queryRaw<{ slot: Date; runId: string; status: string }[]>`
        SELECT s.slot, r.id::text AS "runId", r.status::text AS status FROM schedule_slots s JOIN runs r ON r.id = s.run_id
        WHERE s.schedule_id = ${scheduleId}::uuid AND r.status IN ('queued', 'running') ORDER BY s.slot DESC LIMIT 1`;
      return rows[0];
    },
    /** Moves the schedule's mark forward (never back), after a slot ran or was skipped. */
    async markHandled(scheduleId: string, slot: Date) {
      await db.schedule.updateMany({ where: { id: scheduleId, OR: [{ lastSlotAt: null }, { lastSlotAt: { lt: slot } }] }, data: { lastSlotAt: slot } });
      // Claims are kept for the recent past only: the newest hundred per schedule are enough to see what happened. A
      // slot whose run is still queued or running stays, however old: activeRun finds it, so no slot overlaps it.
      await db.$executeRaw`DELETE FROM schedule_slots s WHERE s.schedule_id = ${scheduleId}::uuid AND s.slot < (
        SELECT min(slot) FROM (SELECT slot FROM schedule_slots WHERE schedule_id = ${scheduleId}::uuid ORDER BY slot DESC LIMIT 100) newest)
        AND NOT EXISTS (SELECT 1 FROM runs r WHERE r.id = s.run_id AND r.status IN ('queued', 'running'))`;
    },
  };
}

export type ScheduleRepository = ReturnType<typeof scheduleRepository>;
