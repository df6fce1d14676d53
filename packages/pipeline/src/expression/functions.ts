import type { DateUnit, Dialect, SqlType } from "../sql/dialect.ts";
import type { ExprType } from "./ast.ts";

/** What an argument accepts. A bare `null` fits every kind. */
export type ArgKind = "text" | "number" | "temporal" | "boolean" | "convertible" | "any";

export const isNumberType = (t: ExprType) => t === "integer" || t === "bigint" || t === "double" || t === "decimal";
export const isTemporalType = (t: ExprType) => t === "date" || t === "timestamp";

export function kindFits(kind: ArgKind, t: ExprType): boolean {
  if (t === "null") return true;
  switch (kind) {
    case "text":
      return t === "string";
    case "number":
      return isNumberType(t);
    case "temporal":
      return isTemporalType(t);
    case "boolean":
      return t === "boolean";
    case "convertible":
      return t === "string" || t === "boolean" || isNumberType(t);
    case "any":
      return true;
    default: {
      const never: never = kind;
      throw new Error(`unknown argument kind ${String(never)}`);
    }
  }
}

export const KIND_NAMES: Record<ArgKind, string> = { text: "text", number: "a number", temporal: "a date or timestamp", boolean: "true/false", convertible: "text, a number or true/false", any: "a value" };

/** The type a bare null argument is given, so the engine can pick an overload. */
export const KIND_NULL_TYPE: Record<ArgKind, SqlType> = { text: { type: "string" }, number: { type: "double" }, temporal: { type: "date" }, boolean: { type: "boolean" }, convertible: { type: "string" }, any: { type: "string" } };

export const UNITS = ["year", "quarter", "month", "week", "day", "hour", "minute", "second"] as const;
export type Unit = (typeof UNITS)[number];
const SUB_DAY = new Set<string>(["hour", "minute", "second"]);

/** Arguments that must be written as quoted text in the expression itself. */
export type LiteralRule = "unit" | "strftime" | "regex";

export interface FunctionSpec {
  signature: string;
  description: string;
  args: ArgKind[];
  /** How many trailing `args` may be left out. */
  optional?: number;
  /** Further arguments of this kind may follow (variadic). */
  rest?: ArgKind;
  literals?: Partial<Record<number, LiteralRule>>;
  /** The arguments share one type, which is also the result: all of them, or all after the condition. */
  common?: "all" | "after-first";
  /** The result type; never "null" unless every argument is null. `literals` holds quoted-text arguments (units lower-cased). */
  returns(types: ExprType[], literals: (string | undefined)[]): ExprType;
  /** `args` are compiled SQL; quoted-text arguments arrive already quoted, and raw in `literals`. */
  sql(args: string[], types: ExprType[], literals: (string | undefined)[], d: Dialect): string;
}

export const wholeResult = (t: ExprType): ExprType => (t === "integer" ? "bigint" : t === "decimal" ? "double" : t);
const dbl = (d: Dialect, x: string) => `CAST(${x} AS ${d.type({ type: "double" })})`;
const big = (x: string) => `CAST(${x} AS BIGINT)`;
const temporalResult = (t: ExprType, unit?: string): ExprType => (t === "timestamp" || (unit !== undefined && SUB_DAY.has(unit)) ? "timestamp" : "date");

const text1 = (name: string, description: string, sql: (a: string, d: Dialect) => string): FunctionSpec => ({
  signature: `${name}(text)`,
  description,
  args: ["text"],
  returns: () => "string",
  sql: ([a], _t, _l, d) => sql(a!, d),
});
const textTest = (name: string, arg: string, description: string, sql: (d: Dialect, a: string, b: string) => string): FunctionSpec => ({
  signature: `${name}(text, ${arg})`,
  description,
  args: ["text", "text"],
  returns: () => "boolean",
  sql: ([a, b], _t, _l, d) => sql(d, a!, b!),
});
const common = (name: string, description: string): FunctionSpec => ({
  signature: `${name}(value, …)`,
  description,
  args: ["any"],
  rest: "any",
  common: "all",
  returns: (t) => t.find((x) => x !== "null") ?? "null",
  sql: (a, t, _l, d) => {
    // least and greatest compare text by code point in every dialect (Dialect.textOrder); coalesce compares nothing.
    if (name === "coalesce" || !t.includes("string")) return `${name}(${a.join(", ")})`;
    return d.textOrdered(`${name}(${a.map((x) => d.textOrder(x)).join(", ")})`);
  },
});

