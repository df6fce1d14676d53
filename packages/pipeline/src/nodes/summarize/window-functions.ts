import { z } from "zod";
import { error, type Column, type Issue } from "@sluice/model";
import { ROW_ORDER_COLUMN } from "../../catalog/node-definition.ts";
import { findColumn, isNumeric, unknownColumns } from "../../catalog/columns.ts";
import { clashWording, isReservedName, repeatedNames } from "../../catalog/column-names.ts";
import { checkValue } from "../../catalog/values.ts";
import { quoteIdent } from "../../sql/quote.ts";
import type { Dialect } from "../../sql/dialect.ts";
import { sortKeyIssues, sortKeyItems, sortKeySchema } from "../compute/sort.node.ts";
import { columnWidget } from "../../catalog/widgets.ts";

export const WINDOW_FUNCTIONS = ["running_sum", "rank", "dense_rank", "row_number", "lag", "lead", "share_of_total"] as const;
type WindowFn = (typeof WINDOW_FUNCTIONS)[number];
const NEEDS_COLUMN = new Set<WindowFn>(["running_sum", "lag", "lead", "share_of_total"]);

export const windowSchema = z.object({
  fn: z.enum(WINDOW_FUNCTIONS),
  /** The value column; needed by running_sum, lag, lead and share_of_total, ignored by the ranks. */
  column: z.string().min(1).meta(columnWidget()).optional(),
  /** Output column name; defaults to "<column>_<fn>", or the function's name for ranks. */
  as: z.string().min(1).max(200).optional(),
  /** lag/lead: how many rows back or ahead. */
  offset: z.number().int().min(0).max(1_000_000).default(1),
  /** lag/lead: the value where no such row exists (default null). */
  default: z.union([z.string(), z.number(), z.boolean()]).nullable().optional(),
});
export type WindowSpec = z.infer<typeof windowSchema>;
export type SortKey = z.infer<typeof sortKeySchema>;

export interface WindowConfig {
  partitionBy: string[];
  orderBy: SortKey[];
  windows: WindowSpec[];
}

export interface WindowPlan {
  issues: Issue[];
  added: { spec: WindowSpec; value: Column | undefined; out: Column }[];
}

const outputName = (w: WindowSpec) => w.as ?? (w.column !== undefined && NEEDS_COLUMN.has(w.fn) ? `${w.column}_${w.fn}` : w.fn);

/** The type of a running sum, as for the group node's sum: whole numbers → bigint, decimal(p,s) → decimal(38,s). */
function sumType(c: Column): Omit<Column, "name"> {
  if (c.type === "decimal") return { type: "decimal", precision: 38, scale: c.scale ?? 3 };
  return c.type === "double" ? { type: "double" } : { type: "bigint" };
}

function outputType(fn: WindowFn, value: Column | undefined): Omit<Column, "name"> {
  switch (fn) {
    case "running_sum":
      return sumType(value!);
    case "rank":
    case "dense_rank":
    case "row_number":
      return { type: "bigint" };
    case "lag":
    case "lead": {
      const { name: _, ...type } = value!;
      return type;
    }
    case "share_of_total":
      return { type: "double" };
    default: {
      const never: never = fn;
      throw new Error(`unknown window function ${String(never)}`);
    }
  }
}

