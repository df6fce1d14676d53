import { z } from "zod";
import { error, failAll, ok, type Column, type Issue } from "@sluice/model";
import { defineNode, ROW_ORDER_COLUMN } from "../../catalog/node-definition.ts";
import { findColumn } from "../../catalog/columns.ts";
import { isReservedName, nameKey } from "../../catalog/column-names.ts";
import { quoteIdent } from "../../sql/quote.ts";
import { columnWidget } from "../../catalog/widgets.ts";
import { IDENTITY, origin } from "../../catalog/node-lineage.ts";

const configSchema = z.object({
  /** "keep": only the listed columns, in list order; "drop": every column but the listed ones, in input order. */
  mode: z.enum(["keep", "drop"]).default("keep"),
  columns: z.array(z.object({ name: z.string().min(1).meta(columnWidget()), rename: z.string().min(1).optional() })).default([]),
});
type SelectConfig = z.infer<typeof configSchema>;

function plan(input: Column[], config: SelectConfig, nodeId: string) {
  const issues: Issue[] = [];
  const picked: { from: Column; as: string }[] = [];
  // DuckDB binds names ignoring ASCII case: "B" beside "b" (or the row-order column) is one name, which it would
  // silently make "b_1", so the output would not have the columns the schema says.
  const taken = new Map<string, string>();
  config.columns.forEach((c, i) => {
    const found = findColumn(input, c.name, { nodeId, field: `columns.${i}.name` });
    if (found.issue) return void issues.push(found.issue);
    const as = c.rename ?? c.name;
    if (config.mode === "keep") {
      const field = `columns.${i}.${c.rename === undefined ? "name" : "rename"}`;
      const first = taken.get(nameKey(as));
      if (isReservedName(as)) return void issues.push(error("RESERVED_COLUMN_NAME", `"${ROW_ORDER_COLUMN}" is reserved by Sluice.`, { nodeId, field }));
      if (first !== undefined) {
        const same = first === as ? `"${as}"` : `"${as}" and "${first}" (names ignore case)`;
        return void issues.push(error("DUPLICATE_COLUMN", `Output column ${same} would appear more than once.`, { nodeId, field }));
      }
      taken.set(nameKey(as), as);
    }
    picked.push({ from: found.column, as });
  });
  const out =
    config.mode === "keep"
      ? picked
      : input
          .filter((col) => !config.columns.some((c) => c.name === col.name))
          .map((col) => ({ from: col, as: col.name }));
  const columns = out.map((o) => ({ ...o.from, name: o.as }));
  return { issues, out, columns };
}

export const selectNode = defineNode<SelectConfig>({
  type: "select",
  version: 1,
  category: "structure",
  label: "Select columns",
  description: "Keep, drop, rename and reorder columns.",
  inputs: [{ name: "in", label: "Input" }],
  outputs: [{ name: "out", label: "Output" }],
  configSchema,
  defaultConfig: { mode: "keep", columns: [] },
  summary: (c) =>
    c.columns.length === 0
      ? "no columns chosen"
      : `${c.mode} ${c.columns.map((x) => (x.rename ? `${x.name} as ${x.rename}` : x.name)).join(", ")}`,
  inferSchema(ctx, config) {
    const input = ctx.inputs.in?.[0] ?? [];
    const { issues, columns } = plan(input, config, ctx.nodeId);
    return issues.length ? failAll(issues) : ok({ out: columns });
  },
  // Each output column is one input column, renamed or not.
  lineage(ctx, config) {
    const { out } = plan(ctx.inputs.in?.[0] ?? [], config, ctx.nodeId);
    return { out: { columns: Object.fromEntries(out.map((o) => [o.as, [origin(o.from.name, IDENTITY)]])), rows: [] } };
  },
  keepsRowCount: () => true,
  recompute: () => "projection",
  compile(ctx, config) {
    const { out } = plan(ctx.inputs.in?.[0] ?? [], config, ctx.nodeId);
    const list = [...out.map((o) => `${quoteIdent(o.from.name)} AS ${quoteIdent(o.as)}`), quoteIdent(ROW_ORDER_COLUMN)];
    return { kind: "query", outputs: { out: `SELECT ${list.join(", ")} FROM ${ctx.relations.in![0]}` } };
  },
});
