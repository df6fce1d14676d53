import { z } from "zod";
import { columnSchema, error, failAll, ok, type Issue } from "@sluice/model";
import { defineNode, ROW_ORDER_COLUMN } from "../../catalog/node-definition.ts";
import { duplicateNames } from "../../catalog/columns.ts";
import { valueProblem } from "../../catalog/values.ts";
import { quoteIdent } from "../../sql/quote.ts";

export const MAX_INLINE_ROWS = 1000;

const cellSchema = z.union([z.string(), z.number(), z.boolean(), z.null()]);

const configSchema = z.object({
  columns: z.array(columnSchema.pick({ name: true, type: true, precision: true, scale: true }).extend({ name: z.string().min(1, "a column needs a name") })).default([]),
  rows: z.array(z.array(cellSchema)).max(MAX_INLINE_ROWS, `an inline table holds at most ${MAX_INLINE_ROWS} rows`).default([]),
});
type InlineConfig = z.infer<typeof configSchema>;

function check(config: InlineConfig, nodeId: string): Issue[] {
  const issues: Issue[] = [];
  if (config.columns.length === 0) issues.push(error("INLINE_NO_COLUMNS", "Add at least one column.", { nodeId, field: "columns" }));
  for (const name of duplicateNames(config.columns)) {
    issues.push(error("DUPLICATE_COLUMN", `Column "${name}" appears more than once.`, { nodeId, field: "columns" }));
  }
  if (config.columns.some((c) => c.name === ROW_ORDER_COLUMN)) {
    issues.push(error("RESERVED_COLUMN_NAME", `"${ROW_ORDER_COLUMN}" is reserved by Sluice; choose another name.`, { nodeId, field: "columns" }));
  }
  config.rows.forEach((row, r) => {
    if (row.length !== config.columns.length) {
      issues.push(error("INLINE_ROW_WIDTH", `Row ${r + 1} has ${row.length} values but the table has ${config.columns.length} columns.`, { nodeId, field: `rows.${r}` }));
      return;
    }
    row.forEach((value, c) => {
      const column = config.columns[c]!;
      const problem = valueProblem(value, column);
      if (problem) {
        issues.push(error("INLINE_BAD_VALUE", `Row ${r + 1}, column "${column.name}": ${JSON.stringify(value)} ${problem}.`, { nodeId, field: `rows.${r}.${c}` }));
      }
    });
  });
  return issues;
}

export const inlineNode = defineNode<InlineConfig>({
  type: "inline",
  version: 1,
  category: "source",
  label: "Inline table",
  description: `A small typed table typed in by hand (up to ${MAX_INLINE_ROWS} rows).`,
  inputs: [],
  outputs: [{ name: "out", label: "Rows" }],
  configSchema,
  defaultConfig: { columns: [], rows: [] },
  summary: (c) => `${c.rows.length} row${c.rows.length === 1 ? "" : "s"} × ${c.columns.length} column${c.columns.length === 1 ? "" : "s"}`,
  inferSchema(ctx, config) {
    const issues = check(config, ctx.nodeId);
    return issues.length ? failAll(issues) : ok({ out: config.columns });
  },
  // Typed in by hand: its values come from no dataset.
  lineage: (_ctx, config) => ({ out: { columns: Object.fromEntries(config.columns.map((c) => [c.name, []])), rows: [] } }),
  compile(ctx, config) {
    const names = [...config.columns.map((c) => quoteIdent(c.name)), quoteIdent(ROW_ORDER_COLUMN)].join(", ");
    if (config.rows.length === 0) {
      const typed = config.columns.map((c) => `${ctx.dialect.literal(null, c)} AS ${quoteIdent(c.name)}`);
      return { kind: "query", outputs: { out: `SELECT ${[...typed, `CAST(NULL AS BIGINT) AS ${quoteIdent(ROW_ORDER_COLUMN)}`].join(", ")} LIMIT 0` } };
    }
    const values = config.rows.map(
      (row, i) => `(${[...config.columns.map((c, j) => ctx.dialect.literal(row[j] ?? null, c)), `CAST(${i + 1} AS BIGINT)`].join(", ")})`,
    );
    return { kind: "query", outputs: { out: `SELECT * FROM (VALUES ${values.join(", ")}) AS t(${names})` } };
  },
});
