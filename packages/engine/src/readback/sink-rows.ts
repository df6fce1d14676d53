import type { ResultColumn } from "../duckdb-session.ts";

/**
 * The first rows of what a sink wrote, read back from where it wrote them. Columns carry the target's own type
 * names (PostgreSQL's for a table, DuckDB's for a file); values are as JSON can carry them exactly.
 */
export interface SinkRows {
  columns: ResultColumn[];
  rows: Record<string, unknown>[];
}

/**
 * Why a target could not be read back. TARGET_GONE: the table, schema or file is no longer there;
 * TARGET_UNREACHABLE: its database did not answer (worth trying again); TARGET_UNREADABLE: it is there but this
 * read failed (no right to read it, too slow, not a table).
 */
export type ReadbackCode = "TARGET_GONE" | "TARGET_UNREACHABLE" | "TARGET_UNREADABLE";

/** At most this many rows are ever read back, whatever a caller asks for. */
export const MAX_READBACK_ROWS = 200;

export const clampLimit = (limit: number) => Math.max(1, Math.min(MAX_READBACK_ROWS, Math.floor(limit)));
