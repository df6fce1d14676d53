import { Cron } from "croner";
import { z } from "zod";
import { parameterValuesSchema } from "../pipeline-format.schema.ts";
import { issueSchema } from "../issue.ts";

/** What happens to slots missed while no Sluice process was running: run the latest one once, or skip them. */
export const missedSlotsSchema = z.enum(["catch_up_once", "skip"]);

export type CronCheck = { ok: true; next: Date[] } | { ok: false; field: "cron" | "timezone"; message: string };

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
    const next = new Cron(cron.trim(), { timezone, paused: true }).nextRuns(count, from);
    if (next.length === 0) return { ok: false, field: "cron", message: "This expression never fires." };
    return { ok: true, next };
  } catch (e) {
    return { ok: false, field: "cron", message: (e instanceof Error ? e.message : String(e)).replace(/^CronPattern: /, "") };
  }
}

/** The latest slot at or before `now`, or undefined when there is none. */
export function latestSlot(cron: string, timezone: string, now: Date): Date | undefined {
  return new Cron(cron.trim(), { timezone, paused: true }).previousRuns(1, now)[0];
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
  /** The latest slot this schedule claimed: the run it started, or why it could not start one. */
  lastSlot: z.object({ slot: z.string(), runId: z.string().nullable(), error: z.string().nullable() }).nullable(),
  /** Its parameter values checked against the pipeline's current version: a run would be refused for these. */
  problems: z.array(issueSchema),
  createdAt: z.string(),
});
export type ScheduleInfo = z.infer<typeof scheduleSchema>;
export const scheduleListSchema = z.object({ schedules: z.array(scheduleSchema) });
