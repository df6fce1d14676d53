import { UNITS, type LiteralRule } from "./functions.ts";

/** strftime codes DuckDB reads and writes; `-` drops leading zeros. */
const FORMAT_CODE = /%(?:-[dmyHIMSj]|[aAwdbBhmyYHIpMSgfnzZjUWcxXGVuT%])/y;

function checkFormat(format: string): string | undefined {
  for (let i = 0; i < format.length; i++) {
    if (format[i] !== "%") continue;
    FORMAT_CODE.lastIndex = i;
    const m = FORMAT_CODE.exec(format);
    if (!m) return `"${format.slice(i, i + 2)}" is not a date format code; use codes such as %Y, %m, %d, %H, %M, %S`;
    i += m[0].length - 1;
  }
  return undefined;
}

/**
 * Catches most broken patterns before a run (unbalanced parentheses, a repeat of nothing) with JavaScript's
 * parser, after rewriting the RE2 syntax it lacks (flag groups, `(?P<name>`). A pattern this accepts but RE2
 * refuses still fails when the pipeline runs.
 */
function checkRegex(pattern: string): string | undefined {
  const js = pattern
    .replace(/\(\?[imsU-]+\)/g, "")
    .replace(/\(\?[imsU-]+:/g, "(?:")
    .replace(/\(\?P</g, "(?<");
  try {
    new RegExp(js);
    return undefined;
  } catch (e) {
    return `"${pattern}" is not a valid pattern: ${e instanceof Error ? e.message.replace(/^Invalid regular expression: /, "") : String(e)}`;
  }
}

/** Checks a quoted-text argument; returns the value to use (units lower-cased) or what is wrong. */
export function checkLiteral(rule: LiteralRule, value: string): { value: string; error?: undefined } | { error: string } {
  switch (rule) {
    case "unit": {
      const unit = value.toLowerCase();
      return (UNITS as readonly string[]).includes(unit) ? { value: unit } : { error: `"${value}" is not a unit; use one of ${UNITS.join(", ")}` };
    }
    case "strftime": {
      const error = checkFormat(value);
      return error ? { error } : { value };
    }
    case "regex": {
      const error = checkRegex(value);
      return error ? { error } : { value };
    }
    default: {
      const never: never = rule;
      throw new Error(`unknown literal rule ${String(never)}`);
    }
  }
}
