/**
 * Retype's live failure counts, each an exact count over the same rows (the whole input, or the sample the
 * preview computed on), so the total and the per-column numbers never disagree in meaning:
 * - `total`, rows with a value that does not convert: the row count of the "rows that failed" output.
 * - per column, values that do not convert: with failures turned into nulls, the column's nulls after the
 *   node minus its nulls before it (a null is never a failure, so each extra null is one failed value).
 * The few example reasons come from the rows of "rows that failed" returned, whose `_error` text names every
 * column that failed in the row, e.g. `column "amount": "n/a" is not a double; column "day": "31/02" is not a date`.
 */
export interface RetypeFailureCounts {
  /** Rows with at least one value that does not convert. */
  total: number;
  /** Per retyped column, its values that do not convert; empty until both profiles are in and agree on their rows. */
  byColumn: Map<string, number>;
  /** A few distinct reasons, as examples. */
  reasons: string[];
}

interface Profiled {
  rowCount: number | null;
  sampled: { sourceRows: number } | null;
  profile: Record<string, { nulls: number }>;
}

export function countRetypeFailures(
  rejects: { rows: Record<string, unknown>[]; rowCount: number | null },
  nulls: { before: Profiled; after: Profiled } | null,
  columns: readonly string[],
  errorColumn: string,
): RetypeFailureCounts {
  const messages = rejects.rows.map((r) => r[errorColumn]).filter((v): v is string => typeof v === "string");
  const reasons = [...new Set(messages.flatMap((m) => m.split("; ")))].slice(0, 3);
  return { total: rejects.rowCount ?? rejects.rows.length, byColumn: failedPerColumn(nulls, columns), reasons };
}

function failedPerColumn(nulls: { before: Profiled; after: Profiled } | null, columns: readonly string[]): Map<string, number> {
  const out = new Map<string, number>();
  if (!nulls) return out;
  const { before, after } = nulls;
  // Profiles of different rows (one sampled, one not) would make a difference that means nothing.
  if (before.rowCount === null || before.rowCount !== after.rowCount || (before.sampled?.sourceRows ?? null) !== (after.sampled?.sourceRows ?? null)) return out;
  for (const c of columns) {
    const b = before.profile[c];
    const a = after.profile[c];
    if (a && b) out.set(c, Math.max(0, a.nulls - b.nulls));
  }
  return out;
}
