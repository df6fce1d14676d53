import { z } from "zod";
import { error, type Column, type Issue } from "@sluice/model";
import { findColumn } from "../../catalog/columns.ts";
import { checkRegex, checkValue, type CellValue } from "../../catalog/values.ts";
import { quoteIdent, quoteLiteral } from "../../sql/quote.ts";
import { typedLiteral } from "../../sql/types.ts";
import { columnWidget, expressionWidget } from "../../catalog/widgets.ts";
import { compileExpression } from "../../expression/compile-expression.ts";
import type { ResolvedParameters } from "../../graph/resolve-parameters.ts";

export const OPERATORS = [
  "=", "!=", "<", "<=", ">", ">=", "in", "not_in", "is_null", "is_not_null",
  "contains", "starts_with", "ends_with", "matches_regex", "between",
] as const;
export type Operator = (typeof OPERATORS)[number];

const cellSchema = z.union([z.string(), z.number(), z.boolean(), z.null()]);

export interface Rule {
  kind: "rule";
  column: string;
  operator: Operator;
  value?: CellValue;
  values?: CellValue[];
  value2?: CellValue;
  /** Text operators only: compare lower-cased. */
  ignoreCase?: boolean;
}
export interface Group {
  kind: "group";
  op: "and" | "or";
  conditions: Condition[];
}
/** A true/false expression in the derive language, e.g. `order_date >= param('since')`. */
export interface ExpressionCondition {
  kind: "expression";
  expression: string;
}
export type Condition = Rule | Group | ExpressionCondition;

export const ruleSchema = z.object({
  kind: z.literal("rule"),
  column: z.string().min(1, "choose a column").meta(columnWidget()),
  operator: z.enum(OPERATORS),
  value: cellSchema.optional(),
  values: z.array(cellSchema).optional(),
  value2: cellSchema.optional(),
  ignoreCase: z.boolean().optional(),
});
export const expressionConditionSchema = z.object({
  kind: z.literal("expression"),
  expression: z.string().max(10_000).meta(expressionWidget()),
});
export const groupSchema: z.ZodType<Group> = z.lazy(() =>
  z.object({
    kind: z.literal("group"),
    op: z.enum(["and", "or"]),
    conditions: z.array(z.union([ruleSchema, groupSchema, expressionConditionSchema])),
  }),
);

const TEXT_OPS: Operator[] = ["contains", "starts_with", "ends_with", "matches_regex"];
const ORDER_OPS: Operator[] = ["<", "<=", ">", ">=", "between"];

/** Checks a condition tree against the input columns; returns the issues, empty when it compiles. */
export function checkCondition(c: Condition, input: Column[], nodeId: string, field: string, params?: ResolvedParameters): Issue[] {
  if (c.kind === "group") return c.conditions.flatMap((x, i) => checkCondition(x, input, nodeId, `${field}.conditions.${i}`, params));
  if (c.kind === "expression") {
    const where = { nodeId, field: `${field}.expression` };
    if (c.expression.trim() === "") return [error("MISSING_VALUE", "Write a true/false expression.", where)];
    const e = compileExpression(c.expression, input, where, { params });
    if (!e.ok) return e.issues;
    return e.value.type === "boolean" || e.value.type === "null" ? [] : [error("EXPRESSION_TYPE_ERROR", `A condition must be true or false for each row, not ${e.value.type}.`, where)];
  }
  const found = findColumn(input, c.column, { nodeId, field: `${field}.column` });
  if (found.issue) return [found.issue];
  const col = found.column;
  const at = (f: string) => ({ nodeId, field: `${field}.${f}` });
  if (TEXT_OPS.includes(c.operator)) {
    if (col.type !== "string") {
      return [error("TYPE_MISMATCH", `"${c.operator}" needs a text column, but "${col.name}" is ${col.type}.`, at("operator"))];
    }
    if (typeof c.value !== "string") return [error("MISSING_VALUE", `"${c.operator}" needs a text value.`, at("value"))];
    const bad = c.operator === "matches_regex" ? checkRegex(c.value, at("value")) : undefined;
    return bad ? [bad] : [];
  }
  if (ORDER_OPS.includes(c.operator) && col.type === "json") {
    return [error("TYPE_MISMATCH", `"${c.operator}" cannot order JSON column "${col.name}".`, at("operator"))];
  }
  const issues: Issue[] = [];
  const need = (v: CellValue | undefined, f: string) => {
    if (v === undefined) issues.push(error("MISSING_VALUE", `"${c.operator}" needs a value.`, at(f)));
    else {
      const bad = checkValue(v, col, at(f));
      if (bad) issues.push(bad);
    }
  };
  switch (c.operator) {
    case "is_null":
    case "is_not_null":
      break;
    case "in":
    case "not_in":
      if (!c.values) issues.push(error("MISSING_VALUE", `"${c.operator}" needs a list of values.`, at("values")));
      c.values?.forEach((v, i) => need(v, `values.${i}`));
      break;
    case "between":
      need(c.value, "value");
      need(c.value2, "value2");
      break;
    default:
      need(c.value, "value");
  }
  return issues;
}

