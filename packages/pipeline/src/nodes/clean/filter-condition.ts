import { z } from "zod";
import { error, warning, type Column, type Issue } from "@sluice/model";
import { findColumn } from "../../catalog/columns.ts";
import { checkRegex, checkValue, type CellValue } from "../../catalog/values.ts";
import type { Dialect } from "../../sql/dialect.ts";
import { quoteIdent, quoteLiteral } from "../../sql/quote.ts";
import { columnWidget, expressionWidget } from "../../catalog/widgets.ts";
import { compileExpression } from "../../expression/compile-expression.ts";
import type { ResolvedParameters } from "../../graph/resolve-parameters.ts";
import { OPERATORS, operandsOf, operatorLabel, type Operator } from "./filter-operators.ts";
import { expressionReads } from "../../expression/expression-reads.ts";

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

/**
 * The operand a rule still lacks ("value", "value2" or "values"), or "expression" for an empty expression; undefined
 * when the condition is complete. A rule just added has no value yet: applying it (as `= null`) would drop every
 * row while the user is still typing, so an incomplete condition is left out of the filter instead, with a warning.
 * A `null` value is given, not missing: `= null` is applied (and keeps nothing), as written.
 */
export function missingPart(c: Rule | ExpressionCondition): "value" | "value2" | "values" | "expression" | undefined {
  if (c.kind === "expression") return c.expression.trim() === "" ? "expression" : undefined;
  const operands = operandsOf(c.operator);
  if (operands === "list") return c.values === undefined ? "values" : undefined;
  if (operands === 0) return undefined;
  if (c.value === undefined) return "value";
  return operands === 2 && c.value2 === undefined ? "value2" : undefined;
}

const isIncomplete = (c: Condition) => c.kind !== "group" && missingPart(c) !== undefined;

/** A warning for each condition left out because it is incomplete, at the part it lacks (validation adds the node). */
export function incompleteConditions(c: Condition, field: string): Issue[] {
  if (c.kind === "group") return c.conditions.flatMap((x, i) => incompleteConditions(x, `${field}.conditions.${i}`));
  const missing = missingPart(c);
  if (missing === undefined) return [];
  const message =
    c.kind === "expression"
      ? "Incomplete: write a true/false expression. Until then this condition is not applied."
      : `Incomplete: "${operatorLabel(c.operator)}" needs ${missing === "values" ? "a list of values" : missing === "value2" ? "a second value" : "a value"}. Until then this rule is not applied.`;
  return [warning("INCOMPLETE_CONDITION", message, { field: `${field}.${missing}` })];
}

