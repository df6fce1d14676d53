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

/** Errors whose details list the request fields to fix: a body that is not valid, or a secret to enter again. */
const FIELD_ERROR_CODES: ReadonlySet<string> = new Set(["VALIDATION_FAILED", "SECRET_REQUIRED"]);

/** Field messages from an API error about request body fields (see FIELD_ERROR_CODES); empty for anything else. */
export function apiFieldErrors(error: unknown): FieldErrors {
  if (!(error instanceof ApiError) || !FIELD_ERROR_CODES.has(error.code)) return {};
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
