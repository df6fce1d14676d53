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
 * matches the same strings, or DialectUnsupported for constructs without an exact counterpart. `lazy` allows what
 * changes which match is found but not whether one is, for a test of whether the pattern matches; without it (a
 * replacement) the pattern must find the same matches: RE2 takes the first of alternatives and repetitions of a group
 * that matches, PostgreSQL the longest (regex_replace('ab', 'a|ab', 'X') is Xb in RE2, X in PostgreSQL), and RE2
 * skips an empty match right after a match, PostgreSQL does not ('xaay' with a* replaced by '-' is -x-y- in RE2,
 * -x--y- in PostgreSQL). Repeated single characters and classes find the same matches in both.
 */
export function re2ToPostgres(pattern: string, options: { lazy: boolean }): string {
  let out = "";
  let i = 0;
  const p = pattern;
  // For a replacement: whether the last piece closed a group, and the pieces that consume a character, each either
  // required or optional (repeated from zero).
  let afterGroup = false;
  let pendingAtom = false;
  let required = 0;
  let optional = 0;
  const atom = () => {
    if (pendingAtom) required += 1;
    pendingAtom = true;
  };
  const quantified = (fromZero: boolean) => {
    if (!options.lazy && afterGroup) unsupported("a repeated or optional group in a replacement (RE2 takes the first repetition that matches, PostgreSQL the longest)");
    if (pendingAtom) {
      if (fromZero) optional += 1;
      else required += 1;
    }
    pendingAtom = false;
  };
  if (p.startsWith("(?i)")) {
    out += "(?i)";
    i = 4;
  }
  while (i < p.length) {
    const c = p[i]!;
    const closed: boolean = afterGroup;
    afterGroup = false;
    if (c === "\\") {
      const e = p[i + 1];
      if (e === undefined) unsupported("a trailing backslash");
      if (e !== "b" && e !== "B" && e !== "A" && e !== "z") atom();
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
      atom();
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
        atom();
        out += "\\{";
        i += 1;
        continue;
      }
      afterGroup = closed;
      quantified(Number(q[1]) === 0);
      out += q[0];
      i += q[0].length;
      if (p[i] === "?") lazyAt();
      continue;
    }
    if (c === "}") {
      atom();
      out += "\\}";
      i += 1;
      continue;
    }
    if (c === "*" || c === "+" || c === "?") {
      afterGroup = closed;
      quantified(c !== "+");
      out += c;
      i += 1;
      if (p[i] === "?") lazyAt();
      continue;
    }
    if (c === "|" && !options.lazy) unsupported("alternatives (|) in a replacement (RE2 replaces the first alternative that matches, PostgreSQL the longest)");
    if (c === ")") afterGroup = true;
    else if (c !== "^" && c !== "$" && c !== "|") atom();
    // RE2's dot does not match a newline; PostgreSQL's (without newline-sensitive mode) does.
    if (c === ".") out += "[^\\n]";
    else out += c;
    i += 1;
  }
  if (pendingAtom) required += 1;
  if (!options.lazy && required === 0 && optional > 0) unsupported("repetitions from zero that let it match empty text as well as more, in a replacement (RE2 skips an empty match right after a match, PostgreSQL does not)");
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
