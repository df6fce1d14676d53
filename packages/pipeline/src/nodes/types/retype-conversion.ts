import type { Column, ColumnType } from "@sluice/model";
import { quoteIdent, quoteLiteral } from "../../sql/quote.ts";
import type { Dialect } from "../../sql/dialect.ts";

export const THOUSANDS_SEPARATORS = [",", ".", " ", "'", "_"] as const;
export type ThousandsSeparator = (typeof THOUSANDS_SEPARATORS)[number];
export const DECIMAL_SEPARATORS = [".", ","] as const;
export type DecimalSeparator = (typeof DECIMAL_SEPARATORS)[number];

export interface ConversionOptions {
  thousandsSeparator: ThousandsSeparator | null;
  decimalSeparator: DecimalSeparator;
  /** IANA zone in which timestamps written without an offset are read; the result is the instant in UTC. */
  timeZone: string;
  booleanWords: { true: string[]; false: string[] };
}

export interface Target {
  to: ColumnType;
  precision?: number;
  scale?: number;
  /** strptime formats tried in order, for date and timestamp targets from text. */
  formats: string[];
}

const NUMERIC: ColumnType[] = ["integer", "bigint", "double", "decimal"];

/** Whether `from` can be converted to `to` at all; other pairs are a TYPE_MISMATCH before running. */
export function convertible(from: ColumnType, to: ColumnType): boolean {
  if (from === to || to === "string" || to === "json" || from === "string" || from === "json") return true;
  if (NUMERIC.includes(to)) return NUMERIC.includes(from) || from === "boolean";
  if (to === "boolean") return NUMERIC.includes(from);
  if (to === "date" || to === "timestamp") return from === "date" || from === "timestamp";
  return false;
}

export const typeName = (t: Pick<Target, "to" | "precision" | "scale">): string =>
  t.to === "decimal" ? `decimal(${t.precision ?? 18},${t.scale ?? 3})` : t.to;

/** strptime specifiers DuckDB knows; anything else fails at bind time, so it is caught before running. */
const SPECIFIERS = /%(-?[dmHIMSjyY]|[aAwbBpfgnzZUWcxXuVGe%])/g;
export function formatProblem(format: string): string | undefined {
  const rest = format.replace(SPECIFIERS, "");
  const bad = /%.?/.exec(rest);
  return bad ? `unknown specifier "${bad[0]}"` : undefined;
}

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * The trimmed text a conversion of `col` to `target` parses (text to a number, boolean, date or timestamp), which
 * it reads several times; undefined when it reads none.
 */
export function trimmedInput(col: Column, target: Target, d: Dialect): string | undefined {
  if ((col.type !== "string" && col.type !== "json") || target.to === "string" || target.to === "json") return undefined;
  return d.trimSpaces(d.toText(quoteIdent(col.name), col.type));
}

/**
 * SQL converting column `col` to the target; NULL when a non-null value does not convert.
 * Null input gives null. The caller decides what a failed conversion means. `trimmed`: where the conversion reads
 * trimmedInput(col, target) from (a column computed before), instead of trimming at each use.
 */