/** The whole function library of the expression language: nothing else reaches SQL. */
export const FUNCTIONS: Readonly<Record<string, FunctionSpec>> = {
  lower: text1("lower", "the text in lower case", (a, d) => d.changeCase("lower", a)),
  upper: text1("upper", "the text in upper case", (a, d) => d.changeCase("upper", a)),
  trim: text1("trim", "the text without leading and trailing spaces", (a, d) => d.trimSpaceSeparators(a)),
  length: { signature: "length(text)", description: "the number of characters", args: ["text"], returns: () => "bigint", sql: ([a]) => `length(${a})` },
  substr: {
    signature: "substr(text, start[, length])",
    description: "part of the text; start counts from 1, negative counts from the end",
    args: ["text", "number", "number"],
    optional: 1,
    returns: () => "string",
    sql: ([a, s, n], _t, _l, d) => d.substr(a!, d.clampWhole(s!), n === undefined ? undefined : d.clampWhole(n)),
  },
  replace: { signature: "replace(text, find, with)", description: "every occurrence of find replaced", args: ["text", "text", "text"], returns: () => "string", sql: (a) => `replace(${a.join(", ")})` },
  contains: textTest("contains", "part", "whether the text contains part", (d, a, b) => d.contains(a, b)),
  starts_with: textTest("starts_with", "prefix", "whether the text starts with prefix", (d, a, b) => d.startsWith(a, b)),
  ends_with: textTest("ends_with", "suffix", "whether the text ends with suffix", (d, a, b) => d.endsWith(a, b)),
  concat: { signature: "concat(value, …)", description: "the values as text, joined; nulls are skipped", args: ["any"], rest: "any", returns: () => "string", sql: (a, t, _l, d) => d.concat(a, t.map((x) => (x === "decimal" ? "double" : x))) },
  left: { signature: "left(text, n)", description: "the first n characters", args: ["text", "number"], returns: () => "string", sql: ([a, n], _t, _l, d) => d.textEnd("left", a!, d.clampWhole(n!)) },
  right: { signature: "right(text, n)", description: "the last n characters", args: ["text", "number"], returns: () => "string", sql: ([a, n], _t, _l, d) => d.textEnd("right", a!, d.clampWhole(n!)) },
  regex_match: {
    signature: "regex_match(text, 'pattern')",
    description: "whether the pattern (RE2) matches anywhere in the text",
    args: ["text", "text"],
    literals: { 1: "regex" },
    returns: () => "boolean",
    sql: ([a], _t, lit, d) => d.regexMatches(a!, lit[1]!),
  },
  regex_replace: {
    signature: "regex_replace(text, 'pattern', with)",
    description: "every match of the pattern (RE2) replaced; \\1 in with is the first group",
    args: ["text", "text", "text"],
    literals: { 1: "regex" },
    returns: () => "string",
    sql: ([a, , w], _t, lit, d) => d.regexReplace(a!, lit[1]!, w!),
  },
  abs: { signature: "abs(number)", description: "the value without its sign", args: ["number"], returns: ([t]) => wholeResult(t!), sql: ([a], [t], _l, d) => (t === "double" || t === "decimal" ? `abs(${dbl(d, a!)})` : d.absWhole(big(a!))) },
  round: {
    signature: "round(number[, digits])",
    description: "rounded to digits decimals (default 0), halves away from zero",
    args: ["number", "number"],
    optional: 1,
    returns: () => "double",
    sql: ([a, n], _t, _l, d) => d.round(dbl(d, a!), n === undefined ? "0" : d.clampWhole(n)),
  },
  floor: { signature: "floor(number)", description: "the largest whole number not above it", args: ["number"], returns: () => "double", sql: ([a], _t, _l, d) => `floor(${dbl(d, a!)})` },
  ceil: { signature: "ceil(number)", description: "the smallest whole number not below it", args: ["number"], returns: () => "double", sql: ([a], _t, _l, d) => `ceil(${dbl(d, a!)})` },
  sqrt: { signature: "sqrt(number)", description: "the square root; null for negative numbers", args: ["number"], returns: () => "double", sql: ([a], _t, _l, d) => d.power(dbl(d, a!), "0.5") },
  power: { signature: "power(base, exponent)", description: "base raised to exponent; null when not a finite number", args: ["number", "number"], returns: () => "double", sql: ([a, b], _t, _l, d) => d.power(dbl(d, a!), dbl(d, b!)) },
  least: common("least", "the smallest argument, ignoring nulls"),
  greatest: common("greatest", "the largest argument, ignoring nulls"),
  min: { ...common("least", "the smallest argument, ignoring nulls (same as least)"), signature: "min(value, …)" },
  max: { ...common("greatest", "the largest argument, ignoring nulls (same as greatest)"), signature: "max(value, …)" },
  today: { signature: "today()", description: "the date the run starts (UTC)", args: [], returns: () => "date", sql: (_a, _t, _l, d) => d.currentDate() },
  now: { signature: "now()", description: "the time the run starts (UTC)", args: [], returns: () => "timestamp", sql: (_a, _t, _l, d) => d.currentTimestamp() },
  year: { signature: "year(date)", description: "the year", args: ["temporal"], returns: () => "bigint", sql: ([x], _t, _l, d) => d.datePart("year", x!) },
  month: { signature: "month(date)", description: "the month, 1 to 12", args: ["temporal"], returns: () => "bigint", sql: ([x], _t, _l, d) => d.datePart("month", x!) },
  day: { signature: "day(date)", description: "the day of the month, 1 to 31", args: ["temporal"], returns: () => "bigint", sql: ([x], _t, _l, d) => d.datePart("day", x!) },
  date_trunc: {
    signature: "date_trunc('unit', date)",
    description: "the start of the unit the date falls in",
    args: ["text", "temporal"],
    literals: { 0: "unit" },
    returns: (t) => temporalResult(t[1]!),
    sql: ([, x], t, lit, d) => d.dateTrunc(lit[0]!, x!, temporalResult(t[1]!) === "date" ? "date" : "timestamp"),
  },
  date_add: {
    signature: "date_add(date, n, 'unit')",
    description: "the date moved by n units (n may be negative); a date moved by hours, minutes or seconds becomes a timestamp",
    args: ["temporal", "number", "text"],
    literals: { 2: "unit" },
    returns: (t, lit) => temporalResult(t[0]!, lit[2]),
    sql: ([x, n], t, lit, d) => {
      const unit = (lit[2] ?? "day") as DateUnit;
      return d.dateAdd(x!, n!, unit, temporalResult(t[0]!, unit) === "date" ? "date" : "timestamp");
    },
  },
  date_diff: {
    signature: "date_diff('unit', from, to)",
    description: "how many unit boundaries lie between from and to (negative when to is earlier)",
    args: ["text", "temporal", "temporal"],
    literals: { 0: "unit" },
    returns: () => "bigint",
    sql: ([, a, b], t, lit, d) => (t[1] === t[2] ? d.dateDiff(lit[0] as DateUnit, a!, b!) : d.dateDiff(lit[0] as DateUnit, `CAST(${a} AS TIMESTAMP)`, `CAST(${b} AS TIMESTAMP)`)),
  },
  format_date: {
    signature: "format_date(date, 'format')",
    description: "the date as text in a strftime format such as '%Y-%m-%d'",
    args: ["temporal", "text"],
    literals: { 1: "strftime" },
    returns: () => "string",
    sql: ([x], _t, lit, d) => d.formatDate(x!, lit[1]!),
  },
  parse_date: {
    signature: "parse_date(text, 'format')",
    description: "the text read as a date in a strftime format such as '%d/%m/%Y'; null when it does not match",
    args: ["text", "text"],
    literals: { 1: "strftime" },
    returns: () => "date",
    sql: ([s], _t, lit, d) => d.parseDate(s!, [lit[1]!]),
  },
  to_string: { signature: "to_string(value)", description: "the value as text", args: ["any"], returns: () => "string", sql: ([a], [t], _l, d) => d.toText(a!, t === "decimal" ? "double" : t!) },
  to_number: {
    signature: "to_number(value)",
    description: "text, a number or true/false as a double; null when the text is not a finite number",
    args: ["convertible"],
    returns: () => "double",
    // DuckDB's cast reads digits grouped by underscores ('1_000' as 1000, '1e1_0' as 1e10) and a sign '+-' ('+-1' as -1),
    // PostgreSQL's does not; PostgreSQL's reads hexadecimal ('0x10' as 16, '0x1p3' as 8), DuckDB's does not. Text with
    // any of them is not a number, in either: each made a '#', which no number holds.
    sql: ([a], [t], _l, d) => d.finite(d.tryCast(t === "string" ? `replace(translate(${a}, '_xX', '###'), '+-', '#')` : a!, { type: "double" })),
  },
  coalesce: common("coalesce", "the first argument that is not null"),
  if: {
    signature: "if(condition, then, else)",
    description: "then when the condition is true, otherwise else (also when the condition is null)",
    args: ["boolean", "any", "any"],
    common: "after-first",
    returns: (t) => (t[1] === "null" ? t[2]! : t[1]!),
    sql: ([c, a, b]) => `CASE WHEN ${c} THEN ${a} ELSE ${b} END`,
  },
  is_null: { signature: "is_null(value)", description: "whether the value is null", args: ["any"], returns: () => "boolean", sql: ([a]) => `(${a} IS NULL)` },
  is_not_null: { signature: "is_not_null(value)", description: "whether the value is not null", args: ["any"], returns: () => "boolean", sql: ([a]) => `(${a} IS NOT NULL)` },
};

/** A function by name; own properties only, so "constructor" or "__proto__" are not functions. */
export const lookupFunction = (name: string): FunctionSpec | undefined => (Object.hasOwn(FUNCTIONS, name) ? FUNCTIONS[name] : undefined);
