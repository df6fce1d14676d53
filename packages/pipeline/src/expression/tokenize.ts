import type { ExpressionProblem, Position, Span } from "./ast.ts";

export type TokenKind = "number" | "string" | "ident" | "name" | "op" | "lparen" | "rparen" | "comma" | "eof";

export interface Token {
  /** "ident" is a bare word (a column, function or keyword); "name" is a [bracketed] column name. */
  kind: TokenKind;
  /** The text as written. */
  text: string;
  /** Strings: the unescaped value; names: the unescaped name; otherwise the text. */
  value: string;
  span: Span;
}

export type TokenizeResult = { ok: true; value: Token[] } | { ok: false; problems: ExpressionProblem[] };

const OPERATORS = ["<=", ">=", "!=", "<>", "=", "<", ">", "+", "-", "*", "/", "%", "&"];

/** Characters people type from other languages, with what to write instead. */
const HINTS: [string, string][] = [
  ["||", 'join text with "&"'],
  ["&&", 'use "and"'],
  ["==", 'compare with a single "="'],
  ["!", 'use "not", or "!=" to compare'],
  ['"', "write text in single quotes ('…') and column names with spaces in [brackets]"],
  ["`", "write column names with spaces in [brackets]"],
];

const NUMBER = /^(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/;
const WORD = /^[\p{L}_][\p{L}\p{N}_]*/u;
const WORD_CHAR = /[\p{L}\p{N}_]/u;

/** Maps offsets to line:column; columns count characters, not UTF-16 units. Precomputed in one pass. */
function positions(source: string) {
  const lines: number[] = [];
  const columns: number[] = [];
  let line = 1;
  let column = 1;
  for (let i = 0; i <= source.length; i++) {
    lines.push(line);
    columns.push(column);
    const code = source.charCodeAt(i);
    if (code === 10) {
      line++;
      column = 1;
    } else if (code < 0xd800 || code > 0xdbff) column++; // the high half of a surrogate pair does not count
  }
  return (offset: number): Position => ({ offset, line: lines[offset]!, column: columns[offset]! });
}

/** Reads text up to a closing delimiter, where the delimiter written twice stands for itself. */
function readQuoted(source: string, from: number, close: string): { value: string; end: number } | undefined {
  let value = "";
  let i = from;
  while (i < source.length) {
    const ch = source[i]!;
    if (ch === close) {
      if (source[i + 1] !== close) return { value, end: i + 1 };
      i++;
    }
    value += ch;
    i++;
  }
  return undefined;
}

/** Splits an expression into tokens; the first problem stops it. */
export function tokenize(source: string): TokenizeResult {
  const pos = positions(source);
  const span = (a: number, b: number): Span => ({ start: pos(a), end: pos(b) });
  const problem = (message: string, a: number, b: number): TokenizeResult => ({
    ok: false,
    problems: [{ code: "EXPRESSION_PARSE_ERROR", message, span: span(a, b) }],
  });
  const nul = source.indexOf("\u0000");
  if (nul >= 0) return problem("the expression contains a NUL character", nul, nul + 1);

  const tokens: Token[] = [];
  const push = (kind: TokenKind, a: number, b: number, value = source.slice(a, b)) =>
    tokens.push({ kind, text: source.slice(a, b), value, span: span(a, b) });
  let i = 0;
  while (i < source.length) {
    const ch = source[i]!;
    const rest = source.slice(i);
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    const number = NUMBER.exec(rest);
    if (number) {
      const end = i + number[0].length;
      if (WORD_CHAR.test(source[end] ?? "")) {
        const word = /^[\p{L}\p{N}_.]*/u.exec(source.slice(end))![0];
        return problem(`"${number[0]}${word}" is not a number, and a column name cannot start with a digit (write [${number[0]}${word}])`, i, end + word.length);
      }
      push("number", i, end);
      i = end;
      continue;
    }
    if (ch === "'" || ch === "[") {
      const read = readQuoted(source, i + 1, ch === "'" ? "'" : "]");
      if (!read) return problem(ch === "'" ? "this text has no closing quote (')" : "this column name has no closing bracket (])", i, source.length);
      if (ch === "[" && read.value === "") return problem("empty column name []", i, read.end);
      push(ch === "'" ? "string" : "name", i, read.end, read.value);
      i = read.end;
      continue;
    }
    const word = WORD.exec(rest);
    if (word) {
      push("ident", i, i + word[0].length);
      i += word[0].length;
      continue;
    }
    if (ch === "(" || ch === ")" || ch === ",") {
      push(ch === "(" ? "lparen" : ch === ")" ? "rparen" : "comma", i, i + 1);
      i++;
      continue;
    }
    const op = OPERATORS.find((o) => rest.startsWith(o));
    const hint = HINTS.find(([h]) => rest.startsWith(h) && (h.length > 1 || !op));
    if (hint) return problem(`unexpected "${hint[0]}": ${hint[1]}`, i, i + hint[0].length);
    if (op) {
      push("op", i, i + op.length, op === "<>" ? "!=" : op);
      i += op.length;
      continue;
    }
    const char = String.fromCodePoint(source.codePointAt(i)!);
    return problem(`unexpected character "${char}"`, i, i + char.length);
  }
  push("eof", i, i, "");
  return { ok: true, value: tokens };
}
