import { z } from "zod";
import { error, fail, ok, type Column, type Issue } from "@sluice/model";
import { defineNode, ROW_ORDER_COLUMN } from "../../catalog/node-definition.ts";
import { isReservedName, nameKey, sameName } from "../../catalog/column-names.ts";
import { expressionReads } from "../../expression/expression-reads.ts";
import { quoteIdent } from "../../sql/quote.ts";
import { compileExpression, type CompiledExpression } from "../../expression/compile-expression.ts";
import type { ResolvedParameters } from "../../graph/resolve-parameters.ts";
import type { Dialect } from "../../sql/dialect.ts";
import { compose, direct, IDENTITY, indirect, origin, uniqueOrigins, type ColumnOrigin, type LineageTransformation } from "../../catalog/node-lineage.ts";

/** Most derivations one node may have. */
export const MAX_DERIVATIONS = 400;

const configSchema = z.object({
  /** Applied in order; each sees the columns the ones before it added or replaced. */
  derivations: z
    .array(z.object({ column: z.string().min(1, "name the column to add or replace").max(200), expression: z.string().max(10_000) }))
    // Each derivation nests one SELECT over all the columns: checking and compiling grow with the square of their
    // number (10,000 held the server's event loop 15 s), and DuckDB refuses the query from about 500.
    .max(MAX_DERIVATIONS, `at most ${MAX_DERIVATIONS} derivations in one node; split them over several derive nodes`)
    .default([]),
});
type DeriveConfig = z.infer<typeof configSchema>;

interface Planned {
  columns: Column[];
  steps: { column: Column; compiled: CompiledExpression }[];
  issues: Issue[];
}

function plan(input: Column[], config: DeriveConfig, nodeId: string, params: ResolvedParameters | undefined, dialect?: Dialect): Planned {
  let columns = [...input];
  const steps: Planned["steps"] = [];
  const issues: Issue[] = [];
  // Columns whose derivation failed: later expressions may read them without a second, misleading error.
  const failed = new Set<string>();
  config.derivations.forEach((d, i) => {
    if (isReservedName(d.column)) {
      issues.push(error("RESERVED_COLUMN_NAME", `"${ROW_ORDER_COLUMN}" is reserved by Sluice.`, { nodeId, field: `derivations.${i}.column` }));
      return;
    }
    const r = compileExpression(d.expression, columns, { nodeId, field: `derivations.${i}.expression` }, { opaque: failed, params, dialect });
    if (!r.ok) {
      issues.push(...r.issues);
      failed.add(d.column);
      return;
    }
    failed.delete(d.column);
    // A bare null has no type of its own; it becomes text. Expressions never produce decimals (they compute in double).
    const col: Column = { name: d.column, type: r.value.type === "null" ? "string" : r.value.type === "decimal" ? "double" : r.value.type };
    // DuckDB matches names ignoring ASCII case, so "Price" replaces "price" (and takes the new spelling).
    const at = columns.findIndex((c) => sameName(c.name, d.column));
    columns = at >= 0 ? columns.map((c, j) => (j === at ? col : c)) : [...columns, col];
    steps.push({ column: col, compiled: r.value });
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
    const p = plan(ctx.inputs.in?.[0] ?? [], config, ctx.nodeId, ctx.params);
    return p.issues.length ? fail(...p.issues) : ok({ out: p.columns });
  },
  // From the expressions' syntax trees: a derivation reads input columns, or columns earlier derivations made, whose
  // own origins it then inherits (composed: reading a derived value through a CASE condition is conditional).
  lineage(ctx, config) {
    const input = ctx.inputs.in?.[0] ?? [];
    const current = new Map<string, ColumnOrigin[]>(input.map((c) => [nameKey(c.name), [origin(c.name, IDENTITY)]]));
    const via = (names: string[], outer: LineageTransformation) =>
      names.flatMap((n) => (current.get(nameKey(n)) ?? []).map((o) => ({ ...o, transformation: compose(outer, o.transformation) })));
    for (const d of config.derivations) {
      const reads = expressionReads(d.expression);
      if (!reads) continue;
      const value = via(reads.values, reads.identity ? IDENTITY : direct("TRANSFORMATION", d.expression.slice(0, 200)));
      current.set(nameKey(d.column), uniqueOrigins([...value, ...via(reads.conditions, indirect("CONDITIONAL"))]));
    }
    const out = ctx.outputs.out ?? [];
    return { out: { columns: Object.fromEntries(out.map((c) => [c.name, current.get(nameKey(c.name)) ?? []])), rows: [] } };
  },
  keepsRowCount: () => true,
  recompute: () => "projection",
  compile(ctx, config) {
    const input = ctx.inputs.in?.[0] ?? [];
    const p = plan(input, config, ctx.nodeId, ctx.params, ctx.dialect);
    // One nested SELECT per derivation, so each sees what the ones before it produced.
    let sql = `SELECT * FROM ${ctx.relations.in![0]}`;
    let columns = [...input];
    for (const { column, compiled } of p.steps) {
      const value = `CAST(${compiled.sql} AS ${ctx.dialect.type(column)}) AS ${quoteIdent(column.name)}`;
      const exists = columns.some((c) => sameName(c.name, column.name));
      const list = columns.map((c) => (sameName(c.name, column.name) ? value : quoteIdent(c.name)));
      if (!exists) list.push(value);
      sql = `SELECT ${[...list, quoteIdent(ROW_ORDER_COLUMN)].join(", ")} FROM (${ctx.dialect.derivedTable(sql)}) AS d`;
      columns = exists ? columns.map((c) => (sameName(c.name, column.name) ? column : c)) : [...columns, column];
    }
    return { kind: "query", outputs: { out: sql } };
  },
});
