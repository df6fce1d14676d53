import { z } from "zod";
import { error, failAll, ok, type Column, type Issue } from "@sluice/model";
import { defineNode, ROW_ORDER_COLUMN } from "../../catalog/node-definition.ts";
import { findColumn } from "../../catalog/columns.ts";
import { castWidened, widenAll } from "../../catalog/type-widening.ts";
import { clashingNames, isReservedName, sameName } from "../../catalog/column-names.ts";
import { quoteIdent } from "../../sql/quote.ts";
import { columnsWidget } from "../../catalog/widgets.ts";
import { IDENTITY, indirect, passThrough, readAs } from "../../catalog/node-lineage.ts";

const configSchema = z.object({
  /** Columns whose values become rows, in this order. */
  columns: z.array(z.string().min(1)).max(1000).default([]).meta(columnsWidget()),
  nameColumn: z.string().min(1, "name the column that holds the old column names").max(200).default("name"),
  valueColumn: z.string().min(1, "name the column that holds the values").max(200).default("value"),
  /** "keep": a null value still makes a row; "drop": it does not. */
  nulls: z.enum(["keep", "drop"]).default("keep"),
});
type UnpivotConfig = z.infer<typeof configSchema>;

function plan(input: Column[], config: UnpivotConfig, nodeId: string) {
  const issues: Issue[] = [];
  const unpivoted: Column[] = [];
  if (config.columns.length === 0) issues.push(error("NO_COLUMNS", "Choose at least one column to unpivot.", { nodeId, field: "columns" }));
  config.columns.forEach((name, i) => {
    const found = findColumn(input, name, { nodeId, field: `columns.${i}` });
    if (found.issue) issues.push(found.issue);
    else if (unpivoted.some((c) => c.name === name)) {
      issues.push(error("DUPLICATE_COLUMN", `Column "${name}" is listed more than once.`, { nodeId, field: `columns.${i}` }));
    } else unpivoted.push(found.column);
  });
  const kept = input.filter((c) => !config.columns.includes(c.name));
  for (const field of ["nameColumn", "valueColumn"] as const) {
    const name = config[field];
    if (isReservedName(name)) issues.push(error("RESERVED_COLUMN_NAME", `"${ROW_ORDER_COLUMN}" is reserved by Sluice.`, { nodeId, field }));
    else if (kept.some((c) => sameName(c.name, name))) {
      issues.push(error("DUPLICATE_COLUMN", `The output already has a column "${name}" (names ignore case); choose another name.`, { nodeId, field }));
    }
  }
  if (clashingNames([config.nameColumn, config.valueColumn]).length) {
    issues.push(error("DUPLICATE_COLUMN", "The name and value columns need different names (names ignore case).", { nodeId, field: "valueColumn" }));
  }
  const value: Column = { name: config.valueColumn, ...(widenAll(unpivoted) ?? { type: "string" }) };
  const columns: Column[] = [...kept, { name: config.nameColumn, type: "string" }, value];
  return { issues, kept, unpivoted, value, columns };
}

export const unpivotNode = defineNode<UnpivotConfig>({
  type: "unpivot",
  version: 1,
  category: "structure",
  label: "Unpivot",
  description: "Turn columns into rows of name and value.",
  inputs: [{ name: "in", label: "Rows" }],
  outputs: [{ name: "out", label: "Rows" }],
  configSchema,
  defaultConfig: { columns: [], nameColumn: "name", valueColumn: "value", nulls: "keep" },
  summary: (c) => (c.columns.length ? `unpivot ${c.columns.join(", ")} into ${c.nameColumn}, ${c.valueColumn}` : "no columns chosen"),
  inferSchema(ctx, config) {
    const p = plan(ctx.inputs.in?.[0] ?? [], config, ctx.nodeId);
    return p.issues.length ? failAll(p.issues) : ok({ out: p.columns });
  },
  // Kept columns repeat per row; the value column takes each unpivoted column's values in turn; the name column
  // holds their names, not their values.
  lineage(ctx, config) {
    const { kept, unpivoted } = plan(ctx.inputs.in?.[0] ?? [], config, ctx.nodeId);
    const lineage = passThrough(kept, config.nulls === "drop" ? readAs(unpivoted.map((c) => c.name), indirect("FILTER", "null values make no row")) : []);
    lineage.columns[config.nameColumn] = [];
    lineage.columns[config.valueColumn] = readAs(unpivoted.map((c) => c.name), IDENTITY);
    return { out: lineage };
  },
  compile(ctx, config) {
    const { kept, unpivoted, value } = plan(ctx.inputs.in?.[0] ?? [], config, ctx.nodeId);
    const order = quoteIdent(ROW_ORDER_COLUMN);
    // One entry per unpivoted column; positional names inside, so user names never clash with ours.
    const entries = unpivoted.map((c) => ({ name: c.name, value: castWidened(quoteIdent(c.name), c, value, ctx.dialect) }));
    const keep = kept.map((c, i) => `${quoteIdent(c.name)} AS "k${i}"`);
    const inner = ctx.dialect.unpivot(ctx.relations.in![0]!, keep, order, entries);
    const list = [
      ...kept.map((c, i) => `"k${i}" AS ${quoteIdent(c.name)}`),
      `${inner.field("n")} AS ${quoteIdent(config.nameColumn)}`,
      `${inner.field("v")} AS ${quoteIdent(config.valueColumn)}`,
      // Input row order first, then the order the columns are listed in; unobserved, the input row's value.
      `${ctx.orderObserved === false ? `"r"` : ctx.dialect.rowOrder(`"r", ${inner.field("i")}`)} AS ${order}`,
    ];
    const where = config.nulls === "drop" ? ` WHERE ${inner.field("v")} IS NOT NULL` : "";
    return { kind: "query", outputs: { out: `SELECT ${list.join(", ")} FROM (${inner.sql}) AS u${where}` } };
  },
});
