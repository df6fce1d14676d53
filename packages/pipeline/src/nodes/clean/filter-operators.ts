/** filter's rule operators, as stored. The order is the config schema's (its snapshot), not the order shown. */
export const OPERATORS = [
  "=", "!=", "<", "<=", ">", ">=", "in", "not_in", "is_null", "is_not_null",
  "contains", "starts_with", "ends_with", "matches_regex", "between",
] as const;
export type Operator = (typeof OPERATORS)[number];

/** How many values an operator compares with: none, one, two (a range) or a list. */
export type Operands = 0 | 1 | 2 | "list";

/**
 * The one wording of each operator, in the order a picker offers them: the node card's summary and the inspector's
 * operator list both read it, so a rule reads the same wherever it is shown ("is not null", never "is not empty"
 * in one place and "is not null" in another).
 */
export const FILTER_OPERATORS: readonly { value: Operator; label: string; operands: Operands }[] = [
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
  { value: "is_null", label: "is null", operands: 0 },
  { value: "is_not_null", label: "is not null", operands: 0 },
];

const byValue = new Map(FILTER_OPERATORS.map((o) => [o.value, o]));
export const operatorLabel = (operator: Operator): string => byValue.get(operator)?.label ?? operator;
export const operandsOf = (operator: Operator): Operands => byValue.get(operator)?.operands ?? 1;