/**
 * SQL for a checked condition; always TRUE or FALSE, never NULL (a comparison with NULL is false).
 * Only call after checkCondition returned no issues.
 */
export function conditionSql(c: Condition, input: Column[], params?: ResolvedParameters): string {
  if (c.kind === "group") {
    if (c.conditions.length === 0) return "TRUE";
    return `(${c.conditions.map((x) => conditionSql(x, input, params)).join(c.op === "and" ? " AND " : " OR ")})`;
  }
  if (c.kind === "expression") {
    const e = compileExpression(c.expression, input, { nodeId: "", field: "" }, { params });
    if (!e.ok) throw new Error("filter: unchecked expression");
    // Unknown (null) does not keep a row, as a comparison with null does not.
    return `COALESCE(${e.value.sql}, FALSE)`;
  }
  const col = input.find((x) => x.name === c.column);
  if (!col) throw new Error(`filter: unchecked column ${c.column}`);
  const id = quoteIdent(col.name);
  const lit = (v: CellValue | undefined) => typedLiteral(v ?? null, col);
  const text = (v: CellValue | undefined) => (c.ignoreCase ? `lower(${quoteLiteral(String(v))})` : quoteLiteral(String(v)));
  const subject = c.ignoreCase ? `lower(${id})` : id;
  const notNull = (v: CellValue | undefined): v is CellValue => v !== null && v !== undefined;
  let sql: string;
  switch (c.operator) {
    case "is_null":
      return `(${id} IS NULL)`;
    case "is_not_null":
      return `(${id} IS NOT NULL)`;
    case "=":
    case "!=":
    case "<":
    case "<=":
    case ">":
    case ">=":
      sql = `${id} ${c.operator === "!=" ? "<>" : c.operator} ${lit(c.value)}`;
      break;
    case "in":
    case "not_in": {
      // Null entries in the list match nothing, for in and not_in alike.
      const list = (c.values ?? []).filter(notNull).map(lit);
      if (list.length === 0) sql = c.operator === "in" ? "FALSE" : `${id} IS NOT NULL`;
      else sql = `${id} ${c.operator === "in" ? "IN" : "NOT IN"} (${list.join(", ")})`;
      break;
    }
    case "between":
      sql = `${id} BETWEEN ${lit(c.value)} AND ${lit(c.value2)}`;
      break;
    case "contains":
      sql = `contains(${subject}, ${text(c.value)})`;
      break;
    case "starts_with":
      sql = `starts_with(${subject}, ${text(c.value)})`;
      break;
    case "ends_with":
      sql = `ends_with(${subject}, ${text(c.value)})`;
      break;
    case "matches_regex":
      sql = `regexp_matches(${id}, ${quoteLiteral(String(c.value))}${c.ignoreCase ? ", 'i'" : ""})`;
      break;
    default: {
      const never: never = c.operator;
      throw new Error(`filter: unknown operator ${String(never)}`);
    }
  }
  return `COALESCE(${sql}, FALSE)`;
}

export function describeCondition(c: Condition): string {
  if (c.kind === "group") {
    if (c.conditions.length === 0) return "all rows";
    const inner = c.conditions.map(describeCondition).join(` ${c.op} `);
    return c.conditions.length > 1 ? `(${inner})` : inner;
  }
  if (c.kind === "expression") return c.expression;
  if (c.operator === "is_null" || c.operator === "is_not_null") return `${c.column} ${c.operator.replaceAll("_", " ")}`;
  if (c.operator === "in" || c.operator === "not_in") return `${c.column} ${c.operator.replace("_", " ")} [${(c.values ?? []).join(", ")}]`;
  if (c.operator === "between") return `${c.column} between ${String(c.value)} and ${String(c.value2)}`;
  return `${c.column} ${c.operator.replaceAll("_", " ")} ${JSON.stringify(c.value)}`;
}
