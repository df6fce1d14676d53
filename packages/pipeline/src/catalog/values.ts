import type { Column, Issue } from "@sluice/model";
import { error } from "@sluice/model";

/** A value typed into a node's form: compared with or written into a column of some type. */
export type CellValue = string | number | boolean | null;

function isIsoDate(t: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(t)) return false;
  // Month 13 is an invalid Date (toISOString would throw); Feb 30 rolls over to March, so compare the text.
  const d = new Date(`${t}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(t);
}

/** A number as both engines cast text to double or decimal: decimal notation, sign and exponent optional. */
const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/**
 * Why `value` cannot be CAST to the column's type, or undefined when it can. Checked before DuckDB
 * sees the literal, so a typo shows on the node instead of failing a run.
 */
export function valueProblem(value: CellValue, column: Pick<Column, "type" | "precision" | "scale">): string | undefined {
  if (value === null) return undefined;
  const text = String(value).trim();
  switch (column.type) {
    case "integer":
    case "bigint": {
      if (!/^[+-]?\d+$/.test(text)) return "is not a whole number";
      const bits = column.type === "integer" ? 31n : 63n;
      const n = BigInt(text);
      return n >= -(2n ** bits) && n < 2n ** bits ? undefined : `is out of range for ${column.type}`;
    }
    case "double":
    case "decimal": {
      // Decimal notation only: JavaScript's Number also reads 0x10, 0b1, 0o7 and Infinity, which the engines' casts
      // refuse (or read as inf), so such a value passed here and failed the run.
      if (!NUMBER.test(text)) return "is not a number (digits, an optional point and exponent, e.g. 12.5 or 1e6)";
      const room = (column.precision ?? 18) - (column.scale ?? 3);
      const tooLong = `has too many digits for decimal(${column.precision ?? 18},${column.scale ?? 3})`;
      if (!Number.isFinite(Number(text))) return column.type === "double" ? "is beyond the range of a double (about ±1.8e308)" : tooLong;
      if (column.type === "double") return undefined;
      const integerDigits = Math.abs(Number(text)) < 1 ? 0 : Math.floor(Math.log10(Math.abs(Number(text)))) + 1;
      return integerDigits <= room ? undefined : tooLong;
    }
    case "boolean":
      return typeof value === "boolean" || /^(true|false)$/i.test(text) ? undefined : "is not true or false";
    case "date":
      return isIsoDate(text) ? undefined : "is not a date (YYYY-MM-DD)";
    case "timestamp": {
      const date = text.slice(0, 10);
      // A time of day that exists (24:00 is the next midnight, as both engines read it): 25:00 or 12:60 passed here
      // and failed the run's cast.
      return isIsoDate(date) && /^(\d{4}-\d{2}-\d{2})([ T](([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d+)?)?|24:00(:00(\.0+)?)?))?$/.test(text)
        ? undefined
        : "is not a timestamp (YYYY-MM-DD HH:MM:SS)";
    }
    case "json":
      try {
        JSON.parse(String(value));
        return undefined;
      } catch {
        return "is not valid JSON";
      }
    case "string":
      return undefined;
    default: {
      const never: never = column.type;
      return `has unknown type ${String(never)}`;
    }
  }
}

/** A BAD_VALUE issue when `value` does not fit the column's type. */
export function checkValue(value: CellValue, column: Column, where: { nodeId: string; field: string }): Issue | undefined {
  const problem = valueProblem(value, column);
  return problem
    ? error("BAD_VALUE", `${JSON.stringify(value)} ${problem}, so it cannot be compared with or stored in column "${column.name}" (${column.type}).`, where)
    : undefined;
}

/**
 * DuckDB uses RE2. A JavaScript RegExp accepts a superset of its syntax, so patterns JS rejects are
 * invalid, and constructs only JS knows (lookaround, backreferences) are rejected explicitly.
 */
export function regexProblem(pattern: string): string | undefined {
  try {
    new RegExp(pattern);
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
  if (/\(\?<?[=!]/.test(pattern)) return "lookahead and lookbehind are not supported";
  if (/\\[1-9]/.test(pattern) || /\\k</.test(pattern)) return "backreferences are not supported";
  return undefined;
}

export function checkRegex(pattern: string, where: { nodeId: string; field: string }): Issue | undefined {
  const problem = regexProblem(pattern);
  return problem ? error("INVALID_REGEX", `Invalid regular expression ${JSON.stringify(pattern)}: ${problem}.`, where) : undefined;
}
