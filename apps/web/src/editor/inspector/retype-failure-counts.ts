/**
 * Reading retype's "rows that failed" preview: how many rows failed, and how many of the returned ones failed
 * on each column. The `_error` text names every column that failed in the row, e.g.
 * `column "amount": "n/a" is not a double; column "day": "31/02" is not a date`.
 */
export interface RetypeFailureCounts {
  /** Failing rows in the (possibly sampled) input. */
  total: number;
  /** Per retyped column, the failing rows among those returned. */
  byColumn: Map<string, number>;
  /** True when fewer rows came back than failed, so the per-column counts are a lower bound. */
  partial: boolean;
  /** A few distinct reasons, as examples. */
  reasons: string[];
}

export function countRetypeFailures(
  preview: { rows: Record<string, unknown>[]; rowCount: number | null },
  columns: readonly string[],
  errorColumn: string,
): RetypeFailureCounts {
  const messages = preview.rows.map((r) => r[errorColumn]).filter((v): v is string => typeof v === "string");
  const byColumn = new Map(columns.map((c) => [c, messages.filter((m) => mentions(m, c)).length]));
  const total = preview.rowCount ?? preview.rows.length;
  const reasons = [...new Set(messages.flatMap((m) => m.split("; ")))].slice(0, 3);
  return { total, byColumn, partial: preview.rows.length < total, reasons };
}

/** Whether an error text names this column's failure (at the start, or after another column's "; "). */
function mentions(message: string, column: string): boolean {
  const tag = `column "${column}": "`;
  return message.startsWith(tag) || message.includes(`; ${tag}`);
}
