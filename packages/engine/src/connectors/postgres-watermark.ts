import { quoteIdent } from "@sluice/pipeline";

/** Where an incremental read starts and, on a retry of the same run, where it ends (see docs/incremental.md). */
export interface WatermarkRange {
  /** The watermark the last successful run stored: rows above it are new. Null: none yet, every row is new. */
  low: string | null;
  /** Given when the run already took its high-water mark (a retried attempt reads the same rows); taken otherwise. */
  high?: string | null;
}

/** What an incremental read covered: the watermark it started from and the one a success moves it to. */
export interface WatermarkMove {
  column: string;
  before: string | null;
  after: string | null;
}

/**
 * The type a watermark value (bound as text) is cast to, by the column's PostgreSQL base type: the column's own
 * type, so an index on it serves the range. Fixed names from this table, never taken from the database.
 */
const CASTS: Readonly<Record<string, string>> = {
  int2: "pg_catalog.int8",
  int4: "pg_catalog.int8",
  int8: "pg_catalog.int8",
  numeric: "pg_catalog.numeric",
  date: "pg_catalog.date",
  timestamp: "pg_catalog.timestamp",
  timestamptz: "pg_catalog.timestamptz",
};

export const watermarkCast = (pgType: string): string | undefined => CASTS[pgType];

/** The two settings the bounds travel in, set with set_config and a bound parameter before the read. */
export const BOUND_SETTINGS = { low: "sluice.watermark_low", high: "sluice.watermark_high" } as const;

/** Sets the bounds for this transaction only; values are bound parameters, never part of the text. */
export const SET_BOUNDS = `SELECT pg_catalog.set_config('${BOUND_SETTINGS.low}', $1, true), pg_catalog.set_config('${BOUND_SETTINGS.high}', $2, true)`;

/** Whether the high-water mark ($1) is below the stored watermark ($2), compared as the column's type (a cast from CASTS). */
export const watermarkBehind = (cast: string) => `SELECT $1::${cast} < $2::${cast} AS behind`;

/** `max(column)` as text over the wrapped query: the high-water mark at the start of the read. */
export const highWaterSelect = (column: string) => `pg_catalog.max(q.${quoteIdent(column)})::pg_catalog.text AS high`;

/**
 * The WHERE clause of the read: above the low mark (when there is one) and at most the high mark. With no high mark
 * (no row has a value yet) nothing is read. Rows whose watermark column is NULL are never read incrementally.
 */
export function watermarkWhere(column: string, cast: string, range: { low: string | null; high: string | null }): string {
  if (range.high === null) return "WHERE false";
  const col = `q.${quoteIdent(column)}`;
  const bound = (name: string) => `pg_catalog.current_setting('${name}')::${cast}`;
  const upper = `${col} <= ${bound(BOUND_SETTINGS.high)}`;
  return range.low === null ? `WHERE ${upper}` : `WHERE ${col} > ${bound(BOUND_SETTINGS.low)} AND ${upper}`;
}
