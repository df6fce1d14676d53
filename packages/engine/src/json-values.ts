import type { ResultColumn } from "./duckdb-session.ts";

const WHOLE = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT)$/;

/** A whole number as a JSON number while it is exact; beyond 2^53 it stays a string so no digit is lost. */
function wholeNumber(v: unknown): unknown {
  if (typeof v !== "string" || !/^-?\d+$/.test(v)) return v;
  const n = Number(v);
  return Number.isSafeInteger(n) ? n : v;
}

/** DuckDB's "2024-01-02 03:04:05.123" (and "+00" offsets) as ISO 8601: "2024-01-02T03:04:05.123", "+00:00". */
export function isoTimestamp(v: unknown): unknown {
  if (typeof v !== "string" || !/^-?\d{4,}-\d\d-\d\d \d/.test(v)) return v;
  return v.replace(" ", "T").replace(/([+-]\d\d)$/, "$1:00");
}

/**
 * DuckDB's client writes the infinite dates as one day past its largest and smallest ("5881580-07-11",
 * "5877642-06-24 (BC)"), dates nobody wrote; they are "infinity" and "-infinity", as DuckDB casts them to text and
 * as infinite timestamps already come.
 */
const INFINITE_DATES: Record<string, string> = { "5881580-07-11": "infinity", "5877642-06-24 (BC)": "-infinity" };
const infiniteDate = (v: unknown): unknown => (typeof v === "string" ? (INFINITE_DATES[v] ?? v) : v);

/** A converter per column, chosen once from DuckDB's type for that column. */
function converterFor(type: string): ((v: unknown) => unknown) | undefined {
  if (WHOLE.test(type)) return wholeNumber;
  if (type === "DATE") return infiniteDate;
  if (type.startsWith("TIMESTAMP")) return isoTimestamp;
  return undefined;
}

/**
 * Rows as they can travel in JSON and be shown as they are: whole numbers as numbers while exact (else
 * strings), decimals as their exact text ("12.500"), timestamps as ISO 8601 strings, dates as "YYYY-MM-DD",
 * NaN and infinities (dates included) as text.
 */
export function jsonSafeRows(rows: Record<string, unknown>[], columns: ResultColumn[]): Record<string, unknown>[] {
  const converters = columns.flatMap((c) => {
    const f = converterFor(c.type);
    return f ? [{ name: c.name, f }] : [];
  });
  if (!converters.length) return rows;
  return rows.map((row) => {
    const out = { ...row };
    for (const { name, f } of converters) if (out[name] !== null && out[name] !== undefined) out[name] = f(out[name]);
    return out;
  });
}