export function conversionSql(col: Column, target: Target, options: ConversionOptions, d: Dialect, trimmed?: string): string {
  const id = quoteIdent(col.name);
  const type = { type: target.to, precision: target.precision, scale: target.scale };
  if (col.type === target.to && (col.type !== "decimal" || (col.precision === target.precision && col.scale === target.scale))) return id;
  if (target.to === "string") return d.toText(id, col.type);
  if (col.type !== "string" && col.type !== "json") {
    if (target.to === "json") return d.toJson(id, col.type);
    if ((target.to === "integer" || target.to === "bigint") && (col.type === "double" || col.type === "decimal")) {
      // A fractional number is not a whole number: an error, never silently rounded.
      return `CASE WHEN ${id} = trunc(${id}) THEN ${d.tryCast(id, type)} END`;
    }
    return d.tryCast(id, type);
  }
  const text = d.toText(id, col.type);
  // Where no trimmed column was computed before, a value is read as it is first and trimmed only when that fails:
  // trimming every value (a regular expression, for Unicode spaces) cost more than the rest of a number's
  // conversion, and most values have no spaces around them, or lost them in a clean node upstream.
  const untrimmedFirst = trimmed === undefined;
  trimmed ??= d.trimSpaces(text);
  switch (target.to) {
    case "json":
      return d.parseJson(text);
    case "integer":
    case "bigint":
    case "double":
    case "decimal": {
      const sep = options.thousandsSeparator;
      const point = escapeRegex(options.decimalSeparator);
      const digits = sep ? `([0-9]{1,3}(${escapeRegex(sep)}[0-9]{3})+|[0-9]+)` : "[0-9]+";
      const whole = target.to === "integer" || target.to === "bigint";
      const pattern = whole ? `^[+-]?${digits}$` : `^[+-]?(${digits}(${point}[0-9]*)?|${point}[0-9]+)([eE][+-]?[0-9]+)?$`;
      const converted = (from: string) => {
        const grouped = sep ? `replace(${from}, ${quoteLiteral(sep)}, '')` : from;
        // Once the grouping is gone, a decimal comma is the only comma left: DuckDB reads the point.
        const plain = options.decimalSeparator === "," && !whole ? `replace(${grouped}, ',', '.')` : grouped;
        const cast = d.castNumberText(plain, type);
        return target.to === "double" ? d.finite(cast) : cast;
      };
      // The pattern begins with a sign, digit or point and ends with a digit or point: text it matches has no
      // spaces around it, so is its own trimmed text, and the first branch gives what the second would.
      const first = untrimmedFirst ? `WHEN ${d.regexMatches(text, pattern)} THEN ${converted(text)} ` : "";
      return `CASE ${first}WHEN ${d.regexMatches(trimmed, pattern)} THEN ${converted(trimmed)} END`;
    }
    case "boolean": {
      const words = (ws: string[]) => ws.map((w) => d.changeCase("lower", quoteLiteral(w.trim()))).join(", ") || "NULL";
      // A word is trimmed, so text with spaces around it equals none: only text that is its own trimmed text matches first.
      const tests = (from: string) => `WHEN ${d.changeCase("lower", from)} IN (${words(options.booleanWords.true)}) THEN TRUE WHEN ${d.changeCase("lower", from)} IN (${words(options.booleanWords.false)}) THEN FALSE`;
      return `CASE ${untrimmedFirst ? `${tests(text)} ` : ""}${tests(trimmed)} END`;
    }
    case "date":
    case "timestamp": {
      const formats = target.formats.length ? target.formats : target.to === "date" ? ["%Y-%m-%d"] : [];
      if (target.to === "date") {
        // DuckDB's strptime reads ASCII spaces around a value as if they were not there, and none of a value's
        // digits: where it reads the text as it is, the trimmed text gives the same date. A format that begins or
        // ends with a space itself could read differently, so it is always given trimmed text.
        const edgeSpaces = formats.some((f) => f !== f.trim());
        if (!untrimmedFirst || edgeSpaces || d.name !== "duckdb") return d.parseDate(trimmed, formats);
        return `COALESCE(${d.parseDate(text, formats)}, ${d.parseDate(trimmed, formats)})`;
      }
      return timestampSql(trimmed, formats, options.timeZone, d);
    }
    default: {
      const never: never = target.to;
      throw new Error(`retype: unknown type ${String(never)}`);
    }
  }
}

/** A time written with an offset after it: `10:00Z`, `10:00:00+02`, `10:00:00.5 -05:30`. A bare date's `-01` is not one. */
const OFFSET_AFTER_TIME = "[0-9]{2}:[0-9]{2}(:[0-9]{2}(\\.[0-9]+)?)?[\\s]*([zZ]|[+-][0-9]{2}(:?[0-9]{2})?)$";

/**
 * Text to TIMESTAMP as the instant in UTC, never depending on the session's zone: a value with an offset is read
 * at that offset; a naive one in `zone`. `timezone(zone, naive)` gives the instant and `timezone('UTC', instant)`
 * its UTC wall time, both explicit. Formats are tried one by one, so a list may mix ones with %z and without.
 */
function timestampSql(text: string, formats: string[], zone: string, d: Dialect): string {
  const naive = (ts: string) => (zone === "UTC" ? ts : d.zonedToUtc(ts, zone));
  if (formats.length === 0) {
    return `CASE WHEN ${d.regexMatches(text, OFFSET_AFTER_TIME)} THEN ${d.tryTimestampWithOffset(text)} ELSE ${naive(d.tryTimestamp(text))} END`;
  }
  const each = formats.map((f) => {
    const parsed = d.parseTimestamp(text, f);
    // With %z or %Z, strptime gives a TIMESTAMPTZ (an instant); without, a naive TIMESTAMP.
    return /%[zZ]/.test(f.replace(/%%/g, "")) ? d.instantToUtc(parsed) : naive(parsed);
  });
  return each.length === 1 ? each[0]! : `COALESCE(${each.join(", ")})`;
}

/** SQL text for one failed conversion, e.g. `column "amount": "abc" is not a double`. */
export function errorMessageSql(col: Column, target: Target, d: Dialect): string {
  const prefix = quoteLiteral(`column "${col.name}": "`);
  const suffix = quoteLiteral(`" is not ${/^[aeiou]/.test(target.to) ? "an" : "a"} ${typeName(target)}`);
  return `${prefix} || left(${d.toText(quoteIdent(col.name), col.type)}, 100) || ${suffix}`;
}
