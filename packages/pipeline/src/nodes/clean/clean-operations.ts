import { z } from "zod";
import { error, type Column, type Issue } from "@sluice/model";
import { checkRegex, checkValue } from "../../catalog/values.ts";
import { quoteLiteral } from "../../sql/quote.ts";
import { typedLiteral } from "../../sql/types.ts";

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
/** Whitespace: ASCII whitespace plus every Unicode space separator (e.g. no-break space). */
const SPACE = "[\\s\\p{Z}]";

export function checkOperation(op: Operation, column: Column, where: { nodeId: string; field: string }): Issue[] {
  if (TEXT_OPS.has(op.op) && column.type !== "string") {
    return [error("TYPE_MISMATCH", `"${op.op}" works on text, but column "${column.name}" is ${column.type}.`, { ...where, field: `${where.field}.op` })];
  }
  switch (op.op) {
    case "replace": {
      const bad = checkRegex(op.pattern, { ...where, field: `${where.field}.pattern` });
      return bad ? [bad] : [];
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
export function applyOperation(expr: string, op: Operation, column: Column): string {
  switch (op.op) {
    case "trim":
      return `regexp_replace(${expr}, '^${SPACE}+|${SPACE}+$', '', 'g')`;
    case "collapse_spaces":
      return `regexp_replace(${expr}, '${SPACE}+', ' ', 'g')`;
    case "case":
      if (op.to === "lower") return `lower(${expr})`;
      if (op.to === "upper") return `upper(${expr})`;
      // Runs of letters/digits are words: first character upper-cased, the rest lower-cased.
      return `array_to_string(list_transform(regexp_extract_all(${expr}, '[\\p{L}\\p{N}]+|[^\\p{L}\\p{N}]+'), lambda w: upper(w[1]) || lower(w[2:])), '')`;
    case "replace":
      return `regexp_replace(${expr}, ${quoteLiteral(op.pattern)}, ${quoteLiteral(op.replacement)}, 'g')`;
    case "null_if":
      if (op.values.length === 0) return expr;
      return `CASE WHEN ${expr} IN (${op.values.map((v) => typedLiteral(v, column)).join(", ")}) THEN NULL ELSE ${expr} END`;
    case "fill_null":
      return `COALESCE(${expr}, ${typedLiteral(op.value, column)})`;
    case "strip_non_printable":
      return `regexp_replace(${expr}, '[\\p{Cc}\\p{Cf}]', '', 'g')`;
    default: {
      const never: never = op;
      throw new Error(`clean: unknown operation ${JSON.stringify(never)}`);
    }
  }
}
