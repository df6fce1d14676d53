import { DialectUnsupported } from "./dialect.ts";

/** RE2's \s, and the Unicode space separators (\p{Z}), as characters for a bracket expression. */
const RE2_SPACE = "\t\n\f\r ";
const UNICODE_SPACES = " \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000";
/** The same characters listed one by one (btrim's set), no ranges: what trimSpaces removes. */
export const SPACE_CHARACTERS = `${RE2_SPACE}\u00a0\u1680${Array.from({ length: 11 }, (_, i) => String.fromCharCode(0x2000 + i)).join("")}\u2028\u2029\u202f\u205f\u3000`;
/** ASCII classes as RE2 defines them (PostgreSQL's \d, \w and [[:alpha:]] follow the database's locale). */
const CLASS: Record<string, string> = { d: "0-9", w: "0-9A-Za-z_", s: RE2_SPACE };
const POSIX: Record<string, string> = {
  alpha: "A-Za-z",
  digit: "0-9",
  alnum: "0-9A-Za-z",
  upper: "A-Z",
  lower: "a-z",
  space: "\t\n\u000b\f\r ",
  xdigit: "0-9A-Fa-f",
  word: "0-9A-Za-z_",
};
/** Characters that are literal after a backslash in both RE2 and PostgreSQL's advanced regular expressions. */
const PUNCTUATION = /[\\.^$|?*+()[\]{}\-/#&~,:;'"<>=!@%`_ ]/;
const SIMPLE_ESCAPES: Record<string, string> = { t: "\\t", n: "\\n", r: "\\r", f: "\\f", v: "\\v" };

const unsupported = (what: string): never => {
  throw new DialectUnsupported("postgres", `the pattern uses ${what}, which PostgreSQL's regular expressions read differently`);
};

function unicodeClass(name: string): string {
  if (name === "Z" || name === "Zs") return UNICODE_SPACES;
  return unsupported(`the Unicode class \\p{${name}}`);
}

/** Reads \p{X} or \pX at `i` (just after "\p"); returns the class name and the next index. */
function propertyName(p: string, i: number): [string, number] {
  if (p[i] === "{") {
    const end = p.indexOf("}", i);
    if (end < 0) unsupported("an unterminated \\p{");
    return [p.slice(i + 1, end), end + 1];
  }
  return [p[i] ?? "", i + 1];
}

/**
 * An RE2 pattern (what DuckDB's regexp functions read) rewritten as a PostgreSQL advanced regular expression that
 * matches the same strings, or DialectUnsupported for constructs without an exact counterpart. `lazy` allows lazy
 * quantifiers, which change which match is found but not whether one is.
 */
export function re2ToPostgres(pattern: string, options: { lazy: boolean }): string {
  let out = "";
  let i = 0;
  const p = pattern;
  if (p.startsWith("(?i)")) {
    out += "(?i)";
    i = 4;
  }
  while (i < p.length) {
    const c = p[i]!;
    if (c === "\\") {
      const e = p[i + 1];
      if (e === undefined) unsupported("a trailing backslash");
      i += 2;
      if (e === "d" || e === "w" || e === "s") out += `[${CLASS[e]}]`;
      else if (e === "D" || e === "W" || e === "S") out += `[^${CLASS[e.toLowerCase()]}]`;
      else if (e === "b") out += "\\y";
      else if (e === "B") out += "\\Y";
      else if (e === "A") out += "\\A";
      else if (e === "z") out += "\\Z";
      else if (e === "p") {
        const [name, next] = propertyName(p, i);
        out += `[${unicodeClass(name)}]`;
        i = next;
      } else if (SIMPLE_ESCAPES[e!]) out += SIMPLE_ESCAPES[e!];
      else if (PUNCTUATION.test(e!)) out += `\\${e}`;
      else unsupported(`the escape \\${e}`);
      continue;
    }
    if (c === "[") {
      const [cls, next] = bracket(p, i);
      out += cls;
      i = next;
      continue;
    }
    if (c === "(") {
      if (p[i + 1] !== "?") out += "(";
      else if (p.startsWith("(?:", i)) {
        out += "(?:";
        i += 3;
        continue;
      } else {
        const named = /^\(\?P?<[A-Za-z_][A-Za-z0-9_]*>/.exec(p.slice(i));
        if (!named) unsupported("inline flags or a group kind other than (?: )");
        out += "(";
        i += named![0].length;
        continue;
      }
      i += 1;
      continue;
    }
    if (c === "{") {
      const q = /^\{(\d+)(,(\d*))?\}/.exec(p.slice(i));
      // RE2 reads a brace that does not start a repetition as a literal; PostgreSQL refuses it.
      if (!q) {
        out += "\\{";
        i += 1;
        continue;
      }
      out += q[0];
      i += q[0].length;
      if (p[i] === "?") lazyAt();
      continue;
    }
    if (c === "}") {
      out += "\\}";
      i += 1;
      continue;
    }
    if (c === "*" || c === "+" || c === "?") {
      out += c;
      i += 1;
      if (p[i] === "?") lazyAt();
      continue;
    }
    // RE2's dot does not match a newline; PostgreSQL's (without newline-sensitive mode) does.
    if (c === ".") out += "[^\\n]";
    else out += c;
    i += 1;
  }
  return out;

  function lazyAt() {
    if (!options.lazy) unsupported("a lazy quantifier in a replacement");
    out += "?";
    i += 1;
  }
}

/** Translates the bracket expression starting at `start`; returns it and the index after it. */
function bracket(p: string, start: number): [string, number] {
  let i = start + 1;
  let out = "[";
  if (p[i] === "^") {
    out += "^";
    i += 1;
  }
  let first = true;
  while (i < p.length) {
    const c = p[i]!;
    if (c === "]" && !first) return [`${out}]`, i + 1];
    first = false;
    if (c === "[" && p[i + 1] === ":") {
      const end = p.indexOf(":]", i + 2);
      const name = end < 0 ? "" : p.slice(i + 2, end);
      const chars = POSIX[name];
      if (chars === undefined) unsupported(`the class [:${name}:]`);
      out += chars;
      i = end + 2;
      continue;
    }
    if (c === "\\") {
      const e = p[i + 1];
      i += 2;
      if (e === "d" || e === "w" || e === "s") out += CLASS[e];
      else if (e === "p") {
        const [name, next] = propertyName(p, i);
        out += unicodeClass(name);
        i = next;
      } else if (e !== undefined && SIMPLE_ESCAPES[e]) out += SIMPLE_ESCAPES[e];
      else if (e !== undefined && PUNCTUATION.test(e)) out += `\\${e}`;
      else unsupported(`the escape \\${e ?? ""} in a character class`);
      continue;
    }
    if (c === "[") out += "\\[";
    else out += c;
    i += 1;
  }
  return unsupported("an unterminated character class");
}
