import { Cron } from "croner";
import { z } from "zod";
import { parameterValuesSchema } from "../pipeline-format.schema.ts";
import { issueSchema } from "../issue.ts";

/** What happens to slots missed while no Sluice process was running: run the latest one once, or skip them. */
export const missedSlotsSchema = z.enum(["catch_up_once", "skip"]);

export type CronCheck = { ok: true; next: Date[] } | { ok: false; field: "cron" | "timezone"; message: string };

/**
 * The closest two slots of a schedule may be. Every worker checks schedules every 5 s and records each slot that
 * fell due since the last one it handled, so a slot at least this far from the next one is never merged or lost;
 * a cadence closer than this could not run once per slot and is refused when saved.
 */
export const MIN_SLOT_SECONDS = 5;
/** How many upcoming slots are looked at for the closest pair: over a minute of any seconds pattern. */
const CADENCE_SAMPLE = 200;

/** Whether a cron expression has the seconds field (6 fields), so its times are shown to the second. */
export const cronHasSeconds = (cron: string) => cron.trim().split(/\s+/).length === 6;

/**
 * Checks a cron expression (5 fields, or 6 with seconds first) in an IANA time zone and gives its next run
 * times. Runs in the browser as the user types and on the server before anything is stored.
 */
export function checkCron(cron: string, timezone: string, count = 5, from: Date = new Date()): CronCheck {
  try {
    new Intl.DateTimeFormat("en", { timeZone: timezone });
  } catch {
    return { ok: false, field: "timezone", message: `"${timezone}" is not a time zone; use an IANA name such as UTC or Europe/Paris.` };
  }
  const fields = cron.trim().split(/\s+/).length;
  if (fields !== 5 && fields !== 6) {
    return { ok: false, field: "cron", message: `A cron expression has 5 fields (minute hour day month weekday), or 6 with seconds first; this one has ${fields}.` };
  }
  try {
    const job = new Cron(cron.trim(), { timezone, paused: true });
    const next = job.nextRuns(count, from);
    if (next.length === 0) return { ok: false, field: "cron", message: "This expression never fires." };
    // Five fields fire at most once a minute; with seconds, the closest pair of upcoming slots decides.
    if (fields === 6) {
      const sample = job.nextRuns(CADENCE_SAMPLE, from);
      let gap = Infinity;
      for (let i = 1; i < sample.length; i++) gap = Math.min(gap, sample[i]!.getTime() - sample[i - 1]!.getTime());
      if (gap < MIN_SLOT_SECONDS * 1000) {
        return {
          ok: false,
          field: "cron",
          message: `Slots ${gap / 1000} s apart: Sluice runs a schedule at most every ${MIN_SLOT_SECONDS} seconds, so each slot runs once. Use a seconds field such as */${MIN_SLOT_SECONDS}, 0,30 or 0.`,
        };
      }
    }
    return { ok: true, next };
  } catch (e) {
    return { ok: false, field: "cron", message: (e instanceof Error ? e.message : String(e)).replace(/^CronPattern: /, "") };
  }
}

/**
 * The slots after `since` up to and including `now`, oldest first, at most the newest `limit` of them, and
 * whether older ones were left out. Walks back from `now`, so a schedule idle for a year costs `limit` steps.
 */
export function slotsBetween(cron: string, timezone: string, since: Date, now: Date, limit: number): { slots: Date[]; more: boolean } {
  const job = new Cron(cron.trim(), { timezone, paused: true });
  // previousRuns looks strictly before its date; a slot exactly at `now` is due too.
  const back = job.previousRuns(limit + 1, new Date(now.getTime() + 1)).filter((d) => d > since);
  return { slots: back.slice(0, limit).reverse(), more: back.length > limit };
}

const scheduleFields = {
  cron: z.string().trim().min(1, "a cron expression is required").max(200),
  timezone: z.string().trim().min(1).max(100).default("UTC"),
  enabled: z.boolean().default(true),
  missed: missedSlotsSchema.default("catch_up_once"),
  /** Values for the pipeline's parameters on every run of this schedule; the rest take their defaults. */
  params: parameterValuesSchema.default({}),
};

const cronRefinement = <T extends { cron?: string | undefined; timezone?: string | undefined }>(v: T, ctx: z.RefinementCtx) => {
  if (v.cron === undefined) return;
  const r = checkCron(v.cron, v.timezone ?? "UTC", 1);
  if (!r.ok) ctx.addIssue({ code: "custom", path: [r.field], message: r.message });
};

export const createScheduleRequestSchema = z.strictObject(scheduleFields).superRefine(cronRefinement);
export type CreateScheduleRequest = z.input<typeof createScheduleRequestSchema>;

export const updateScheduleRequestSchema = z
  .strictObject({ cron: scheduleFields.cron, timezone: z.string().trim().min(1).max(100), enabled: z.boolean(), missed: missedSlotsSchema, params: parameterValuesSchema })
  .partial()
  .superRefine(cronRefinement);
export type UpdateScheduleRequest = z.input<typeof updateScheduleRequestSchema>;

export const scheduleIdParamsSchema = z.object({ id: z.uuid("not a schedule id") });

/** One recorded slot: at most one of runId, error (no run could start) and skipped (why none was started) is set. */
export const scheduleSlotSchema = z.object({ slot: z.string(), runId: z.string().nullable(), error: z.string().nullable(), skipped: z.string().nullable() });
export type ScheduleSlotInfo = z.infer<typeof scheduleSlotSchema>;

export const scheduleSchema = z.object({
  id: z.string(),
  pipelineId: z.string(),
  cron: z.string(),
  timezone: z.string(),
  enabled: z.boolean(),
  missed: missedSlotsSchema,
  params: parameterValuesSchema,
  /** The next five run times (empty when disabled). */
  nextRuns: z.array(z.string()),
  lastSlotAt: z.string().nullable(),
  /** The latest slot this schedule recorded: the run it started, why it could not start one, or why it was skipped. */
  lastSlot: scheduleSlotSchema.nullable(),
  /** The newest recorded slots (at most five), newest first. */
  recentSlots: z.array(scheduleSlotSchema),
  /** Its parameter values checked against the pipeline's current version: a run would be refused for these. */
  problems: z.array(issueSchema),
  createdAt: z.string(),
});
export type ScheduleInfo = z.infer<typeof scheduleSchema>;
export const scheduleListSchema = z.object({ schedules: z.array(scheduleSchema) });