/** Checks a condition tree against the input columns; returns the issues, empty when it compiles. */
export function checkCondition(c: Condition, input: Column[], nodeId: string, field: string, params?: ResolvedParameters): Issue[] {
  if (c.kind === "group") return c.conditions.flatMap((x, i) => checkCondition(x, input, nodeId, `${field}.conditions.${i}`, params));
  if (c.kind === "expression") {
    const where = { nodeId, field: `${field}.expression` };
    if (c.expression.trim() === "") return [];
    const e = compileExpression(c.expression, input, where, { params });
    if (!e.ok) return e.issues;
    return e.value.type === "boolean" || e.value.type === "null" ? [] : [error("EXPRESSION_TYPE_ERROR", `A condition must be true or false for each row, not ${e.value.typeName}.`, where)];
  }
  const found = findColumn(input, c.column, { nodeId, field: `${field}.column` });
  if (found.issue) return [found.issue];
  const col = found.column;
  const at = (f: string) => ({ nodeId, field: `${field}.${f}` });
  // Accepted and ignored, "= 'Paris'" with ignoreCase would keep other rows than its author meant (a pipeline file
  // can say it; the inspector offers the box only where it applies).
  if (c.ignoreCase === true && !TEXT_OPS.includes(c.operator)) {
    const instead = col.type === "string" ? `; for a case-blind "${c.operator}", write an expression such as lower(${col.name}) = lower('…')` : "";
    return [error("INVALID_CONFIG", `ignoreCase applies to contains, starts_with, ends_with and matches_regex only, not to "${c.operator}"${instead}.`, at("ignoreCase"))];
  }
  if (TEXT_OPS.includes(c.operator)) {
    if (col.type !== "string") {
      return [error("TYPE_MISMATCH", `"${c.operator}" needs a text column, but "${col.name}" is ${col.type}.`, at("operator"))];
    }
    if (c.value === undefined) return [];
    if (typeof c.value !== "string") return [error("MISSING_VALUE", `"${c.operator}" needs a text value.`, at("value"))];
    const bad = c.operator === "matches_regex" ? checkRegex(c.value, at("value")) : undefined;
    return bad ? [bad] : [];
  }
  if (ORDER_OPS.includes(c.operator) && col.type === "json") {
    return [error("TYPE_MISMATCH", `"${c.operator}" cannot order JSON column "${col.name}".`, at("operator"))];
  }
  const issues: Issue[] = [];
  // A missing value is not an error: the rule is incomplete, left out and warned about (incompleteConditions).
  const need = (v: CellValue | undefined, f: string) => {
    const bad = v === undefined ? undefined : checkValue(v, col, at(f));
    if (bad) issues.push(bad);
  };
  switch (c.operator) {
    case "is_null":
    case "is_not_null":
      break;
    case "in":
    case "not_in":
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
 * SQL for a checked condition; always TRUE or FALSE, never NULL (a comparison with NULL is false). Incomplete
 * conditions are left out, as if not there. Only call after checkCondition returned no issues.
 */
export function conditionSql(c: Condition, input: Column[], params: ResolvedParameters | undefined, d: Dialect): string {
  if (c.kind === "group") {
    const complete = c.conditions.filter((x) => !isIncomplete(x));
    if (complete.length === 0) return "TRUE";
    return `(${complete.map((x) => conditionSql(x, input, params, d)).join(c.op === "and" ? " AND " : " OR ")})`;
  }
  if (c.kind === "expression") {
    const e = compileExpression(c.expression, input, { nodeId: "", field: "" }, { params, dialect: d });
    if (!e.ok) throw new Error("filter: unchecked expression");
    // Unknown (null) does not keep a row, as a comparison with null does not.
    return `COALESCE(${e.value.sql}, FALSE)`;
  }
  const col = input.find((x) => x.name === c.column);
  if (!col) throw new Error(`filter: unchecked column ${c.column}`);
  const id = quoteIdent(col.name);
  const lit = (v: CellValue | undefined) => d.literal(v ?? null, col);
  // Ordering operators compare text by code point in every dialect.
  const ordered = col.type === "string" ? d.textOrder(id) : id;
  const text = (v: CellValue | undefined) => (c.ignoreCase ? d.changeCase("lower", quoteLiteral(String(v))) : quoteLiteral(String(v)));
  const subject = c.ignoreCase ? d.changeCase("lower", id) : id;
  const notNull = (v: CellValue | undefined): v is CellValue => v !== null && v !== undefined;
  let sql: string;
  switch (c.operator) {
    case "is_null":
      return `(${id} IS NULL)`;
    case "is_not_null":
      return `(${id} IS NOT NULL)`;
    case "=":
    case "!=":
      // JSON is equal by its text on DuckDB, by value in PostgreSQL's jsonb: distinctBy refuses it there.
      sql = `${d.distinctBy(id, col.type)} ${c.operator === "!=" ? "<>" : c.operator} ${lit(c.value)}`;
      break;
    case "<":
    case "<=":
    case ">":
    case ">=":
      sql = `${ordered} ${c.operator} ${lit(c.value)}`;
      break;
    case "in":
    case "not_in": {
      // Null entries in the list match nothing, for in and not_in alike.
      const list = (c.values ?? []).filter(notNull).map(lit);
      if (list.length === 0) sql = c.operator === "in" ? "FALSE" : `${id} IS NOT NULL`;
      else sql = `${d.distinctBy(id, col.type)} ${c.operator === "in" ? "IN" : "NOT IN"} (${list.join(", ")})`;
      break;
    }
    case "between":
      sql = `${ordered} BETWEEN ${lit(c.value)} AND ${lit(c.value2)}`;
      break;
    case "contains":
      sql = d.contains(subject, text(c.value));
      break;
    case "starts_with":
      sql = d.startsWith(subject, text(c.value));
      break;
    case "ends_with":
      sql = d.endsWith(subject, text(c.value));
      break;
    case "matches_regex":
      sql = d.regexMatches(id, String(c.value), c.ignoreCase);
      break;
    default: {
      const never: never = c.operator;
      throw new Error(`filter: unknown operator ${String(never)}`);
    }
  }
  return `COALESCE(${sql}, FALSE)`;
}

/** The input columns a condition reads, rules' and expressions' alike (for column lineage); incomplete parts too, as the user named them. */
export function conditionColumns(c: Condition): string[] {
  if (c.kind === "group") return [...new Set(c.conditions.flatMap(conditionColumns))];
  if (c.kind === "rule") return [c.column];
  const reads = expressionReads(c.expression);
  return reads ? [...reads.values, ...reads.conditions] : [];
}

/** The condition in the words the inspector uses for each operator (filter-operators.ts); incomplete parts left out, as they are not applied. */
export function describeCondition(c: Condition): string {
  if (c.kind === "group") {
    const complete = c.conditions.filter((x) => !isIncomplete(x));
    if (complete.length === 0) return "all rows";
    const inner = complete.map(describeCondition).join(` ${c.op} `);
    return complete.length > 1 ? `(${inner})` : inner;
  }
  if (c.kind === "expression") return c.expression;
  const op = `${c.column} ${operatorLabel(c.operator)}`;
  switch (operandsOf(c.operator)) {
    case 0:
      return op;
    case "list":
      return `${op} [${(c.values ?? []).map((v) => JSON.stringify(v)).join(", ")}]`;
    case 2:
      return `${op} ${JSON.stringify(c.value)} and ${JSON.stringify(c.value2)}`;
    case 1:
      return `${op} ${JSON.stringify(c.value)}`;
  }
}
