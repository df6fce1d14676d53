import { z } from "zod";
import { error, failAll, ok, type Column, type Issue } from "@sluice/model";
import { defineNode, ROW_ORDER_COLUMN } from "../../catalog/node-definition.ts";
import { findColumn, isNumeric } from "../../catalog/columns.ts";
import { isReservedName, nameKey } from "../../catalog/column-names.ts";
import { quoteIdent, quoteLiteral } from "../../sql/quote.ts";
import type { Dialect } from "../../sql/dialect.ts";
import { columnWidget, columnsWidget } from "../../catalog/widgets.ts";
import { direct, IDENTITY, indirect, origin, readAs, type PortLineage } from "../../catalog/node-lineage.ts";

const aggregations = ["sum", "count", "avg", "min", "max", "first"] as const;
type Aggregation = (typeof aggregations)[number];

const configSchema = z.object({
  groupBy: z.array(z.string().min(1)).max(100).default([]).meta(columnsWidget()),
  /** Its values (as text) pick the output column a row's value goes to. */
  pivotColumn: z.string().meta(columnWidget()).default(""),
  /** The pivot values that become columns, in output order. Listed because a schema must be known before any run. */
  values: z.array(z.string()).max(1000).default([]),
  /** Not needed for count, which then counts rows. */
  valueColumn: z.string().meta(columnWidget()).optional(),
  aggregation: z.enum(aggregations).default("count"),
});
type PivotConfig = z.infer<typeof configSchema>;

function aggregateType(agg: Aggregation, value: Column | undefined): Omit<Column, "name"> | string {
  switch (agg) {
    case "count":
      return { type: "bigint" };
    case "avg":
      return value && isNumeric(value) ? { type: "double" } : "avg needs a numeric value column";
    case "sum":
      if (!value || !isNumeric(value)) return "sum needs a numeric value column";
      if (value.type === "decimal") return { type: "decimal", precision: 38, scale: value.scale ?? 3 };
      return { type: value.type === "double" ? "double" : "bigint" };
    case "min":
    case "max":
    case "first":
      if (!value) return `${agg} needs a value column`;
      if (value.type === "json" && agg !== "first") return `${agg} cannot compare json values`;
      return value.type === "decimal" ? { type: "decimal", precision: value.precision ?? 18, scale: value.scale ?? 3 } : { type: value.type };
    default: {
      const never: never = agg;
      throw new Error(`unknown aggregation ${String(never)}`);
    }
  }
}

function plan(input: Column[], config: PivotConfig, nodeId: string) {
  const issues: Issue[] = [];
  const at = (field: string) => ({ nodeId, field });
  const groups: Column[] = [];
  config.groupBy.forEach((name, i) => {
    const found = findColumn(input, name, at(`groupBy.${i}`));
    if (found.issue) issues.push(found.issue);
    else if (groups.some((g) => g.name === name)) issues.push(error("DUPLICATE_COLUMN", `Column "${name}" is listed more than once.`, at(`groupBy.${i}`)));
    else groups.push(found.column);
  });
  let pivot: Column | undefined;
  if (!config.pivotColumn) issues.push(error("PIVOT_COLUMN_REQUIRED", "Choose the column whose values become columns.", at("pivotColumn")));
  else {
    const found = findColumn(input, config.pivotColumn, at("pivotColumn"));
    if (found.issue) issues.push(found.issue);
    else if (groups.some((g) => g.name === config.pivotColumn)) {
      issues.push(error("PIVOT_COLUMN_GROUPED", `"${config.pivotColumn}" cannot be both the pivot column and a group-by column.`, at("pivotColumn")));
    } else pivot = found.column;
  }
  let value: Column | undefined;
  if (config.valueColumn) {
    const found = findColumn(input, config.valueColumn, at("valueColumn"));
    if (found.issue) issues.push(found.issue);
    else value = found.column;
  } else if (config.aggregation !== "count") {
    issues.push(error("VALUE_COLUMN_REQUIRED", `Choose the column to ${config.aggregation}.`, at("valueColumn")));
  }
  const type = aggregateType(config.aggregation, value);
  if (typeof type === "string" && value) issues.push(error("TYPE_MISMATCH", `${type}; "${value.name}" is ${value.type}.`, at("valueColumn")));
  if (config.values.length === 0) issues.push(error("NO_PIVOT_VALUES", "List the pivot values that become columns.", at("values")));
  const taken = new Map(groups.map((g) => [nameKey(g.name), `group-by column "${g.name}"`]));
  config.values.forEach((v, i) => {
    if (v === "") issues.push(error("EMPTY_COLUMN_NAME", "An empty pivot value cannot name a column.", at(`values.${i}`)));
    else if (isReservedName(v)) issues.push(error("RESERVED_COLUMN_NAME", `"${ROW_ORDER_COLUMN}" is reserved by Sluice.`, at(`values.${i}`)));
    else if (taken.has(nameKey(v))) {
      issues.push(error("DUPLICATE_COLUMN", `Pivot value "${v}" would make a column with the same name as the ${taken.get(nameKey(v))} (names ignore case).`, at(`values.${i}`)));
    } else taken.set(nameKey(v), `pivot value "${v}"`);
  });
  const valueType = typeof type === "string" ? { type: "string" as const } : type;
  const columns: Column[] = [...groups, ...config.values.map((name) => ({ name, ...valueType }))];
  return { issues, groups, pivot, value, valueType, columns };
}

