import { z } from "zod";
import { failAll, ok, type Column, type Issue } from "@sluice/model";
import { defineNode, ROW_ORDER_COLUMN } from "../../catalog/node-definition.ts";
import { findColumn, unknownColumns } from "../../catalog/columns.ts";
import { quoteIdent } from "../../sql/quote.ts";
import { applyOperation, checkOperation, operationSchema } from "./clean-operations.ts";
import { columnWidget, columnsWidget } from "../../catalog/widgets.ts";
import { direct, IDENTITY, indirect, origin, readAs } from "../../catalog/node-lineage.ts";

const configSchema = z.object({
  /** Each entry's operations run in order; a column listed twice gets both lists, in list order. */
  columns: z.array(z.object({ column: z.string().min(1, "choose a column").meta(columnWidget()), operations: z.array(operationSchema).default([]) })).default([]),
  /** Applied after the operations. An empty column list means every column. */
  dropRows: z.object({ when: z.enum(["any", "all"]), columns: z.array(z.string()).default([]).meta(columnsWidget()) }).optional(),
});
type CleanConfig = z.infer<typeof configSchema>;

function check(input: Column[], config: CleanConfig, nodeId: string): Issue[] {
  const issues: Issue[] = [];
  config.columns.forEach((c, i) => {
    const found = findColumn(input, c.column, { nodeId, field: `columns.${i}.column` });
    if (found.issue) return void issues.push(found.issue);
    c.operations.forEach((op, j) => issues.push(...checkOperation(op, found.column, { nodeId, field: `columns.${i}.operations.${j}` })));
  });
  issues.push(...unknownColumns(input, config.dropRows?.columns ?? [], nodeId, (i) => `dropRows.columns.${i}`));
  return issues;
}

export const cleanNode = defineNode<CleanConfig>({
  type: "clean",
  version: 1,
  category: "clean",
  label: "Clean values",
  description: "Trim, re-case, replace and fill values per column; drop rows with missing values.",
  inputs: [{ name: "in", label: "Rows" }],
  outputs: [{ name: "out", label: "Cleaned rows" }],
  configSchema,
  defaultConfig: { columns: [] },
  summary: (c) => {
    const parts = c.columns.map((x) => `${x.column}: ${x.operations.map((o) => o.op).join(", ") || "nothing"}`);
    if (c.dropRows) parts.push(`drop rows with ${c.dropRows.when} null`);
    return parts.length ? parts.join("; ").slice(0, 80) : "no cleaning";
  },
  inferSchema(ctx, config) {
    const input = ctx.inputs.in?.[0] ?? [];
    const issues = check(input, config, ctx.nodeId);
    return issues.length ? failAll(issues) : ok({ out: input });
  },
  // Dropping rows with missing values is the one setting that changes how many rows come out.
  // A cleaned column is a transformation of itself; dropRows' columns decide which rows stay.
  lineage(ctx, config) {
    const input = ctx.inputs.in?.[0] ?? [];
    const changed = new Set(config.columns.filter((c) => c.operations.length > 0).map((c) => c.column));
    const columns = Object.fromEntries(input.map((c) => [c.name, [origin(c.name, changed.has(c.name) ? direct("TRANSFORMATION") : IDENTITY)]]));
    const drop = config.dropRows;
    const rows = drop ? readAs(drop.columns.length ? drop.columns : input.map((c) => c.name), indirect("FILTER", `rows with ${drop.when} of these null are dropped`)) : [];
    return { out: { columns, rows } };
  },
  keepsRowCount: (config) => config.dropRows === undefined,
  recompute: (config) => (config.dropRows === undefined ? "projection" : "row-filter"),
  compile(ctx, config) {
    const input = ctx.inputs.in?.[0] ?? [];
    const exprs = new Map(input.map((c) => [c.name, quoteIdent(c.name)]));
    for (const entry of config.columns) {
      const column = input.find((c) => c.name === entry.column)!;
      exprs.set(column.name, entry.operations.reduce((e, op) => applyOperation(e, op, column, ctx.dialect), exprs.get(column.name)!));
    }
    const list = [...input.map((c) => `${exprs.get(c.name)!} AS ${quoteIdent(c.name)}`), quoteIdent(ROW_ORDER_COLUMN)];
    let sql = `SELECT ${list.join(", ")} FROM ${ctx.relations.in![0]}`;
    const drop = config.dropRows;
    if (drop) {
      const names = drop.columns.length ? drop.columns : input.map((c) => c.name);
      if (names.length) {
        const nulls = names.map((n) => `${quoteIdent(n)} IS NULL`).join(drop.when === "any" ? " OR " : " AND ");
        sql = `SELECT * FROM (${sql}) AS c WHERE NOT (${nulls})`;
      }
    }
    return { kind: "query", outputs: { out: sql } };
  },
});
