import { z } from "zod";
import { error, failAll, ok, type Column, type Issue } from "@sluice/model";
import { defineNode, ROW_ORDER_COLUMN } from "../../catalog/node-definition.ts";
import { findColumn, isNumeric } from "../../catalog/columns.ts";
import { clashWording, isReservedName, repeatedNames } from "../../catalog/column-names.ts";
import { quoteIdent, quoteLiteral } from "../../sql/quote.ts";
import type { Dialect } from "../../sql/dialect.ts";
import { columnsWidget } from "../../catalog/widgets.ts";
import { aggregationSchema, type AggregateFunction as Fn, type Aggregation } from "./aggregation.schema.ts";
import { direct, IDENTITY, indirect, origin, readAs, type PortLineage } from "../../catalog/node-lineage.ts";

const configSchema = z.object({
  keys: z.array(z.string()).default([]).meta(columnsWidget()),
  aggregations: z.array(aggregationSchema).default([]),
});
type GroupConfig = z.infer<typeof configSchema>;

const outputName = (a: Aggregation) => a.as ?? (a.column === undefined ? a.fn : `${a.column}_${a.fn}`);

/** The output column type of fn over `col`, or why fn cannot apply to it. */
function resultType(fn: Fn, col: Column | undefined): Omit<Column, "name"> | string {
  const numeric = col !== undefined && isNumeric(col);
  switch (fn) {
    case "count":
    case "count_distinct":
      return { type: "bigint" };
    case "sum":
      if (!numeric) return "needs a number column";
      if (col.type === "decimal") return { type: "decimal", precision: 38, scale: col.scale ?? 3 };
      return col.type === "double" ? { type: "double" } : { type: "bigint" };
    case "avg":
    case "median":
    case "stddev":
      return numeric ? { type: "double" } : "needs a number column";
    case "min":
    case "max":
      if (col?.type === "json") return "cannot order JSON";
      return col ? { type: col.type, precision: col.precision, scale: col.scale } : "needs a column";
    case "first":
    case "last":
      return col ? { type: col.type, precision: col.precision, scale: col.scale } : "needs a column";
    case "string_agg":
      return { type: "string" };
    default: {
      const never: never = fn;
      throw new Error(`group: unknown function ${String(never)}`);
    }
  }
}

interface Planned {
  issues: Issue[];
  keys: Column[];
  aggs: { agg: Aggregation; col: Column | undefined; out: Column }[];
}

function plan(input: Column[], config: GroupConfig, nodeId: string): Planned {
  const issues: Issue[] = [];
  const keys: Column[] = [];
  const keyFields: string[] = [];
  config.keys.forEach((name, i) => {
    const found = findColumn(input, name, { nodeId, field: `keys.${i}` });
    if (found.issue) issues.push(found.issue);
    else {
      keys.push(found.column);
      keyFields.push(`keys.${i}`);
    }
  });
  const aggs: Planned["aggs"] = [];
  config.aggregations.forEach((agg, i) => {
    const field = `aggregations.${i}`;
    let col: Column | undefined;
    if (agg.column !== undefined) {
      const found = findColumn(input, agg.column, { nodeId, field: `${field}.column` });
      if (found.issue) return void issues.push(found.issue);
      col = found.column;
    } else if (agg.fn !== "count") {
      return void issues.push(error("MISSING_COLUMN", `"${agg.fn}" needs a column.`, { nodeId, field: `${field}.column` }));
    }
    const type = resultType(agg.fn, col);
    if (typeof type === "string") {
      return void issues.push(error("TYPE_MISMATCH", `"${agg.fn}" ${type}, but "${col?.name}" is ${col?.type}.`, { nodeId, field: `${field}.fn` }));
    }
    const name = outputName(agg);
    if (isReservedName(name)) return void issues.push(error("RESERVED_COLUMN_NAME", `"${ROW_ORDER_COLUMN}" is reserved by Sluice.`, { nodeId, field: `${field}.as` }));
    const out: Column = { name, ...type };
    if (out.precision === undefined) delete out.precision;
    if (out.scale === undefined) delete out.scale;
    aggs.push({ agg, col, out });
  });
  // DuckDB binds names ignoring ASCII case, so "Count" and "count" clash; the later entry is the one to change.
  const named = [
    ...keys.map((k, i) => ({ name: k.name, field: keyFields[i]! })),
    ...aggs.map((a) => ({ name: a.out.name, field: `aggregations.${config.aggregations.indexOf(a.agg)}.as` })),
  ];
  for (const { entry, first } of repeatedNames(named)) {
    issues.push(error("DUPLICATE_COLUMN", `Output column ${clashWording(entry.name, first)} would appear more than once; name the aggregation differently with "as".`, { nodeId, field: entry.field }));
  }
  return { issues, keys, aggs };
}

