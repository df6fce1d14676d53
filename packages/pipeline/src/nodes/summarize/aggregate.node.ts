import { z } from "zod";
import { error, fail, failAll, ok } from "@sluice/model";
import { defineNode, ROW_ORDER_COLUMN } from "../../catalog/node-definition.ts";
import { quoteIdent } from "../../sql/quote.ts";
import { sortKeySchema } from "../compute/sort.node.ts";
import { aggregationSchema } from "./aggregation.schema.ts";
import { groupLineage, groupNode } from "./group.node.ts";
import { planWindows, windowSchema, windowSql } from "./window-functions.ts";
import { columnsWidget } from "../../catalog/widgets.ts";
import { direct, indirect, origin, passThrough, readAs } from "../../catalog/node-lineage.ts";

const configSchema = z.object({
  /** total: one row of aggregations over all rows; window: columns computed over related rows, added to every row. */
  mode: z.enum(["total", "window"]).default("total"),
  /** total mode: the group node's aggregations, since total mode is a group without keys. */
  aggregations: z.array(aggregationSchema).default([]),
  /** window mode: rows are related within equal values of these columns (all rows when empty). */
  partitionBy: z.array(z.string().min(1)).default([]).meta(columnsWidget()),
  /** window mode: the order within a partition; input order when empty, and for ties. */
  orderBy: z.array(sortKeySchema).default([]),
  /** window mode. */
  windows: z.array(windowSchema).default([]),
});
type AggregateConfig = z.infer<typeof configSchema>;

const asGroup = (config: AggregateConfig) => ({ keys: [], aggregations: config.aggregations });

export const aggregateNode = defineNode<AggregateConfig>({
  type: "aggregate",
  version: 1,
  category: "summarize",
  label: "Aggregate",
  description: "Totals over all rows, or running sums, ranks, previous/next values and shares added to every row.",
  inputs: [{ name: "in", label: "Rows" }],
  outputs: [{ name: "out", label: "Rows" }],
  configSchema,
  defaultConfig: { mode: "total", aggregations: [], partitionBy: [], orderBy: [], windows: [] },
  summary: (c) =>
    c.mode === "total"
      ? c.aggregations.map((a) => `${a.fn}(${a.column ?? "*"})`).join(", ").slice(0, 80) || "no aggregations"
      : `${c.windows.map((w) => w.fn).join(", ") || "no window columns"}${c.partitionBy.length ? ` per ${c.partitionBy.join(", ")}` : ""}`.slice(0, 80),
  inferSchema(ctx, config) {
    if (config.mode === "total") {
      if (config.aggregations.length === 0) return fail(error("AGGREGATIONS_REQUIRED", "Add at least one aggregation.", { nodeId: ctx.nodeId, field: "aggregations" }));
      return groupNode.inferSchema(ctx, asGroup(config));
    }
    const input = ctx.inputs.in?.[0] ?? [];
    const p = planWindows(input, config, ctx.nodeId);
    return p.issues.length ? failAll(p.issues) : ok({ out: [...input, ...p.added.map((a) => a.out)] });
  },
  // Total mode is a group without keys; a window column aggregates its column over rows its partition and order pick.
  lineage(ctx, config) {
    const input = ctx.inputs.in?.[0] ?? [];
    if (config.mode === "total") return { out: groupLineage(input, asGroup(config), ctx.nodeId) };
    const lineage = passThrough(input);
    const window = [...readAs(config.partitionBy, indirect("WINDOW", "partition")), ...readAs(config.orderBy.map((k) => k.column), indirect("WINDOW", "order"))];
    for (const a of planWindows(input, config, ctx.nodeId).added) {
      lineage.columns[a.out.name] = [...(a.value ? [origin(a.value.name, direct("AGGREGATION", a.spec.fn))] : []), ...window];
    }
    return { out: lineage };
  },
  // Window mode adds columns to every row; total mode returns one row.
  keepsRowCount: (config) => config.mode === "window",
  // Windows order ties (and rows without sort keys) by input order.
  rowOrder: () => "uses",
  compile(ctx, config) {
    if (config.mode === "total") return groupNode.compile(ctx, asGroup(config));
    const input = ctx.inputs.in?.[0] ?? [];
    const p = planWindows(input, config, ctx.nodeId);
    // Every input row, in input order, with the window columns appended.
    const list = [...input.map((c) => quoteIdent(c.name)), ...p.added.map((a) => windowSql(a, config, input, ctx.dialect)), quoteIdent(ROW_ORDER_COLUMN)];
    return { kind: "query", outputs: { out: `SELECT ${list.join(", ")} FROM ${ctx.relations.in![0]}` } };
  },
});
