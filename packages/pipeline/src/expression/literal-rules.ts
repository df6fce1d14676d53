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

/** How many capturing groups an RE2 pattern has: ( not followed by ?, and (?P<name> or (?<name>, outside classes. */
function groupCount(pattern: string): number {
  let n = 0;
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === "\\") i += 1;
    else if (inClass) inClass = c !== "]";
    else if (c === "[") {
      inClass = true;
      // A ] first in a class (also after ^) is a character, not its end.
      if (pattern[i + 1] === "^") i += 1;
      if (pattern[i + 1] === "]") i += 1;
    } else if (c === "(" && (pattern[i + 1] !== "?" || /^\(\?P?<[A-Za-z_]/.test(pattern.slice(i)))) n += 1;
  }
  return n;
}

/**
 * What is wrong with a replacement for `pattern`, as RE2 (DuckDB's regexp_replace) reads it: \0 to \9 insert the whole
 * match or a group, \\ a backslash. RE2 refuses anything else, and then replaces nothing (a group the pattern does not
 * have) or stops part way (another backslash), where PostgreSQL inserts nothing or the backslash: it is reported.
 */
export function replacementProblem(pattern: string, replacement: string): string | undefined {
  const groups = groupCount(pattern);
  for (let i = 0; i < replacement.length; i++) {
    if (replacement[i] !== "\\") continue;
    const c = replacement[i + 1];
    i += 1;
    if (c === "\\") continue;
    if (c !== undefined && c >= "0" && c <= "9") {
      if (Number(c) <= groups) continue;
      return `"\\${c}" in the replacement is group ${c}, but the pattern has ${groups === 0 ? "no groups" : groups === 1 ? "1 group" : `${groups} groups`}`;
    }
    return `a backslash in the replacement is \\0 to \\9 (the match or a group) or \\\\ (a backslash), not ${c === undefined ? "alone at the end" : `\\${c}`}`;
  }
  return undefined;
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
