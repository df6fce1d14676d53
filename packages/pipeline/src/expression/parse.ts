import type { BinaryOp, Expr, ExpressionProblem, Span } from "./ast.ts";
import { tokenize, type Token } from "./tokenize.ts";

export type ParseResult = { ok: true; value: Expr } | { ok: false; problems: ExpressionProblem[] };

export const KEYWORDS = ["and", "or", "not", "true", "false", "null", "case", "when", "then", "else", "end"] as const;
const KEYWORD_SET = new Set<string>(KEYWORDS);

/** Binding power of infix operators: higher binds tighter. Unary minus binds at 8, `not` at 3. */
const INFIX: Record<BinaryOp, number> = { or: 1, and: 2, "=": 4, "!=": 4, "<": 4, "<=": 4, ">": 4, ">=": 4, "&": 5, "+": 6, "-": 6, "*": 7, "/": 7, "%": 7 };
const COMPARISON_POWER = 4;

/**
 * Deeper trees make SQL that DuckDB refuses to plan (its max_expression_depth is 1,000, and one level here can
 * compile to a few there: casts, coalesce); nobody writes them by hand.
 */
export const MAX_DEPTH = 100;

/** Thrown only inside this module, to unwind the recursive descent; parseExpression returns it as data. */
class SyntaxProblem {
  constructor(
    readonly message: string,
    readonly span: Span,
    readonly code: "EXPRESSION_PARSE_ERROR" | "EXPRESSION_TOO_DEEP" = "EXPRESSION_PARSE_ERROR",
  ) {}
}

const describe = (t: Token) => (t.kind === "eof" ? "the end of the expression" : `"${t.text}"`);
const spanning = (a: Span, b: Span): Span => ({ start: a.start, end: b.end });

