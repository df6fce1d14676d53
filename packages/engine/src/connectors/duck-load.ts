import type { Column } from "@sluice/model";
import { duckType, quoteIdent, quoteLiteral, ROW_ORDER_COLUMN } from "@sluice/pipeline";
import type { DuckExec } from "../connector.ts";

/**
 * Creates `table` from a headerless CSV that a connector staged: columns by position with exactly the
 * inferred names and types, and the row order column numbering rows in file order. The CSV marks NULL
 * as an unquoted empty field and an empty string as "" (Postgres's and our writer's convention).
 */
export async function createTableFromStagedCsv(duck: DuckExec, table: string, csvPath: string, columns: Column[]): Promise<void> {
  const types = columns.map((c) => `${quoteLiteral(c.name)}: ${quoteLiteral(duckType(c))}`).join(", ");
  const list = [...columns.map((c) => quoteIdent(c.name)), `row_number() OVER () AS ${quoteIdent(ROW_ORDER_COLUMN)}`].join(", ");
  const read =
    `read_csv(${quoteLiteral(csvPath)}, auto_detect=false, header=false, delim=',', quote='"', escape='"', ` +
    `nullstr='', allow_quoted_nulls=false, strict_mode=true, columns={${types}})`;
  await duck.run(`CREATE TABLE ${table} AS SELECT ${list} FROM ${read}`);
}

/** One CSV field in the staged-file convention: null unquoted and empty, everything else quoted. */
export function csvField(value: string | null): string {
  return value === null ? "" : `"${value.replaceAll('"', '""')}"`;
}

/** Reads a count DuckDB returned, whichever JS type the connection chose for BIGINT. */
export function countFrom(rows: Record<string, unknown>[], key = "Count"): number {
  const row = rows[0];
  const value = row ? (row[key] ?? Object.values(row)[0]) : 0;
  return Number(typeof value === "bigint" ? value : String(value ?? 0));
}
