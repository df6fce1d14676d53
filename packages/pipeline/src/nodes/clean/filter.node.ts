import { z } from "zod";
import { failAll, ok } from "@sluice/model";
import { defineNode } from "../../catalog/node-definition.ts";
import { checkCondition, conditionColumns, conditionSql, describeCondition, groupSchema, incompleteConditions, type Group } from "./filter-condition.ts";
import { indirect, passThrough, readAs } from "../../catalog/node-lineage.ts";

const configSchema = z.object({
  condition: groupSchema.default({ kind: "group", op: "and", conditions: [] }),
});
type FilterConfig = { condition: Group };

export const filterNode = defineNode<FilterConfig>({
  type: "filter",
  version: 1,
  category: "clean",
  label: "Filter rows",
  description: "Keep the rows that match a condition built from rules, expressions and and/or groups.",
  inputs: [{ name: "in", label: "Rows" }],
  outputs: [{ name: "out", label: "Matching rows" }],
  configSchema,
  defaultConfig: { condition: { kind: "group", op: "and", conditions: [] } },
  summary: (c) => `keep ${describeCondition(c.condition)}`.slice(0, 80),
  inferSchema(ctx, config) {
    const input = ctx.inputs.in?.[0] ?? [];
    const issues = checkCondition(config.condition, input, ctx.nodeId, "condition", ctx.params);
    return issues.length ? failAll(issues) : ok({ out: input });
  },
  // A rule still being written is left out rather than applied half-done; saying so keeps that visible in runs too.
  // Rows pass unchanged; the columns the condition reads decide which.
  lineage: (ctx, config) => ({ out: passThrough(ctx.inputs.in?.[0] ?? [], readAs(conditionColumns(config.condition), indirect("FILTER"))) }),
  warnings: (config) => incompleteConditions(config.condition, "condition"),
  recompute: () => "row-filter",
  compile(ctx, config) {
    const where = conditionSql(config.condition, ctx.inputs.in?.[0] ?? [], ctx.params, ctx.dialect);
    return { kind: "query", outputs: { out: `SELECT * FROM ${ctx.relations.in![0]} WHERE ${where}` } };
  },
});
