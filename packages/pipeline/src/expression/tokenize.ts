export type TokenKind = "number" | "string" | "ident" | "op" | "lparen" | "rparen" | "comma" | "eof";

export interface Position {
  offset: number;
  line: number;
  column: number;
}

export interface Token {
  kind: TokenKind;
  text: string;
  /** For identifiers: the name; for strings: the unescaped value. */
  value: string;
  pos: Position;
}

export class ExpressionSyntaxError extends Error {
  constructor(
    message: string,
    readonly pos: Position,
  ) {
    super(`${message} at ${pos.line}:${pos.column}`);
  }
}

const OPERATORS = ["<=", ">=", "!=", "<>", "=", "<", ">", "+", "-", "*", "/", "%", "&"];

/** Splits an expression into tokens, tracking line and column for error messages. */
export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let line = 1;
  let lineStart = 0;
  const pos = (offset: number): Position => ({ offset, line, column: offset - lineStart + 1 });
  while (i < source.length) {
    const ch = source[i]!;
    if (ch === "\n") {
      i++;
      line++;
      lineStart = i;
      continue;
    }
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    const start = i;
    if (/[0-9]/.test(ch) || (ch === "." && /[0-9]/.test(source[i + 1] ?? ""))) {
      const m = /^(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/.exec(source.slice(i))!;
      i += m[0].length;
      if (/[A-Za-z_]/.test(source[i] ?? "")) throw new ExpressionSyntaxError(`"${m[0]}${source[i]}" is not a number`, pos(start));
      tokens.push({ kind: "number", text: m[0], value: m[0], pos: pos(start) });
      continue;
    }
    if (ch === "'") {
      let value = "";
      i++;
      for (;;) {
        if (i >= source.length) throw new ExpressionSyntaxError("this text has no closing quote (')", pos(start));
        if (source[i] === "'") {
          if (source[i + 1] === "'") {
            value += "'";
            i += 2;
            continue;
          }
          i++;
          break;
        }
        if (source[i] === "\n") {
          line++;
          lineStart = i + 1;
        }
        value += source[i];
        i++;
      }
      tokens.push({ kind: "string", text: source.slice(start, i), value, pos: pos(start) });
      continue;
    }
    if (ch === "[") {
      let value = "";
      i++;
      for (;;) {
        if (i >= source.length) throw new ExpressionSyntaxError("this column name has no closing bracket (])", pos(start));
        if (source[i] === "]") {
          if (source[i + 1] === "]") {
            value += "]";
            i += 2;
            continue;
          }
          i++;
          break;
        }
        value += source[i];
        i++;
      }
      if (value === "") throw new ExpressionSyntaxError("empty column name []", pos(start));
      tokens.push({ kind: "ident", text: source.slice(start, i), value, pos: pos(start) });
      continue;
    }
    if (/[A-Za-z_]/.test(ch)) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(source.slice(i))!;
      i += m[0].length;
      tokens.push({ kind: "ident", text: m[0], value: m[0], pos: pos(start) });
      continue;
    }
    if (ch === "(" || ch === ")" || ch === ",") {
      i++;
      tokens.push({ kind: ch === "(" ? "lparen" : ch === ")" ? "rparen" : "comma", text: ch, value: ch, pos: pos(start) });
      continue;
    }
    const op = OPERATORS.find((o) => source.startsWith(o, i));
    if (op) {
      i += op.length;
      tokens.push({ kind: "op", text: op, value: op === "<>" ? "!=" : op, pos: pos(start) });
      continue;
    }
    throw new ExpressionSyntaxError(`unexpected character "${ch}"`, pos(start));
  }
  tokens.push({ kind: "eof", text: "", value: "", pos: pos(i) });
  return tokens;
}
