import { ExpressionSyntaxError, tokenize, type Position, type Token } from "./tokenize.ts";

export type Expr =
  | { kind: "literal"; type: "number" | "string" | "boolean" | "null"; value: string; pos: Position }
  | { kind: "column"; name: string; pos: Position }
  | { kind: "unary"; op: "-" | "not"; arg: Expr; pos: Position }
  | { kind: "binary"; op: string; left: Expr; right: Expr; pos: Position }
  | { kind: "call"; name: string; args: Expr[]; pos: Position }
  | { kind: "case"; branches: { when: Expr; then: Expr }[]; otherwise: Expr | undefined; pos: Position };

const KEYWORDS = new Set(["and", "or", "not", "true", "false", "null", "case", "when", "then", "else", "end"]);

/** Binding power of infix operators: higher binds tighter. */
const INFIX: Record<string, number> = { or: 1, and: 2, "=": 4, "!=": 4, "<": 4, "<=": 4, ">": 4, ">=": 4, "&": 5, "+": 6, "-": 6, "*": 7, "/": 7, "%": 7 };

const describe = (t: Token) => (t.kind === "eof" ? "the end of the expression" : `"${t.text}"`);

/** A recursive-descent (Pratt) parser; every node keeps its position for error messages. */
export function parseExpression(source: string): Expr {
  const tokens = tokenize(source);
  let i = 0;
  const peek = () => tokens[i]!;
  const next = () => tokens[i++]!;
  const keyword = (t: Token) => (t.kind === "ident" && t.text === t.value && KEYWORDS.has(t.value.toLowerCase()) ? t.value.toLowerCase() : undefined);
  const expectKeyword = (k: string) => {
    const t = next();
    if (keyword(t) !== k) throw new ExpressionSyntaxError(`expected "${k}" but found ${describe(t)}`, t.pos);
  };
  const infixOp = (t: Token) => (t.kind === "op" ? t.value : (keyword(t) === "and" || keyword(t) === "or" ? keyword(t) : undefined));

  function expression(minPower: number): Expr {
    let left = prefix();
    for (;;) {
      const t = peek();
      const op = infixOp(t);
      const power = op ? INFIX[op] : undefined;
      if (!op || power === undefined || power <= minPower) return left;
      next();
      const right = expression(power);
      left = { kind: "binary", op, left, right, pos: t.pos };
      // Comparisons do not chain: a < b < c is almost always a mistake.
      if (power === 4 && INFIX[infixOp(peek()) ?? ""] === 4) {
        throw new ExpressionSyntaxError(`comparisons cannot be chained; combine them with "and"`, peek().pos);
      }
    }
  }

  function prefix(): Expr {
    const t = next();
    const kw = keyword(t);
    if (kw === "not") return { kind: "unary", op: "not", arg: expression(3), pos: t.pos };
    if (t.kind === "op" && t.value === "-") return { kind: "unary", op: "-", arg: expression(8), pos: t.pos };
    if (t.kind === "op" && t.value === "+") return expression(8);
    if (t.kind === "number") return { kind: "literal", type: "number", value: t.value, pos: t.pos };
    if (t.kind === "string") return { kind: "literal", type: "string", value: t.value, pos: t.pos };
    if (kw === "true" || kw === "false") return { kind: "literal", type: "boolean", value: kw, pos: t.pos };
    if (kw === "null") return { kind: "literal", type: "null", value: "null", pos: t.pos };
    if (kw === "case") return caseExpr(t);
    if (t.kind === "lparen") {
      const inner = expression(0);
      const close = next();
      if (close.kind !== "rparen") throw new ExpressionSyntaxError(`expected ")" but found ${describe(close)}`, close.pos);
      return inner;
    }
    if (t.kind === "ident" && !kw) {
      if (peek().kind === "lparen" && t.text === t.value) {
        next();
        const args: Expr[] = [];
        if (peek().kind !== "rparen") {
          for (;;) {
            args.push(expression(0));
            const sep = next();
            if (sep.kind === "rparen") break;
            if (sep.kind !== "comma") throw new ExpressionSyntaxError(`expected "," or ")" but found ${describe(sep)}`, sep.pos);
          }
        } else next();
        return { kind: "call", name: t.value.toLowerCase(), args, pos: t.pos };
      }
      return { kind: "column", name: t.value, pos: t.pos };
    }
    throw new ExpressionSyntaxError(`expected a value, a column or "(" but found ${describe(t)}`, t.pos);
  }

  function caseExpr(start: Token): Expr {
    const branches: { when: Expr; then: Expr }[] = [];
    while (keyword(peek()) === "when") {
      next();
      const when = expression(0);
      expectKeyword("then");
      branches.push({ when, then: expression(0) });
    }
    if (!branches.length) throw new ExpressionSyntaxError(`expected "when" after "case"`, peek().pos);
    let otherwise: Expr | undefined;
    if (keyword(peek()) === "else") {
      next();
      otherwise = expression(0);
    }
    expectKeyword("end");
    return { kind: "case", branches, otherwise, pos: start.pos };
  }

  const tree = expression(0);
  const rest = peek();
  if (rest.kind !== "eof") throw new ExpressionSyntaxError(`unexpected ${describe(rest)}; is an operator or "," missing?`, rest.pos);
  return tree;
}

export { ExpressionSyntaxError };