/** A recursive-descent (Pratt) parser from text to a syntax tree whose every node knows its span. */
export function parseExpression(source: string): ParseResult {
  const tokenized = tokenize(source);
  if (!tokenized.ok) return tokenized;
  const tokens = tokenized.value;
  let i = 0;
  const depth = new Map<Expr, number>();
  const peek = () => tokens[i]!;
  const next = () => tokens[i++]!;
  const keyword = (t: Token) => (t.kind === "ident" && KEYWORD_SET.has(t.value.toLowerCase()) ? t.value.toLowerCase() : undefined);
  const infixOp = (t: Token): BinaryOp | undefined => {
    if (t.kind === "op") return t.value as BinaryOp;
    const kw = keyword(t);
    return kw === "and" || kw === "or" ? kw : undefined;
  };
  const fail = (message: string, span: Span): never => {
    throw new SyntaxProblem(message, span);
  };
  const tooDeep = (span: Span): never => {
    throw new SyntaxProblem(`the expression is nested more than ${MAX_DEPTH} levels deep; split it into several steps`, span, "EXPRESSION_TOO_DEEP");
  };
  /** Records a node's depth and refuses trees deeper than MAX_DEPTH. */
  const node = <E extends Expr>(e: E, children: readonly Expr[] = []): E => {
    // An array and a loop, not a spread: a call or case can have more children than a call may take arguments.
    let d = 1;
    for (const c of children) d = Math.max(d, 1 + (depth.get(c) ?? 1));
    if (d > MAX_DEPTH) tooDeep(e.span);
    depth.set(e, d);
    return e;
  };
  const expectKeyword = (k: string) => {
    const t = next();
    if (keyword(t) !== k) fail(`expected "${k}" but found ${describe(t)}`, t.span);
    return t;
  };

  let nesting = 0;
  function expression(minPower: number): Expr {
    // Bounds the recursion itself: "((((…" nests calls before any node exists.
    if (++nesting > MAX_DEPTH) tooDeep(peek().span);
    try {
      return infix(prefix(), minPower);
    } finally {
      nesting--;
    }
  }

  function infix(first: Expr, minPower: number): Expr {
    let left = first;
    for (;;) {
      const t = peek();
      const op = infixOp(t);
      if (!op || INFIX[op] <= minPower) return left;
      next();
      const right = expression(INFIX[op]);
      left = node({ kind: "binary", op, left, right, span: spanning(left.span, right.span), opSpan: t.span }, [left, right]);
      // Comparisons do not chain: a < b < c is almost always a mistake.
      const after = infixOp(peek());
      if (INFIX[op] === COMPARISON_POWER && after && INFIX[after] === COMPARISON_POWER) {
        fail(`comparisons cannot be chained; combine them with "and"`, peek().span);
      }
    }
  }

  function prefix(): Expr {
    const t = next();
    const kw = keyword(t);
    if (kw === "not" || (t.kind === "op" && (t.value === "-" || t.value === "+"))) {
      const arg = expression(kw === "not" ? 3 : 8);
      return node({ kind: "unary", op: kw === "not" ? "not" : (t.value as "-" | "+"), arg, span: spanning(t.span, arg.span) }, [arg]);
    }
    if (t.kind === "number") {
      if (!Number.isFinite(Number(t.value))) fail(`${t.value} is too large a number`, t.span);
      return node({ kind: "literal", type: "number", value: t.value, span: t.span });
    }
    if (t.kind === "string") return node({ kind: "literal", type: "string", value: t.value, span: t.span });
    if (kw === "true" || kw === "false") return node({ kind: "literal", type: "boolean", value: kw, span: t.span });
    if (kw === "null") return node({ kind: "literal", type: "null", value: "null", span: t.span });
    if (kw === "case") return caseExpr(t);
    if (t.kind === "name") return node({ kind: "column", name: t.value, span: t.span });
    if (t.kind === "lparen") {
      const inner = expression(0);
      const close = next();
      if (close.kind !== "rparen") fail(`expected ")" but found ${describe(close)}`, close.span);
      return inner;
    }
    if (t.kind === "ident" && !kw) {
      if (peek().kind !== "lparen") return node({ kind: "column", name: t.value, span: t.span });
      next();
      const args: Expr[] = [];
      let close = peek();
      if (close.kind === "rparen") next();
      else {
        for (;;) {
          args.push(expression(0));
          close = next();
          if (close.kind === "rparen") break;
          if (close.kind !== "comma") fail(`expected "," or ")" but found ${describe(close)}`, close.span);
        }
      }
      return node({ kind: "call", name: t.value.toLowerCase(), args, span: spanning(t.span, close.span), nameSpan: t.span }, args);
    }
    if (kw) return fail(`expected a value but found the keyword "${t.text}"; write [${t.text}] for a column of that name`, t.span);
    return fail(`expected a value, a column or "(" but found ${describe(t)}`, t.span);
  }

  function caseExpr(start: Token): Expr {
    const branches: { when: Expr; then: Expr }[] = [];
    while (keyword(peek()) === "when") {
      next();
      const when = expression(0);
      expectKeyword("then");
      branches.push({ when, then: expression(0) });
    }
    if (!branches.length) fail(`expected "when" after "case" but found ${describe(peek())}`, peek().span);
    let otherwise: Expr | undefined;
    if (keyword(peek()) === "else") {
      next();
      otherwise = expression(0);
    } else if (keyword(peek()) !== "end") {
      fail(`expected "when", "else" or "end" but found ${describe(peek())}`, peek().span);
    }
    const end = expectKeyword("end");
    const children = [...branches.flatMap((b) => [b.when, b.then]), ...(otherwise ? [otherwise] : [])];
    return node({ kind: "case", branches, otherwise, span: spanning(start.span, end.span) }, children);
  }

  try {
    const tree = expression(0);
    const rest = peek();
    if (rest.kind !== "eof") fail(`unexpected ${describe(rest)}; is an operator or "," missing?`, rest.span);
    return { ok: true, value: tree };
  } catch (e) {
    if (e instanceof SyntaxProblem) return { ok: false, problems: [{ code: e.code, message: e.message, span: e.span }] };
    throw e;
  }
}
