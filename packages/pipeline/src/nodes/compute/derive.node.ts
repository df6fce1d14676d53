import { z } from "zod";
import { error, failAll, ok, type Column, type Issue } from "@sluice/model";
import { defineNode, ROW_ORDER_COLUMN } from "../../catalog/node-definition.ts";
import { isReservedName, nameKey, sameName } from "../../catalog/column-names.ts";
import { expressionReads } from "../../expression/expression-reads.ts";
import { quoteIdent } from "../../sql/quote.ts";
import { listSize } from "../../catalog/columns.ts";
import { compileExpression, type CompiledExpression } from "../../expression/compile-expression.ts";
import type { ResolvedParameters } from "../../graph/resolve-parameters.ts";
import type { Dialect } from "../../sql/dialect.ts";
import { compose, direct, IDENTITY, indirect, origin, uniqueOrigins, type ColumnOrigin, type LineageTransformation } from "../../catalog/node-lineage.ts";

/** Most derivations one node may have. */
export const MAX_DERIVATIONS = 400;

/**
 * Most the column lists of a derive's nested SELECTs may add up to (listSize): each derivation lists every column,
 * so 400 derivations over one column named with 1.9 MB made 760 MB of SQL, more than a string can hold.
 */
export const MAX_DERIVE_SQL_SIZE = 32_000_000;

const configSchema = z.object({
  /** Applied in order; each sees the columns the ones before it added or replaced. */
  derivations: z
    .array(z.object({ column: z.string().min(1, "name the column to add or replace").max(200), expression: z.string().max(10_000) }))
    // Checking and compiling grow with the square of their number (10,000 held the server's event loop 15 s), and a
    // chain of them nests one SELECT per derivation, which DuckDB refuses from about 500.
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
  let size = 0;
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
    size += listSize(columns);
  });
  if (size > MAX_DERIVE_SQL_SIZE) {
    const message = `${steps.length} derivations over these ${columns.length} columns make too large a query (each derivation lists every column); split them over several derive nodes, or keep fewer or shorter columns before this node.`;
    issues.push(error("DERIVE_TOO_LARGE", message, { nodeId, field: "derivations" }));
  }
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
    return p.issues.length ? failAll(p.issues) : ok({ out: p.columns });
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
    // Each derivation sees what the ones before it produced: one that reads or redefines a column an earlier one in
    // the same SELECT defines starts a new, nested SELECT; the others share it. DuckDB binds every level over all
    // the columns, so one level per derivation made 400 derivations (the node's limit) run out of a 1 GB memory limit
    // while binding, on two rows; derivations of input columns alone are now one level.
    let sql = `SELECT * FROM ${ctx.relations.in![0]}`;
    let columns = [...input];
    let level: { column: Column; compiled: CompiledExpression }[] = [];
    const flush = () => {
      if (!level.length) return;
      const values = new Map(level.map(({ column, compiled }) => [nameKey(column.name), `CAST(${compiled.sql} AS ${ctx.dialect.type(column)}) AS ${quoteIdent(column.name)}`]));
      const list = columns.map((c) => values.get(nameKey(c.name)) ?? quoteIdent(c.name));
      for (const { column } of level) {
        if (!columns.some((c) => sameName(c.name, column.name))) {
          list.push(values.get(nameKey(column.name))!);
          columns = [...columns, column];
        } else columns = columns.map((c) => (sameName(c.name, column.name) ? column : c));
      }
      sql = `SELECT ${[...list, quoteIdent(ROW_ORDER_COLUMN)].join(", ")} FROM (${ctx.dialect.derivedTable(sql)}) AS d`;
      level = [];
    };
    const defined = new Set<string>();
    for (const step of p.steps) {
      if (defined.has(nameKey(step.column.name)) || step.compiled.columns.some((c) => defined.has(nameKey(c)))) {
        flush();
        defined.clear();
      }
      level.push(step);
      defined.add(nameKey(step.column.name));
    }
    flush();
    return { kind: "query", outputs: { out: sql } };
  },
});
