import type { z } from "zod";
import { validationFailedDetailsSchema } from "@sluice/model";
import { ApiError } from "./client.ts";

/** Messages for people, keyed by request field ("name", "description", ...). */
export type FieldErrors = Partial<Record<string, string>>;

function collect(entries: { field: string; message: string }[]): FieldErrors {
  const out: FieldErrors = {};
  // The first message per field is the most useful; later ones are usually consequences.
  for (const { field, message } of entries) out[field] ??= message;
  return out;
}

/** Field messages from an API VALIDATION_FAILED error about the request body; empty for anything else. */
export function apiFieldErrors(error: unknown): FieldErrors {
  if (!(error instanceof ApiError) || error.code !== "VALIDATION_FAILED") return {};
  const parsed = validationFailedDetailsSchema.safeParse(error.details);
  if (!parsed.success) return {};
  return collect(
    parsed.data.problems.filter((p) => p.field.startsWith("body.")).map((p) => ({ field: p.field.slice("body.".length), message: p.message })),
  );
}

/**
 * Checks a request body with the same shared schema the server uses, so an obvious slip is shown without a round trip
 * and with the server's own words. The server checks everything again.
 */
export function localFieldErrors(schema: z.ZodType, body: unknown): FieldErrors {
  const result = schema.safeParse(body);
  if (result.success) return {};
  return collect(result.error.issues.map((i) => ({ field: i.path.map(String).join("."), message: i.message })));
}

/** True when an error is fully explained by its field messages, so no extra banner is needed. */
export function isExplainedByFields(error: unknown, shown: FieldErrors): boolean {
  const fields = apiFieldErrors(error);
  const keys = Object.keys(fields);
  return keys.length > 0 && keys.every((k) => shown[k] !== undefined);
}
