import type { Column } from "@sluice/model";
import { ROW_ORDER_COLUMN } from "../../catalog/node-definition.ts";
import { quoteIdent } from "../../sql/quote.ts";

/** The rows a sink writes: its input's columns in schema order, in row order, without the row order column. */
export function sinkInputSql(relation: string, columns: Column[]): string {
  const list = columns.map((c) => quoteIdent(c.name)).join(", ");
  return `SELECT ${list} FROM ${relation} ORDER BY ${quoteIdent(ROW_ORDER_COLUMN)}`;
}
