import type { ColumnType } from "@sluice/model";
import { quoteLiteral } from "../sql/quote.ts";

export type ExprType = ColumnType | "null";

export const isNumeric = (t: ExprType) => t === "integer" || t === "bigint" || t === "double" || t === "decimal" || t === "null";
export const isText = (t: ExprType) => t === "string" || t === "null";
export const isTemporal = (t: ExprType) => t === "date" || t === "timestamp" || t === "null";

type Kind = "text" | "number" | "temporal" | "any";
const fits: Record<Kind, (t: ExprType) => boolean> = { text: isText, number: isNumeric, temporal: isTemporal, any: () => true };

export interface FunctionSpec {
  /** Kinds of the fixed arguments; `rest` repeats for variadic functions. */
  args: Kind[];
  optional?: number;
  rest?: Kind;
  /** Arguments that must be written as a text literal (units, formats), by index. */
  literalArgs?: Record<number, readonly string[] | "any">;
  returns(types: ExprType[]): ExprType;
  sql(args: string[], types: ExprType[], literals: (string | undefined)[]): string;
  signature: string;
}

const UNITS = ["year", "quarter", "month", "week", "day", "hour", "minute", "second"] as const;
const same = (t: ExprType[]) => (t[0] === "null" ? "double" : t[0]!);
const f = (spec: FunctionSpec) => spec;