/** Checks the window settings against the input and works out the columns they add. */
export function planWindows(input: Column[], config: WindowConfig, nodeId: string): WindowPlan {
  const issues: Issue[] = [];
  const at = (field: string) => ({ nodeId, field });
  if (config.windows.length === 0) issues.push(error("WINDOWS_REQUIRED", "Add at least one window column.", at("windows")));
  issues.push(...unknownColumns(input, config.partitionBy, nodeId, (i) => `partitionBy.${i}`));
  issues.push(...sortKeyIssues(input, config.orderBy, nodeId, "orderBy"));
  const added: WindowPlan["added"] = [];
  config.windows.forEach((w, i) => {
    let value: Column | undefined;
    if (NEEDS_COLUMN.has(w.fn)) {
      if (w.column === undefined) return void issues.push(error("MISSING_COLUMN", `"${w.fn}" needs a column.`, at(`windows.${i}.column`)));
      const found = findColumn(input, w.column, at(`windows.${i}.column`));
      if (found.issue) return void issues.push(found.issue);
      value = found.column;
      if ((w.fn === "running_sum" || w.fn === "share_of_total") && !isNumeric(value)) {
        return void issues.push(error("TYPE_MISMATCH", `"${w.fn}" needs a number column, but "${value.name}" is ${value.type}.`, at(`windows.${i}.fn`)));
      }
      if ((w.fn === "lag" || w.fn === "lead") && w.default != null) {
        const bad = checkValue(w.default, value, at(`windows.${i}.default`));
        if (bad) return void issues.push(bad);
      }
    }
    const name = outputName(w);
    if (isReservedName(name)) return void issues.push(error("RESERVED_COLUMN_NAME", `"${ROW_ORDER_COLUMN}" is reserved by Sluice.`, at(`windows.${i}.as`)));
    added.push({ spec: w, value, out: { name, ...outputType(w.fn, value) } });
  });
  // The later entry is the one to rename: an added column after the input's, or after an earlier added one.
  const named = [...input.map((c) => ({ name: c.name, field: "" })), ...added.map((a) => ({ name: a.out.name, field: `windows.${config.windows.indexOf(a.spec)}.as` }))];
  for (const { entry, first } of repeatedNames(named)) {
    issues.push(error("DUPLICATE_COLUMN", `Output column ${clashWording(entry.name, first)} would appear more than once; name the window column differently with "as".`, at(entry.field)));
  }
  return { issues, added };
}

/** SQL for one added column; rows are ordered by the sort keys, ties (and no keys) by input order. */
export function windowSql({ spec, value, out }: WindowPlan["added"][number], config: WindowConfig, input: Column[], d: Dialect): string {
  const row = quoteIdent(ROW_ORDER_COLUMN);
  // A JSON partition column is told apart by its text on DuckDB, by value in PostgreSQL's jsonb (distinctBy refuses it there).
  const parts = config.partitionBy.map((name) => d.distinctBy(quoteIdent(name), input.find((c) => c.name === name)?.type ?? "string"));
  const partition = parts.length ? `PARTITION BY ${parts.join(", ")} ` : "";
  const keys = sortKeyItems(config.orderBy, input, d);
  const ordered = `${partition}ORDER BY ${[...keys, `${row} ASC`].join(", ")}`;
  const v = value ? quoteIdent(value.name) : "";
  const sql = ((): string => {
    switch (spec.fn) {
      case "running_sum":
      {
        const sum = `sum(${v}) OVER (${ordered} ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)`;
        return value!.type === "decimal" ? d.fittingDecimalSum(sum, out) : sum;
      }
      case "row_number":
        return `row_number() OVER (${ordered})`;
      case "rank":
      case "dense_rank":
        // Ties share a rank when their sort keys are equal; without sort keys, input order has no ties.
        return `${spec.fn}() OVER (${partition}ORDER BY ${keys.length ? keys.join(", ") : `${row} ASC`})`;
      case "lag":
      case "lead": {
        const fallback = spec.default == null ? "" : `, ${d.literal(spec.default, value!)}`;
        return `${spec.fn}(${v}, ${spec.offset}${fallback}) OVER (${ordered})`;
      }
      case "share_of_total":
        return `CAST(${v} AS ${d.type({ type: "double" })}) / nullif(sum(CAST(${v} AS ${d.type({ type: "double" })})) OVER (${partition.trim()}), 0)`;
      default: {
        const never: never = spec.fn;
        throw new Error(`unknown window function ${String(never)}`);
      }
    }
  })();
  return `CAST(${sql} AS ${d.type(out)}) AS ${quoteIdent(out.name)}`;
}
