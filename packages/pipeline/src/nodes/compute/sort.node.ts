import { z } from "zod";
import { error, failAll, ok, type Column, type Issue } from "@sluice/model";
import { defineNode, ROW_ORDER_COLUMN } from "../../catalog/node-definition.ts";
import { findColumn } from "../../catalog/columns.ts";
import { quoteIdent } from "../../sql/quote.ts";
import type { Dialect } from "../../sql/dialect.ts";
import { columnWidget } from "../../catalog/widgets.ts";
import { indirect, passThrough, readAs } from "../../catalog/node-lineage.ts";

export const sortKeySchema = z.object({
  column: z.string().min(1, "choose a column").meta(columnWidget()),
  direction: z.enum(["asc", "desc"]).default("asc"),
  nulls: z.enum(["first", "last"]).default("last"),
});
const configSchema = z.object({ keys: z.array(sortKeySchema).default([]) });
type SortConfig = z.infer<typeof configSchema>;

/** Sort keys must name input columns that can be ordered; shared by every node that sorts. */
export function sortKeyIssues(input: Column[], keys: z.infer<typeof sortKeySchema>[], nodeId: string, prefix: string): Issue[] {
  return keys.flatMap((k, i) => {
    const where = { nodeId, field: `${prefix}.${i}.column` };
    const found = findColumn(input, k.column, where);
    if (found.issue) return [found.issue];
    return found.column.type === "json" ? [error("TYPE_MISMATCH", `JSON column "${k.column}" cannot be sorted on.`, where)] : [];
  });
}

function check(input: Column[], config: SortConfig, nodeId: string): Issue[] {
  return sortKeyIssues(input, config.keys, nodeId, "keys");
}

/** ORDER BY items for sort keys over `input`; text keys by code point in every dialect (Dialect.textOrder). */
export function sortKeyItems(keys: z.infer<typeof sortKeySchema>[], input: Column[], d: Dialect): string[] {
  return keys.map((k) => {
    const id = quoteIdent(k.column);
    const text = input.find((c) => c.name === k.column)?.type === "string";
    return `${text ? d.textOrder(id) : id} ${k.direction.toUpperCase()} NULLS ${k.nulls.toUpperCase()}`;
  });
}

/** ORDER BY items for sort keys, ending with the previous row order so ties keep input order. */
export function orderByKeys(keys: z.infer<typeof sortKeySchema>[], input: Column[], d: Dialect): string {
  return [...sortKeyItems(keys, input, d), `${quoteIdent(ROW_ORDER_COLUMN)} ASC`].join(", ");
}

export const sortNode = defineNode<SortConfig>({
  type: "sort",
  version: 1,
  category: "compute",
  label: "Sort rows",
  description: "Order rows by one or more columns; ties keep their input order.",
  inputs: [{ name: "in", label: "Rows" }],
  outputs: [{ name: "out", label: "Sorted rows" }],
  configSchema,
  defaultConfig: { keys: [] },
  summary: (c) => (c.keys.length ? `by ${c.keys.map((k) => `${k.column} ${k.direction}`).join(", ")}` : "no sort keys"),
  inferSchema(ctx, config) {
    const input = ctx.inputs.in?.[0] ?? [];
    const issues = check(input, config, ctx.nodeId);
    return issues.length ? failAll(issues) : ok({ out: input });
  },
  lineage: (ctx, config) => ({ out: passThrough(ctx.inputs.in?.[0] ?? [], readAs(config.keys.map((k) => k.column), indirect("SORT"))) }),
  keepsRowCount: () => true,
  // Ties keep their input order.
  rowOrder: () => "uses",
  compile(ctx, config) {
    const row = quoteIdent(ROW_ORDER_COLUMN);
    const columns = (ctx.inputs.in?.[0] ?? []).map((c) => quoteIdent(c.name));
    // Sorting rows whose order nobody reads (on the way to a database table, a group) would be work for nothing.
    if (ctx.orderObserved === false) return { kind: "query", outputs: { out: `SELECT * FROM ${ctx.relations.in![0]}` } };
    const sql = `SELECT ${ctx.dialect.allBut(columns, row)}, CAST(${ctx.dialect.rowOrder(orderByKeys(config.keys, ctx.inputs.in?.[0] ?? [], ctx.dialect))} AS BIGINT) AS ${row} FROM ${ctx.relations.in![0]}`;
    return { kind: "query", outputs: { out: sql } };
  },
});