function aggregateSql({ agg, col, out }: Planned["aggs"][number], d: Dialect): string {
  const row = quoteIdent(ROW_ORDER_COLUMN);
  const c = col ? quoteIdent(col.name) : "";
  const sql = ((): string => {
    switch (agg.fn) {
      case "count":
        return col ? `count(${c})` : "count(*)";
      case "count_distinct":
        return `count(DISTINCT ${d.distinctBy(c, col!.type)})`;
      case "sum":
        return col!.type === "decimal" ? d.fittingDecimalSum(`sum(${c})`, out) : `sum(${c})`;
      case "avg":
        return d.avg(c, col!.type);
      case "median":
        return d.median(c);
      case "stddev":
        return d.stddev(c);
      case "min":
      case "max":
        // Text by code point, booleans false < true, in every dialect.
        return d.minMax(agg.fn, c, col!.type);
      case "first":
        return d.argMin(c, row);
      case "last":
        return d.argMax(c, row);
      case "string_agg":
        return d.stringAgg(d.toText(c, col!.type), quoteLiteral(agg.separator), row);
      default: {
        const never: never = agg.fn;
        throw new Error(`group: unknown function ${String(never)}`);
      }
    }
  })();
  // Pin the engine's result to the declared type (e.g. sum of integers is HUGEINT in DuckDB).
  return `CAST(${sql} AS ${d.type(out)}) AS ${quoteIdent(out.name)}`;
}

/** Keys pass through and group the rows; each aggregation aggregates its column (a row count reads none). */
export function groupLineage(input: Column[], config: GroupConfig, nodeId: string): PortLineage {
  const p = plan(input, config, nodeId);
  const columns: PortLineage["columns"] = Object.fromEntries(p.keys.map((k) => [k.name, [origin(k.name, IDENTITY)]]));
  for (const a of p.aggs) columns[a.out.name] = a.col ? [origin(a.col.name, direct("AGGREGATION", a.agg.fn))] : [];
  return { columns, rows: readAs(p.keys.map((k) => k.name), indirect("GROUP_BY")) };
}

export const groupNode = defineNode<GroupConfig>({
  type: "group",
  version: 1,
  category: "summarize",
  label: "Group and aggregate",
  description: "One row per distinct combination of key columns, with counts, sums, averages and more.",
  inputs: [{ name: "in", label: "Rows" }],
  outputs: [{ name: "out", label: "Groups" }],
  configSchema,
  defaultConfig: { keys: [], aggregations: [] },
  summary: (c) => `${c.aggregations.map((a) => `${a.fn}(${a.column ?? "*"})`).join(", ") || "no aggregations"} by ${c.keys.join(", ") || "all rows"}`.slice(0, 80),
  inferSchema(ctx, config) {
    const p = plan(ctx.inputs.in?.[0] ?? [], config, ctx.nodeId);
    return p.issues.length ? failAll(p.issues) : ok({ out: [...p.keys, ...p.aggs.map((a) => a.out)] });
  },
  lineage: (ctx, config) => ({ out: groupLineage(ctx.inputs.in?.[0] ?? [], config, ctx.nodeId) }),
  // first, last and string_agg read rows in input order; groups come out in the order of their first row.
  rowOrder: (config) => (config.aggregations.some((a) => a.fn === "first" || a.fn === "last" || a.fn === "string_agg") ? "uses" : "keeps"),
  compile(ctx, config) {
    const p = plan(ctx.inputs.in?.[0] ?? [], config, ctx.nodeId);
    const row = quoteIdent(ROW_ORDER_COLUMN);
    const keys = p.keys.map((k) => ctx.dialect.distinctBy(quoteIdent(k.name), k.type));
    // Groups come out in order of their first row; with no keys there is exactly one row, even for no input.
    const order = `CAST(COALESCE(min(${row}), 1) AS BIGINT) AS ${row}`;
    const list = [...keys, ...p.aggs.map((a) => aggregateSql(a, ctx.dialect)), order];
    const groupBy = keys.length ? ` GROUP BY ${keys.join(", ")}` : "";
    return { kind: "query", outputs: { out: `SELECT ${list.join(", ")} FROM ${ctx.relations.in![0]}${groupBy}` } };
  },
});
