import { z } from "zod";
import { error, failAll, ok, type Column, type Issue } from "@sluice/model";
import { defineNode, ROW_ORDER_COLUMN } from "../../catalog/node-definition.ts";
import { castWidened, widen } from "../../catalog/type-widening.ts";
import { isReservedName, nameKey, sameName } from "../../catalog/column-names.ts";
import { quoteIdent } from "../../sql/quote.ts";
import { IDENTITY, origin, type PortLineage } from "../../catalog/node-lineage.ts";

const configSchema = z.object({
  /** Adds a column naming which input (1, 2, …) each row came from. */
  sourceColumn: z.string().min(1).max(200).optional(),
});
type UnionConfig = z.infer<typeof configSchema>;

/**
 * Columns by name (ignoring ASCII case, as DuckDB binds names): the first input's in order, then each new
 * name in order of appearance, spelled as first seen; types widen across inputs.
 */
function unionColumns(inputs: Column[][]): Column[] {
  const out: Column[] = [];
  // Looked up by name key, not searched: inputs times columns, not times columns again (1,000 edges of a 400-column
  // input took 16 s to check, 53 s to compile).
  const at = new Map<string, number>();
  for (const cols of inputs) {
    for (const c of cols) {
      const key = nameKey(c.name);
      const i = at.get(key);
      if (i === undefined) {
        at.set(key, out.length);
        out.push({ ...c });
      } else out[i] = { name: out[i]!.name, ...widen(out[i]!, c) };
    }
  }
  return out;
}

/** An input's columns by name key, each key's first (what a search from the front finds). */
function firstByKey(cols: Column[]): Map<string, Column> {
  const byKey = new Map<string, Column>();
  for (const c of cols) if (!byKey.has(nameKey(c.name))) byKey.set(nameKey(c.name), c);
  return byKey;
}

/**
 * Most inputs times output columns one union may have. Each input's SELECT lists every output column (NULL where it
 * lacks one), so its SQL and lineage grow with this product: 1,000 edges of a 2,000-column input made 80 MB of SQL.
 */
export const MAX_UNION_CELLS = 200_000;

function plan(inputs: Column[][], config: UnionConfig, nodeId: string) {
  const columns = unionColumns(inputs);
  const issues: Issue[] = [];
  if (inputs.length * columns.length > MAX_UNION_CELLS) {
    const message = `${inputs.length} inputs of ${columns.length} columns are too many to stack in one union (at most ${MAX_UNION_CELLS.toLocaleString("en-US")} inputs times columns); union fewer inputs per node, or select fewer columns first.`;
    issues.push(error("UNION_TOO_WIDE", message, { nodeId, port: "in" }));
  }
  const source = config.sourceColumn;
  if (source !== undefined) {
    const where = { nodeId, field: "sourceColumn" };
    if (isReservedName(source)) issues.push(error("RESERVED_COLUMN_NAME", `"${ROW_ORDER_COLUMN}" is reserved by Sluice.`, where));
    else if (columns.some((c) => sameName(c.name, source))) {
      issues.push(error("DUPLICATE_COLUMN", `An input already has a column "${source}"; name the source column differently.`, where));
    }
  }
  const all: Column[] = source !== undefined ? [...columns, { name: source, type: "integer" }] : columns;
  return { columns, all, issues };
}

export const unionNode = defineNode<UnionConfig>({
  type: "union",
  version: 1,
  category: "structure",
  label: "Union",
  description: "Stack the rows of two or more inputs, matching columns by name.",
  inputs: [{ name: "in", label: "Inputs", minEdges: 2, maxEdges: 1000 }],
  outputs: [{ name: "out", label: "Rows" }],
  configSchema,
  defaultConfig: {},
  summary: (c) => (c.sourceColumn ? `stack inputs, source in ${c.sourceColumn}` : "stack inputs by column name"),
  inferSchema(ctx, config) {
    const p = plan(ctx.inputs.in ?? [], config, ctx.nodeId);
    return p.issues.length ? failAll(p.issues) : ok({ out: p.all });
  },
  // A column comes from every input that has it (by name); the source column is a constant per input.
  lineage(ctx, config) {
    const inputs = ctx.inputs.in ?? [];
    const { columns } = plan(inputs, config, ctx.nodeId);
    const lineage: PortLineage = { columns: {}, rows: [] };
    const byKey = inputs.map((cols) => {
      const all = new Map<string, Column[]>();
      for (const h of cols) {
        const list = all.get(nameKey(h.name));
        if (list) list.push(h);
        else all.set(nameKey(h.name), [h]);
      }
      return all;
    });
    for (const c of columns) {
      lineage.columns[c.name] = byKey.flatMap((all, edge) => (all.get(nameKey(c.name)) ?? []).map((h) => origin(h.name, IDENTITY, "in", edge)));
    }
    if (config.sourceColumn !== undefined) lineage.columns[config.sourceColumn] = [];
    return { out: lineage };
  },
  keepsRowCount: () => true,
  compile(ctx, config) {
    const inputs = ctx.inputs.in ?? [];
    const { columns, all } = plan(inputs, config, ctx.nodeId);
    const order = quoteIdent(ROW_ORDER_COLUMN);
    // Inside the UNION every column has a positional name (c0, c1, …, i, r) so no user name can clash with ours.
    const parts = (ctx.relations.in ?? []).map((rel, i) => {
      const have = firstByKey(inputs[i] ?? []);
      const list = columns.map((c, j) => {
        const from = have.get(nameKey(c.name));
        return `${from ? castWidened(quoteIdent(from.name), from, c, ctx.dialect) : `CAST(NULL AS ${ctx.dialect.type(c)})`} AS "c${j}"`;
      });
      if (config.sourceColumn !== undefined) list.push(`CAST(${i + 1} AS INTEGER) AS "c${columns.length}"`);
      return `SELECT ${[...list, `${i + 1} AS "i"`, `${order} AS "r"`].join(", ")} FROM ${rel}`;
    });
    if (parts.length === 0) {
      const empty = all.map((c) => `${ctx.dialect.literal(null, c)} AS ${quoteIdent(c.name)}`);
      return { kind: "query", outputs: { out: `SELECT ${[...empty, `CAST(NULL AS BIGINT) AS ${order}`].join(", ")} LIMIT 0` } };
    }
    // All rows of input 1 in their order, then input 2, and so on.
    // Unobserved (graph/row-order.ts): each row keeps its input's value, and nothing numbers the whole union.
    const names = all.map((c, j) => `"c${j}" AS ${quoteIdent(c.name)}`);
    const numbered = ctx.orderObserved === false ? `"r"` : ctx.dialect.rowOrder(`"i", "r"`);
    return { kind: "query", outputs: { out: `SELECT ${[...names, `${numbered} AS ${order}`].join(", ")} FROM (${parts.join(" UNION ALL ")}) AS u` } };
  },
});
