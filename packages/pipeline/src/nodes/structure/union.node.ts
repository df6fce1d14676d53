import { z } from "zod";
import { ok, type Column } from "@sluice/model";
import { defineNode, ROW_ORDER_COLUMN } from "../../catalog/node-definition.ts";
import { widen } from "../../catalog/type-widening.ts";
import { quoteIdent } from "../../sql/quote.ts";
import { duckType } from "../../sql/types.ts";

const configSchema = z.object({
  /** Adds a column naming which input (1, 2, …) each row came from. */
  sourceColumn: z.string().min(1).max(200).optional(),
});
type UnionConfig = z.infer<typeof configSchema>;

/** Columns by name: the first input's in order, then each new name in order of appearance. */
function unionColumns(inputs: Column[][]): Column[] {
  const out: Column[] = [];
  for (const cols of inputs) {
    for (const c of cols) {
      const i = out.findIndex((o) => o.name === c.name);
      if (i < 0) out.push({ ...c });
      else out[i] = { name: c.name, ...widen(out[i]!, c) };
    }
  }
  return out;
}

export const unionNode = defineNode<UnionConfig>({
  type: "union",
  version: 1,
  category: "structure",
  label: "Union",
  description: "Stack the rows of two or more inputs, matching columns by name.",
  inputs: [{ name: "in", label: "Inputs", minEdges: 2, maxEdges: 50 }],
  outputs: [{ name: "out", label: "Rows" }],
  configSchema,
  defaultConfig: {},
  summary: (c) => (c.sourceColumn ? `stack inputs, source in ${c.sourceColumn}` : "stack inputs by column name"),
  inferSchema(ctx, config) {
    const cols = unionColumns(ctx.inputs.in ?? []);
    return ok({ out: config.sourceColumn && !cols.some((c) => c.name === config.sourceColumn) ? [...cols, { name: config.sourceColumn, type: "integer" }] : cols });
  },
  compile(ctx, config) {
    const inputs = ctx.inputs.in ?? [];
    const cols = unionColumns(inputs);
    const order = quoteIdent(ROW_ORDER_COLUMN);
    const parts = (ctx.relations.in ?? []).map((rel, i) => {
      const have = new Set((inputs[i] ?? []).map((c) => c.name));
      const list = cols.map((c) => `CAST(${have.has(c.name) ? quoteIdent(c.name) : "NULL"} AS ${duckType(c)}) AS ${quoteIdent(c.name)}`);
      if (config.sourceColumn && !cols.some((c) => c.name === config.sourceColumn)) list.push(`CAST(${i + 1} AS INTEGER) AS ${quoteIdent(config.sourceColumn)}`);
      return `SELECT ${list.join(", ")}, ${i + 1} AS "__input", ${order} AS "__inner" FROM ${rel}`;
    });
    // All rows of input 1 in their order, then input 2, and so on.
    const names = [...cols.map((c) => quoteIdent(c.name)), ...(config.sourceColumn && !cols.some((c) => c.name === config.sourceColumn) ? [quoteIdent(config.sourceColumn)] : [])];
    return {
      kind: "query",
      outputs: {
        out: `SELECT ${names.join(", ")}, row_number() OVER (ORDER BY "__input", "__inner") AS ${order} FROM (${parts.join(" UNION ALL ")}) AS u`,
      },
    };
  },
});
