import type { Column, ColumnProfile } from "@sluice/model";
import { quoteIdent } from "@sluice/pipeline";
import type { DuckSession } from "./duckdb-session.ts";
import { isoTimestamp } from "./json-values.ts";

export interface TableProfile {
  rowCount: number;
  profile: Record<string, ColumnProfile>;
}

const text = (v: unknown, c: Column): string | null => {
  if (v === null || v === undefined) return null;
  return c.type === "timestamp" ? String(isoTimestamp(String(v))) : String(v);
};

/** One pass over a table: its row count and, per column, nulls, distinct values, min and max. */
export async function profileTable(session: DuckSession, table: string, columns: Column[]): Promise<TableProfile> {
  const parts = [`count(*)::BIGINT AS "n"`];
  columns.forEach((c, i) => {
    const col = quoteIdent(c.name);
    parts.push(`(count(*) - count(${col}))::BIGINT AS "n${i}"`, `approx_count_distinct(${col})::BIGINT AS "d${i}"`);
    // JSON has no meaningful order; everything else compares in its own type and is shown as text.
    parts.push(c.type === "json" ? `NULL AS "lo${i}", NULL AS "hi${i}"` : `min(${col})::VARCHAR AS "lo${i}", max(${col})::VARCHAR AS "hi${i}"`);
  });
  const [row] = await session.query(`SELECT ${parts.join(", ")} FROM ${table}`);
  const profile: Record<string, ColumnProfile> = {};
  columns.forEach((c, i) => {
    profile[c.name] = {
      nulls: Number(row?.[`n${i}`] ?? 0),
      distinct: Number(row?.[`d${i}`] ?? 0),
      min: text(row?.[`lo${i}`], c),
      max: text(row?.[`hi${i}`], c),
    };
  });
  return { rowCount: Number(row?.n ?? 0), profile };
}
