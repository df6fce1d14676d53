import type { Column, ColumnProfile } from "@sluice/model";
import { quoteIdent } from "@sluice/pipeline";
import type { DuckSession } from "./duckdb-session.ts";
import { isoTimestamp } from "./json-values.ts";

export interface TableProfile {
  rowCount: number;
  profile: Record<string, ColumnProfile>;
}

/**
 * Up to this many rows, distinct values are counted exactly (count(DISTINCT) over a million rows takes well
 * under a second a column). Past it they are estimated with HyperLogLog, flagged as approximate and capped at
 * the column's non-null count, so an estimate never claims more distinct values than there are values.
 */
export const EXACT_DISTINCT_ROWS = 1_000_000;

const text = (v: unknown, c: Column): string | null => {
  if (v === null || v === undefined) return null;
  return c.type === "timestamp" ? String(isoTimestamp(String(v))) : String(v);
};

/** The table's row count, then one pass over it: per column, nulls, distinct values, min and max. */
export async function profileTable(session: DuckSession, table: string, columns: Column[], exactUpTo = EXACT_DISTINCT_ROWS): Promise<TableProfile> {
  const [counted] = await session.query(`SELECT count(*)::BIGINT AS "n" FROM ${table}`);
  const rowCount = Number(counted?.n ?? 0);
  const approximate = rowCount > exactUpTo;
  const parts = [`count(*)::BIGINT AS "n"`];
  columns.forEach((c, i) => {
    const col = quoteIdent(c.name);
    const distinct = approximate ? `least(approx_count_distinct(${col}), count(${col}))` : `count(DISTINCT ${col})`;
    parts.push(`(count(*) - count(${col}))::BIGINT AS "n${i}"`, `${distinct}::BIGINT AS "d${i}"`);
    // JSON has no meaningful order; everything else compares in its own type and is shown as text.
    parts.push(c.type === "json" ? `NULL AS "lo${i}", NULL AS "hi${i}"` : `min(${col})::VARCHAR AS "lo${i}", max(${col})::VARCHAR AS "hi${i}"`);
  });
  const [row] = await session.query(`SELECT ${parts.join(", ")} FROM ${table}`);
  const profile: Record<string, ColumnProfile> = {};
  columns.forEach((c, i) => {
    profile[c.name] = {
      nulls: Number(row?.[`n${i}`] ?? 0),
      distinct: Number(row?.[`d${i}`] ?? 0),
      distinctApproximate: approximate,
      min: text(row?.[`lo${i}`], c),
      max: text(row?.[`hi${i}`], c),
    };
  });
  return { rowCount: Number(row?.n ?? rowCount), profile };
}
