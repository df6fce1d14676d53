import type { Column } from "@sluice/model";
import { FILTER_OPERATORS } from "@sluice/pipeline";
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

/** The operator picker's entries, in the filter node's own words (its card summary reads the same table). */
export const OPERATORS = FILTER_OPERATORS;

export const operandsOf = (operator: string) => OPERATORS.find((o) => o.value === operator)?.operands ?? 1;

type Operand = "value" | "value2";

/**
 * The rule with one operand set, or removed when `v` is undefined (an emptied box): a rule without its value is
 * incomplete, which the filter node leaves out (and warns about) rather than applying it as `= null`.
 */
export function withOperand(rule: Rule, key: Operand, v: Scalar | undefined): Rule {
  const { [key]: _old, ...rest } = rule;
  return v === undefined ? rest : { ...rest, [key]: v };
}

export function withValues(rule: Rule, values: Scalar[] | undefined): Rule {
  const { values: _old, ...rest } = rule;
  return values === undefined ? rest : { ...rest, values };
}

/** The operators where "ignore case" means something: the text tests (the filter node ignores it elsewhere). */
export const ignoresCase = (operator: string) => ["contains", "starts_with", "ends_with", "matches_regex"].includes(operator);

/**
 * A rule keeps only the operands its operator uses, so switching operators never leaves stale values behind; an
 * operand it does not have yet stays absent (the rule is incomplete), never null, which would be applied.
 */
export function withOperator(rule: Rule, operator: string): Rule {
  const operands = operandsOf(operator);
  const base: Rule = { kind: "rule", column: rule.column, operator, ...(ignoresCase(operator) && rule.ignoreCase !== undefined ? { ignoreCase: rule.ignoreCase } : {}) };
  if (operands === 1) return withOperand(base, "value", rule.value ?? rule.values?.[0]);
  if (operands === 2) return withOperand(withOperand(base, "value", rule.value), "value2", rule.value2);
  if (operands === "list") return withValues(base, rule.values ?? (rule.value !== undefined && rule.value !== null ? [rule.value] : undefined));
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

/** What an operand box holds: nothing typed is no value (an incomplete rule), anything else is read as valueFor does. */
export const operandFor = (text: string, column: Column | undefined): Scalar | undefined => (text === "" ? undefined : valueFor(text, column));

/** A comma-separated list typed for `in` / `not_in`, each item read as valueFor does; empty items dropped, and no items at all is no list yet. */
export function valuesFor(text: string, column: Column | undefined): Scalar[] | undefined {
  const values = text
    .split(",")
    .map((v) => v.trim())
    .filter((v) => v !== "")
    .map((v) => valueFor(v, column));
  return values.length === 0 ? undefined : values;
}

/**
 * A new rule on the first column, with no value yet: incomplete, so it filters nothing until one is typed (a
 * `value: null` would keep no rows at all). Or a nested group with the other logic (the usual reason to nest).
 */
export const newRule = (columns: readonly Column[]): Rule => ({ kind: "rule", column: columns[0]?.name ?? "", operator: "=" });
export const newGroup = (parent: Group): Group => ({ kind: "group", op: parent.op === "and" ? "or" : "and", conditions: [] });