/** The whole function library of the expression language; nothing else reaches SQL. */
export const FUNCTIONS: Record<string, FunctionSpec> = {
  lower: f({ args: ["text"], returns: () => "string", sql: ([a]) => `lower(${a})`, signature: "lower(text)" }),
  upper: f({ args: ["text"], returns: () => "string", sql: ([a]) => `upper(${a})`, signature: "upper(text)" }),
  trim: f({ args: ["text"], returns: () => "string", sql: ([a]) => `trim(${a})`, signature: "trim(text)" }),
  length: f({ args: ["text"], returns: () => "bigint", sql: ([a]) => `length(${a})`, signature: "length(text)" }),
  substr: f({ args: ["text", "number", "number"], optional: 1, returns: () => "string", sql: (a) => `substr(${a.join(", ")})`, signature: "substr(text, start[, length])" }),
  replace: f({ args: ["text", "text", "text"], returns: () => "string", sql: (a) => `replace(${a.join(", ")})`, signature: "replace(text, find, with)" }),
  contains: f({ args: ["text", "text"], returns: () => "boolean", sql: ([a, b]) => `contains(${a}, ${b})`, signature: "contains(text, part)" }),
  starts_with: f({ args: ["text", "text"], returns: () => "boolean", sql: ([a, b]) => `starts_with(${a}, ${b})`, signature: "starts_with(text, prefix)" }),
  ends_with: f({ args: ["text", "text"], returns: () => "boolean", sql: ([a, b]) => `ends_with(${a}, ${b})`, signature: "ends_with(text, suffix)" }),
  concat: f({ args: [], rest: "any", returns: () => "string", sql: (a) => `concat(${a.join(", ")})`, signature: "concat(value, …)" }),
  left: f({ args: ["text", "number"], returns: () => "string", sql: ([a, n]) => `left(${a}, CAST(${n} AS BIGINT))`, signature: "left(text, n)" }),
  right: f({ args: ["text", "number"], returns: () => "string", sql: ([a, n]) => `right(${a}, CAST(${n} AS BIGINT))`, signature: "right(text, n)" }),
  regex_match: f({ args: ["text", "text"], literalArgs: { 1: "any" }, returns: () => "boolean", sql: ([a, p]) => `regexp_matches(${a}, ${p})`, signature: "regex_match(text, 'pattern')" }),
  regex_replace: f({ args: ["text", "text", "text"], literalArgs: { 1: "any" }, returns: () => "string", sql: ([a, p, r]) => `regexp_replace(${a}, ${p}, ${r}, 'g')`, signature: "regex_replace(text, 'pattern', with)" }),
  abs: f({ args: ["number"], returns: same, sql: ([a]) => `abs(${a})`, signature: "abs(number)" }),
  round: f({ args: ["number", "number"], optional: 1, returns: () => "double", sql: ([a, d]) => `round(CAST(${a} AS DOUBLE), CAST(${d ?? "0"} AS INTEGER))`, signature: "round(number[, digits])" }),
  floor: f({ args: ["number"], returns: () => "double", sql: ([a]) => `floor(CAST(${a} AS DOUBLE))`, signature: "floor(number)" }),
  ceil: f({ args: ["number"], returns: () => "double", sql: ([a]) => `ceil(CAST(${a} AS DOUBLE))`, signature: "ceil(number)" }),
  sqrt: f({ args: ["number"], returns: () => "double", sql: ([a]) => `CASE WHEN ${a} < 0 THEN NULL ELSE sqrt(CAST(${a} AS DOUBLE)) END`, signature: "sqrt(number)" }),
  power: f({ args: ["number", "number"], returns: () => "double", sql: ([a, b]) => `power(CAST(${a} AS DOUBLE), CAST(${b} AS DOUBLE))`, signature: "power(base, exponent)" }),
  least: f({ args: ["any"], rest: "any", returns: same, sql: (a) => `least(${a.join(", ")})`, signature: "least(value, …)" }),
  greatest: f({ args: ["any"], rest: "any", returns: same, sql: (a) => `greatest(${a.join(", ")})`, signature: "greatest(value, …)" }),
  today: f({ args: [], returns: () => "date", sql: () => "current_date", signature: "today()" }),
  now: f({ args: [], returns: () => "timestamp", sql: () => "CAST(now() AS TIMESTAMP)", signature: "now()" }),
  year: f({ args: ["temporal"], returns: () => "bigint", sql: ([d]) => `year(${d})`, signature: "year(date)" }),
  month: f({ args: ["temporal"], returns: () => "bigint", sql: ([d]) => `month(${d})`, signature: "month(date)" }),
  day: f({ args: ["temporal"], returns: () => "bigint", sql: ([d]) => `day(${d})`, signature: "day(date)" }),
  date_trunc: f({ args: ["text", "temporal"], literalArgs: { 0: UNITS }, returns: (t) => (t[1] === "timestamp" ? "timestamp" : "date"), sql: ([u, d], t) => `CAST(date_trunc(${u}, ${d}) AS ${t[1] === "timestamp" ? "TIMESTAMP" : "DATE"})`, signature: "date_trunc('month', date)" }),
  date_add: f({
    args: ["temporal", "number", "text"],
    literalArgs: { 2: UNITS },
    returns: (t) => (t[0] === "timestamp" ? "timestamp" : "date"),
    sql: ([d, n], t, lit) => {
      const unit = lit[2] ?? "day";
      const interval = unit === "quarter" ? `to_months(3 * CAST(${n} AS INTEGER))` : `to_${unit}s(CAST(${n} AS ${unit === "second" ? "DOUBLE" : "INTEGER"}))`;
      return `CAST(${d} + ${interval} AS ${t[0] === "timestamp" ? "TIMESTAMP" : "DATE"})`;
    },
    signature: "date_add(date, n, 'day')",
  }),
  date_diff: f({ args: ["text", "temporal", "temporal"], literalArgs: { 0: UNITS }, returns: () => "bigint", sql: ([u, a, b]) => `date_diff(${u}, ${a}, ${b})`, signature: "date_diff('day', from, to)" }),
  format_date: f({ args: ["temporal", "text"], literalArgs: { 1: "any" }, returns: () => "string", sql: ([d, fmt]) => `strftime(${d}, ${fmt})`, signature: "format_date(date, '%Y-%m')" }),
  parse_date: f({ args: ["text", "text"], literalArgs: { 1: "any" }, returns: () => "date", sql: ([s, fmt]) => `CAST(try_strptime(${s}, ${fmt}) AS DATE)`, signature: "parse_date(text, '%d/%m/%Y')" }),
  is_null: f({ args: ["any"], returns: () => "boolean", sql: ([a]) => `(${a} IS NULL)`, signature: "is_null(value)" }),
  is_not_null: f({ args: ["any"], returns: () => "boolean", sql: ([a]) => `(${a} IS NOT NULL)`, signature: "is_not_null(value)" }),
  to_string: f({ args: ["any"], returns: () => "string", sql: ([a]) => `CAST(${a} AS VARCHAR)`, signature: "to_string(value)" }),
  to_number: f({ args: ["any"], returns: () => "double", sql: ([a]) => `TRY_CAST(${a} AS DOUBLE)`, signature: "to_number(value)" }),
  coalesce: f({ args: ["any"], rest: "any", returns: same, sql: (a) => `coalesce(${a.join(", ")})`, signature: "coalesce(value, …)" }),
  if: f({ args: ["any", "any", "any"], returns: (t) => same([t[1] === "null" ? t[2]! : t[1]!]), sql: ([c, a, b]) => `CASE WHEN ${c} THEN ${a} ELSE ${b} END`, signature: "if(condition, then, else)" }),
};
FUNCTIONS.min = FUNCTIONS.least!;
FUNCTIONS.max = FUNCTIONS.greatest!;

export const kindFits = (kind: Kind, t: ExprType) => fits[kind](t);
export const kindName: Record<Kind, string> = { text: "text", number: "a number", temporal: "a date or timestamp", any: "a value" };
export const literalSql = (s: string) => quoteLiteral(s);
