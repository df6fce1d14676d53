import type { Column } from "@sluice/model";
import { ROW_ORDER_COLUMN } from "../../catalog/node-definition.ts";
import { quoteIdent } from "../../sql/quote.ts";

/** The rows a sink writes: its input's columns in schema order, in row order, without the row order column. */
export function sinkInputSql(relation: string, columns: Column[]): string {
  return `${sinkInputAsStoredSql(relation, columns)} ORDER BY ${quoteIdent(ROW_ORDER_COLUMN)}`;
}

/** The same rows in the order the relation holds them: row order too when it is stored sorted, without a sort. */
export function sinkInputAsStoredSql(relation: string, columns: Column[]): string {
  return `SELECT ${columns.map((c) => quoteIdent(c.name)).join(", ")} FROM ${relation}`;
}