function aggregateSql(agg: Aggregation, value: Column | undefined, match: string, d: Dialect): string {
  const hasValue = value !== undefined;
  const filter = ` FILTER (WHERE "p" = ${match})`;
  switch (agg) {
    case "count":
      return hasValue ? `count("v")${filter}` : `count(*)${filter}`;
    case "first":
      // The first row in input order, even when its value is null.
      return d.firstByOrder(`"v"`, `"r"`, `"p" = ${match}`);
    case "avg":
      return d.avg(`"v"`, value!.type, `"p" = ${match}`);
    case "sum":
      return value!.type === "decimal" ? d.fittingDecimalSum(`sum("v")${filter}`, { type: "decimal", precision: 38, scale: value!.scale ?? 3 }) : `sum("v")${filter}`;
    case "min":
    case "max":
      // Text by code point, booleans false < true, in every dialect.
      return d.minMax(agg, `"v"`, value!.type, `"p" = ${match}`);
    default: {
      const never: never = agg;
      throw new Error(`unknown aggregation ${String(never)}`);
    }
  }
}

export const pivotNode = defineNode<PivotConfig>({
  type: "pivot",
  version: 1,
  category: "structure",
  label: "Pivot",
  description: "Turn the values of one column into columns, aggregating another column.",
  inputs: [{ name: "in", label: "Rows" }],
  outputs: [{ name: "out", label: "Rows" }],
  configSchema,
  defaultConfig: { groupBy: [], pivotColumn: "", values: [], aggregation: "count" },
  summary: (c) =>
    c.pivotColumn
      ? `${c.aggregation}${c.valueColumn ? ` of ${c.valueColumn}` : ""} by ${c.pivotColumn}${c.groupBy.length ? ` per ${c.groupBy.join(", ")}` : ""}`
      : "no pivot column chosen",
  inferSchema(ctx, config) {
    const p = plan(ctx.inputs.in?.[0] ?? [], config, ctx.nodeId);
    return p.issues.length ? failAll(p.issues) : ok({ out: p.columns });
  },
  // Group columns pass through and group the rows; a value column aggregates the value column over the rows whose
  // pivot column holds its value, so the pivot column picks what it holds (CONDITIONAL).
  lineage(ctx, config) {
    const { groups, pivot, value } = plan(ctx.inputs.in?.[0] ?? [], config, ctx.nodeId);
    const columns: PortLineage["columns"] = Object.fromEntries(groups.map((g) => [g.name, [origin(g.name, IDENTITY)]]));
    for (const v of config.values) {
      columns[v] = [
        ...(value ? [origin(value.name, direct("AGGREGATION", config.aggregation))] : []),
        ...(pivot ? [origin(pivot.name, indirect("CONDITIONAL", `rows where ${pivot.name} is ${JSON.stringify(v)}`))] : []),
      ];
    }
    return { out: { columns, rows: readAs(groups.map((g) => g.name), indirect("GROUP_BY")) } };
  },
  compile(ctx, config) {
    const { groups, pivot, value, valueType } = plan(ctx.inputs.in?.[0] ?? [], config, ctx.nodeId);
    const order = quoteIdent(ROW_ORDER_COLUMN);
    // Positional names inside, so neither user names nor pivot values can clash with the ones we reference.
    const inner = [
      ...groups.map((g, i) => `${ctx.dialect.distinctBy(quoteIdent(g.name), g.type)} AS "g${i}"`),
      `${pivot ? ctx.dialect.toText(ctx.dialect.distinctBy(quoteIdent(pivot.name), pivot.type), pivot.type) : ctx.dialect.literal(null, { type: "string" })} AS "p"`,
      `${value ? quoteIdent(value.name) : "NULL"} AS "v"`,
      `${order} AS "r"`,
    ];
    const list = [
      ...groups.map((g, i) => `"g${i}" AS ${quoteIdent(g.name)}`),
      ...config.values.map((v) => `CAST(${aggregateSql(config.aggregation, value, quoteLiteral(v), ctx.dialect)} AS ${ctx.dialect.type(valueType)}) AS ${quoteIdent(v)}`),
      // Groups come out in the order of their first row.
      `COALESCE(min("r"), 0) AS ${order}`,
    ];
    const groupBy = groups.length ? ` GROUP BY ${groups.map((_, i) => i + 1).join(", ")}` : "";
    return { kind: "query", outputs: { out: `SELECT ${list.join(", ")} FROM (SELECT ${inner.join(", ")} FROM ${ctx.relations.in![0]}) AS s${groupBy}` } };
  },
});
