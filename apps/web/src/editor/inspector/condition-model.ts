import type { Column } from "@sluice/model";
import { parseScalar } from "./form-model.ts";

/** filter's condition tree, as packages/pipeline's filter-condition.ts defines it. */
type Scalar = string | number | boolean | null;
export interface Rule {
  kind: "rule";
  column: string;
  operator: string;
  value?: Scalar;
  values?: Scalar[];
  value2?: Scalar;
  ignoreCase?: boolean;
}
export interface Group {
  kind: "group";
  op: "and" | "or";
  conditions: (Rule | Group | ExpressionCondition)[];
}
/** A true/false expression in the derive language. */
export interface ExpressionCondition {
  kind: "expression";
  expression: string;
}

export const emptyGroup: Group = { kind: "group", op: "and", conditions: [] };

export const OPERATORS: { value: string; label: string; operands: 0 | 1 | 2 | "list" }[] = [
  { value: "=", label: "equals", operands: 1 },
  { value: "!=", label: "does not equal", operands: 1 },
  { value: "<", label: "is less than", operands: 1 },
  { value: "<=", label: "is at most", operands: 1 },
  { value: ">", label: "is greater than", operands: 1 },
  { value: ">=", label: "is at least", operands: 1 },
  { value: "between", label: "is between", operands: 2 },
  { value: "in", label: "is one of", operands: "list" },
  { value: "not_in", label: "is none of", operands: "list" },
  { value: "contains", label: "contains", operands: 1 },
  { value: "starts_with", label: "starts with", operands: 1 },
  { value: "ends_with", label: "ends with", operands: 1 },
  { value: "matches_regex", label: "matches the pattern", operands: 1 },
  { value: "is_null", label: "is empty (null)", operands: 0 },
  { value: "is_not_null", label: "is not empty", operands: 0 },
];

export const operandsOf = (operator: string) => OPERATORS.find((o) => o.value === operator)?.operands ?? 1;

/** The operators where "ignore case" means something: the text tests (the filter node ignores it elsewhere). */
export const ignoresCase = (operator: string) => ["contains", "starts_with", "ends_with", "matches_regex"].includes(operator);

/** A rule keeps only the operands its operator uses, so switching operators never leaves stale values behind. */
export function withOperator(rule: Rule, operator: string): Rule {
  const operands = operandsOf(operator);
  const base: Rule = { kind: "rule", column: rule.column, operator, ...(ignoresCase(operator) && rule.ignoreCase !== undefined ? { ignoreCase: rule.ignoreCase } : {}) };
  if (operands === 1) return { ...base, value: rule.value ?? rule.values?.[0] ?? null };
  if (operands === 2) return { ...base, value: rule.value ?? null, value2: rule.value2 ?? null };
  if (operands === "list") return { ...base, values: rule.values ?? (rule.value !== undefined && rule.value !== null ? [rule.value] : []) };
  return base;
}

/**
 * A typed-in value, read for the column it is compared with: text columns (and dates, timestamps, JSON,
 * written as text) keep exactly what was typed, so "007" stays "007"; number and true/false columns get
 * numbers and booleans. "null" is null anywhere except in text, where it may well be a word.
 */
export function valueFor(text: string, column: Column | undefined): Scalar {
  if (column === undefined) return parseScalar(text);
  switch (column.type) {
    case "string":
    case "json":
    case "date":
    case "timestamp":
      return text;
    default: {
      const v = parseScalar(text);
      return typeof v === "string" ? v.trim() : v;
    }
  }
}

/** A comma-separated list typed for `in` / `not_in`, each item read as valueFor does; empty items dropped. */
export const valuesFor = (text: string, column: Column | undefined): Scalar[] =>
  text
    .split(",")
    .map((v) => v.trim())
    .filter((v) => v !== "")
    .map((v) => valueFor(v, column));

/** A new rule on the first column, or a nested group with the other logic (the usual reason to nest). */
export const newRule = (columns: readonly Column[]): Rule => ({ kind: "rule", column: columns[0]?.name ?? "", operator: "=", value: null });
export const newGroup = (parent: Group): Group => ({ kind: "group", op: parent.op === "and" ? "or" : "and", conditions: [] });
