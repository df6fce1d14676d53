import { z } from "zod";
import { fail, ok, type Column, type Issue } from "@sluice/model";
import { defineNode, ROW_ORDER_COLUMN } from "../../catalog/node-definition.ts";
import { quoteIdent } from "../../sql/quote.ts";
import { compileExpression, type CompiledExpression } from "../../expression/compile-expression.ts";

const configSchema = z.object({
  /** Applied in order; each sees the columns the ones before it added or replaced. */
  derivations: z
    .array(z.object({ column: z.string().min(1, "name the column to add or replace").max(200), expression: z.string().max(10_000) }))
    .default([]),
});
type DeriveConfig = z.infer<typeof configSchema>;

interface Planned {
  columns: Column[];
  steps: { column: string; compiled: CompiledExpression }[];
  issues: Issue[];
}

function plan(input: Column[], config: DeriveConfig, nodeId: string): Planned {
  let columns = [...input];
  const steps: Planned["steps"] = [];
  const issues: Issue[] = [];
  config.derivations.forEach((d, i) => {
    if (d.column === ROW_ORDER_COLUMN) {
      issues.push({ severity: "error", code: "RESERVED_COLUMN_NAME", message: `"${ROW_ORDER_COLUMN}" is reserved by Sluice.`, nodeId, field: `derivations.${i}.column` });
      return;
    }
    const r = compileExpression(d.expression, columns, { nodeId, field: `derivations.${i}.expression` });
    if (!r.ok) {
      issues.push(...r.issues);
      return;
    }
    const type = r.value.type === "null" ? "string" : r.value.type;
    const col: Column = type === "decimal" ? { name: d.column, type: "double" } : { name: d.column, type };
    const at = columns.findIndex((c) => c.name === d.column);
    columns = at >= 0 ? columns.map((c, j) => (j === at ? col : c)) : [...columns, col];
    steps.push({ column: d.column, compiled: r.value });
  });
  return { columns, steps, issues };
}

export const deriveNode = defineNode<DeriveConfig>({
  type: "derive",
  version: 1,
  category: "compute",
  label: "Derive column",
  description: "Add or replace columns computed from an expression.",
  inputs: [{ name: "in", label: "Rows" }],
  outputs: [{ name: "out", label: "Rows" }],
  configSchema,
  defaultConfig: { derivations: [] },
  summary: (c) => (c.derivations.length ? c.derivations.map((d) => `${d.column} = ${d.expression}`).join("; ").slice(0, 80) : "no columns derived"),
  inferSchema(ctx, config) {
    const p = plan(ctx.inputs.in?.[0] ?? [], config, ctx.nodeId);
    return p.issues.length ? fail(...p.issues) : ok({ out: p.columns });
  },
  compile(ctx, config) {
    const input = ctx.inputs.in?.[0] ?? [];
    const p = plan(input, config, ctx.nodeId);
    // One nested SELECT per derivation, so each sees what the ones before it produced.
    let sql = `SELECT * FROM ${ctx.relations.in![0]}`;
    let columns = [...input];
    for (const s of p.steps) {
      const type = p.columns.find((c) => c.name === s.column)!;
      const cast = `CAST(${s.compiled.sql} AS ${type.type === "string" ? "VARCHAR" : type.type.toUpperCase()})`;
      const exists = columns.some((c) => c.name === s.column);
      const list = columns.map((c) => (c.name === s.column ? `${cast} AS ${quoteIdent(c.name)}` : quoteIdent(c.name)));
      if (!exists) list.push(`${cast} AS ${quoteIdent(s.column)}`);
      sql = `SELECT ${[...list, quoteIdent(ROW_ORDER_COLUMN)].join(", ")} FROM (${sql}) AS d`;
      columns = exists ? columns.map((c) => (c.name === s.column ? type : c)) : [...columns, type];
    }
    return { kind: "query", outputs: { out: sql } };
  },
});
