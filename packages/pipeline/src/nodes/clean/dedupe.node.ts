import { z } from "zod";
import { failAll, ok, type Column, type Issue } from "@sluice/model";
import { defineNode, ROW_ORDER_COLUMN } from "../../catalog/node-definition.ts";
import { unknownColumns } from "../../catalog/columns.ts";
import { quoteIdent } from "../../sql/quote.ts";
import { orderByKeys, sortKeySchema } from "../compute/sort.node.ts";
import { columnsWidget } from "../../catalog/widgets.ts";
import { indirect, passThrough, readAs } from "../../catalog/node-lineage.ts";

const configSchema = z.object({
  /** Columns that identify a duplicate; empty means all columns. */
  keys: z.array(z.string()).default([]).meta(columnsWidget()),
  keep: z.enum(["first", "last", "by_sort"]).default("first").describe("Which row of each set of duplicates stays: the first or last in input order, or the first after sorting (by_sort)."),
  /** keep "by_sort": the first row of each duplicate set after sorting by these (ties: input order). */
  sort: z.array(sortKeySchema).default([]),
});
type DedupeConfig = z.infer<typeof configSchema>;

function check(input: Column[], config: DedupeConfig, nodeId: string): Issue[] {
  const sortColumns = config.keep === "by_sort" ? config.sort.map((k) => k.column) : [];
  return [...unknownColumns(input, config.keys, nodeId, (i) => `keys.${i}`), ...unknownColumns(input, sortColumns, nodeId, (i) => `sort.${i}.column`)];
}

export const dedupeNode = defineNode<DedupeConfig>({
  type: "dedupe",
  version: 1,
  category: "clean",
  label: "Remove duplicates",
  description: "Keep one row per distinct key: the first, the last, or the first after sorting.",
  inputs: [{ name: "in", label: "Rows" }],
  outputs: [{ name: "out", label: "Distinct rows" }],
  configSchema,
  defaultConfig: { keys: [], keep: "first", sort: [] },
  summary: (c) =>
    `keep ${c.keep === "by_sort" ? `first by ${c.sort.map((k) => `${k.column} ${k.direction}`).join(", ") || "input order"}` : c.keep} per ${c.keys.length ? c.keys.join(", ") : "whole row"}`.slice(0, 80),
  inferSchema(ctx, config) {
    const input = ctx.inputs.in?.[0] ?? [];
    const issues = check(input, config, ctx.nodeId);
    return issues.length ? failAll(issues) : ok({ out: input });
  },
  // Rows pass unchanged; the key decides which are duplicates (one row per key, as a grouping), a sort which one stays.
  lineage(ctx, config) {
    const input = ctx.inputs.in?.[0] ?? [];
    const keys = readAs(config.keys.length ? config.keys : input.map((c) => c.name), indirect("GROUP_BY", "one row per distinct key"));
    const sort = config.keep === "by_sort" ? readAs(config.sort.map((k) => k.column), indirect("SORT", "picks the row that stays")) : [];
    return { out: passThrough(input, [...keys, ...sort]) };
  },
  rowOrder: () => "uses",
  compile(ctx, config) {
    const input = ctx.inputs.in?.[0] ?? [];
    const keyColumns = config.keys.length ? config.keys.map((k) => input.find((c) => c.name === k)!) : input;
    const keys = keyColumns.map((c) => ctx.dialect.distinctBy(quoteIdent(c.name), c.type));
    const row = quoteIdent(ROW_ORDER_COLUMN);
    const relation = ctx.relations.in![0]!;
    if (config.keep !== "by_sort" || config.sort.length === 0) {
      // A semi-join on each key's first (or last) row: a hash aggregate and a hash join both spill to disk, where a
      // window holds whole partitions in memory (docs/benchmarks.md, 20M rows in 1 GB). GROUP BY puts nulls
      // together, so null keys count as equal; the row-order column is unique, so one row per key stays.
      const pick = config.keep === "last" ? "max" : "min";
      const groupBy = keys.length ? ` GROUP BY ${keys.join(", ")}` : "";
      return { kind: "query", outputs: { out: `SELECT * FROM ${relation} WHERE ${row} IN (SELECT ${pick}(${row}) FROM ${relation}${groupBy})` } };
    }
    // PARTITION BY puts nulls together, so null keys count as equal. Kept rows keep their row order.
    const partition = keys.length ? `PARTITION BY ${keys.join(", ")} ` : "";
    const columns = [...input.map((c) => quoteIdent(c.name)), row];
    const sql = ctx.dialect.firstPerPartition(relation, columns, partition, orderByKeys(config.sort, input, ctx.dialect));
    return { kind: "query", outputs: { out: sql } };
  },
});
