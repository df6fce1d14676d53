import type { BecameNull } from "@sluice/model";

/**
 * Retype's live failure counts, each an exact count over the same rows (the whole input, or the sample the
 * preview computed on), so the total and the per-column numbers never disagree in meaning:
 * - `total`, rows with a value that does not convert: the row count of the "rows that failed" output.
 * - per column, values that do not convert: with failures turned into nulls, the values the engine counted
 *   as nulled (the preview's `becameNull`; a null is never a failure, so each is one failed value).
 * The few example reasons come from the rows of "rows that failed" returned, whose `_error` text names every
 * column that failed in the row, e.g. `column "amount": "n/a" is not a double; column "day": "31/02" is not a date`.
 */
export interface RetypeFailureCounts {
  /** Rows with at least one value that does not convert. */
  total: number;
  /** Per retyped column, its values that do not convert; empty until the counts are in and cover the same rows. */
  byColumn: Map<string, number>;
  /** A few distinct reasons, as examples. */
  reasons: string[];
}

type Covered = { sampled: { sourceRows: number } | null };

export function countRetypeFailures(
  rejects: Covered & { rows: Record<string, unknown>[]; rowCount: number | null },
  nulled: (Covered & { becameNull?: readonly BecameNull[] | undefined }) | null,
  columns: readonly string[],
  errorColumn: string,
): RetypeFailureCounts {
  const messages = rejects.rows.map((r) => r[errorColumn]).filter((v): v is string => typeof v === "string");
  const reasons = [...new Set(messages.flatMap((m) => m.split("; ")))].slice(0, 3);
  // Counts over other rows (one preview sampled, the other not) would be a second meaning: show none instead.
  const sameRows = nulled !== null && (nulled.sampled?.sourceRows ?? null) === (rejects.sampled?.sourceRows ?? null);
  // A column the engine does not list is not converted (already of its target type): none of it fails.
  const counted = new Map((nulled?.becameNull ?? []).map((c) => [c.column, c.nulled]));
  const byColumn = new Map(sameRows ? columns.map((c) => [c, counted.get(c) ?? 0] as const) : []);
  return { total: rejects.rowCount ?? rejects.rows.length, byColumn, reasons };
}
