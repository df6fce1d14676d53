import { z } from "zod";
import { error, type Column, type Issue } from "@sluice/model";
import { checkRegex, checkValue } from "../../catalog/values.ts";
import type { Dialect } from "../../sql/dialect.ts";
import { quoteLiteral } from "../../sql/quote.ts";
import { replacementProblem } from "../../expression/literal-rules.ts";

const cellSchema = z.union([z.string(), z.number(), z.boolean(), z.null()]);

export const operationSchema = z.discriminatedUnion("op", [
  z.object({ op: z.literal("trim") }),
  z.object({ op: z.literal("collapse_spaces") }),
  z.object({ op: z.literal("case"), to: z.enum(["lower", "upper", "title"]) }),
  z.object({ op: z.literal("replace"), pattern: z.string().min(1, "enter a pattern"), replacement: z.string().default("") }),
  z.object({ op: z.literal("null_if"), values: z.array(z.union([z.string(), z.number(), z.boolean()])).default([]) }),
  z.object({ op: z.literal("fill_null"), value: cellSchema }),
  z.object({ op: z.literal("strip_non_printable") }),
]);
export type Operation = z.infer<typeof operationSchema>;

const TEXT_OPS = new Set<Operation["op"]>(["trim", "collapse_spaces", "case", "replace", "strip_non_printable"]);

export function checkOperation(op: Operation, column: Column, where: { nodeId: string; field: string }): Issue[] {
  if (TEXT_OPS.has(op.op) && column.type !== "string") {
    return [error("TYPE_MISMATCH", `"${op.op}" works on text, but column "${column.name}" is ${column.type}.`, { ...where, field: `${where.field}.op` })];
  }
  switch (op.op) {
    case "replace": {
      const bad = checkRegex(op.pattern, { ...where, field: `${where.field}.pattern` });
      if (bad) return [bad];
      const problem = replacementProblem(op.pattern, op.replacement);
      return problem ? [error("INVALID_REGEX", `Invalid replacement ${JSON.stringify(op.replacement)}: ${problem}.`, { ...where, field: `${where.field}.replacement` })] : [];
    }
    case "null_if":
      return op.values.flatMap((v, i) => checkValue(v, column, { ...where, field: `${where.field}.values.${i}` }) ?? []);
    case "fill_null": {
      const bad = checkValue(op.value, column, { ...where, field: `${where.field}.value` });
      return bad ? [bad] : [];
    }
    default:
      return [];
  }
}

/** Wraps `expr` (the column's value so far) in one operation. */
export function applyOperation(expr: string, op: Operation, column: Column, d: Dialect): string {
  switch (op.op) {
    case "trim":
      return d.trimSpaces(expr);
    case "collapse_spaces":
      return d.collapseSpaces(expr);
    case "case":
      if (op.to === "lower" || op.to === "upper") return d.changeCase(op.to, expr);
      // Runs of letters/digits are words: first character upper-cased, the rest lower-cased.
      return d.titleCase(expr);
    case "replace":
      return d.regexReplace(expr, op.pattern, quoteLiteral(op.replacement));
    case "null_if":
      return d.nullIf(expr, op.values.map((v) => d.literal(v, column)));
    case "fill_null":
      return `COALESCE(${expr}, ${d.literal(op.value, column)})`;
    case "strip_non_printable":
      return d.stripNonPrintable(expr);
    default: {
      const never: never = op;
      throw new Error(`clean: unknown operation ${JSON.stringify(never)}`);
    }
  }
}
