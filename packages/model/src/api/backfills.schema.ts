import { z } from "zod";
import { parameterValuesSchema } from "../pipeline-format.schema.ts";
import { runStatusSchema, versionNumberSchema } from "./pipelines.schema.ts";

/** How far apart a backfill's slots are. */
export const BACKFILL_STEPS = ["day", "week", "month"] as const;
export type BackfillStep = (typeof BACKFILL_STEPS)[number];
/** Most slots one backfill may have: more is refused, so a typo in a year does not queue a hundred thousand runs. */
export const MAX_BACKFILL_SLOTS = 1000;
/** Most runs of one backfill at once. */
export const MAX_BACKFILL_CONCURRENCY = 10;

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "write the date as YYYY-MM-DD");

export const startBackfillRequestSchema = z.strictObject({
  /** The pipeline's date or timestamp parameter that each run gets its slot's date in. */
  parameter: z.string().min(1, "name the date or timestamp parameter each run gets its date in").max(64),
  /** First and last slot, both included. */
  from: isoDate,
  to: isoDate,
  step: z.enum(BACKFILL_STEPS).default("day"),
  concurrency: z.number().int().min(1).max(MAX_BACKFILL_CONCURRENCY, `at most ${MAX_BACKFILL_CONCURRENCY} runs at once`).default(2),
  /** Defaults to the pipeline's current version; every run of the backfill uses the same one. */
  version: versionNumberSchema.optional(),
  /** Values for the pipeline's other parameters, the same for every slot. */
  params: parameterValuesSchema.default({}),
});
export type StartBackfillRequest = z.input<typeof startBackfillRequestSchema>;

export type BackfillSlots = { ok: true; slots: string[] } | { ok: false; field: "from" | "to"; message: string };

const parseDay = (s: string) => {
  const d = new Date(`${s}T00:00:00Z`);
  return Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== s ? undefined : d;
};

/**
 * The dates of a backfill, from `from` to `to` both included, `step` apart (calendar dates, no time zone). A
 * monthly step keeps the day of the month of `from`, or the month's last day when it is shorter (Jan 31, Feb 29,
 * Mar 31). Runs in the browser as the form is filled in, and on the server before anything is stored.
 */
export function backfillSlots(from: string, to: string, step: BackfillStep): BackfillSlots {
  const start = parseDay(from);
  if (!start) return { ok: false, field: "from", message: `"${from}" is not a date; write it as YYYY-MM-DD.` };
  const end = parseDay(to);
  if (!end) return { ok: false, field: "to", message: `"${to}" is not a date; write it as YYYY-MM-DD.` };
  if (end < start) return { ok: false, field: "to", message: `The range is reversed: ${to} is before ${from}; put the earlier date first.` };
  const slots: string[] = [];
  for (let i = 0; ; i++) {
    const d = new Date(start);
    if (step === "day") d.setUTCDate(start.getUTCDate() + i);
    else if (step === "week") d.setUTCDate(start.getUTCDate() + 7 * i);
    else {
      const month = start.getUTCMonth() + i;
      const last = new Date(Date.UTC(start.getUTCFullYear(), month + 1, 0)).getUTCDate();
      d.setUTCDate(1);
      d.setUTCMonth(month);
      d.setUTCDate(Math.min(start.getUTCDate(), last));
    }
    if (d > end) break;
    if (slots.length === MAX_BACKFILL_SLOTS) {
      return { ok: false, field: "to", message: `${from} to ${to} by ${step} is more than ${MAX_BACKFILL_SLOTS} slots; shorten the range or take a longer step.` };
    }
    slots.push(d.toISOString().slice(0, 10));
  }
  return { ok: true, slots };
}

/** One date of a backfill and how its newest run went (a retried slot counts its newest run). */
export const backfillSlotSchema = z.object({
  slot: z.string(),
  runId: z.string(),
  status: runStatusSchema,
  error: z.string().nullable(),
  /** How many runs this slot has had (more than one once retried). */
  runs: z.number().int(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
});
export type BackfillSlotInfo = z.infer<typeof backfillSlotSchema>;

export const backfillSchema = z.object({
  id: z.string(),
  pipelineId: z.string(),
  pipelineName: z.string(),
  parameter: z.string(),
  from: z.string(),
  to: z.string(),
  step: z.enum(BACKFILL_STEPS),
  concurrency: z.number().int(),
  versionNumber: z.number().int(),
  /** The values of the pipeline's other parameters, the same for every slot. */
  params: parameterValuesSchema,
  createdAt: z.string(),
  /** Slots by how their newest run stands. */
  counts: z.object({ total: z.number().int(), queued: z.number().int(), running: z.number().int(), succeeded: z.number().int(), failed: z.number().int(), cancelled: z.number().int() }),
  /** Every slot, in date order. */
  slots: z.array(backfillSlotSchema),
});
export type BackfillInfo = z.infer<typeof backfillSchema>;
export const backfillListSchema = z.object({ backfills: z.array(backfillSchema) });
export const backfillListQuerySchema = z.strictObject({ pipelineId: z.uuid("not a pipeline id").optional() });
export const backfillIdParamsSchema = z.object({ id: z.uuid("not a backfill id") });
export const retryBackfillResponseSchema = z.object({ runIds: z.array(z.string()) });
