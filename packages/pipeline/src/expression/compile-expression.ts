import { error, failAll, ok, type Column, type Issue, type Result } from "@sluice/model";
import { quoteIdent, quoteLiteral } from "../sql/quote.ts";
import type { Dialect } from "../sql/dialect.ts";
import { duckdbDialect } from "../sql/duckdb-dialect.ts";
import { where as at, type Expr, type ExpressionProblem, type ExprType } from "./ast.ts";
import { checkExpression, numberLiteralType, type CheckOptions, type ExpressionCheck } from "./check-expression.ts";
import { KIND_NULL_TYPE, lookupFunction } from "./functions.ts";
import { parseExpression } from "./parse.ts";

export interface CompiledExpression {
  /** A SQL expression (in the dialect it was compiled for) over the input relation's columns. */
  sql: string;
  type: ExprType;
  /** The type as messages name it ("decimal" for a bare decimal column, which computes as double). */
  typeName: string;
  /** Input columns the expression reads, for the editor and for rename checks. */
  columns: string[];
}

/** The SQL type values of an expression type are held in: decimals compute as doubles, a bare null as text. */
export function sqlType(t: ExprType, d: Dialect = duckdbDialect): string {
  if (t === "null") return d.type({ type: "string" });
  if (t === "decimal") return d.type({ type: "double" });
  return d.type({ type: t });
}

/**
 * SQL for a checked expression. Every piece of user text reaches SQL through quoteIdent (columns),
 * quoteLiteral (text) or as a number re-printed by JavaScript; operators and functions come from our tables.
 * Throws if called on an expression whose check found problems: that is a bug in the caller.
 */
export function expressionSql(ast: Expr, check: ExpressionCheck, d: Dialect): string {
  if (check.problems.length) throw new Error("expressionSql called on an expression with problems");
  const cast = (sql: string, t: ExprType) => `CAST(${sql} AS ${sqlType(t, d)})`;
  const typeOf = (e: Expr) => {
    const t = check.types.get(e);
    if (t === undefined) throw new Error("expression node was not checked");
    return t;
  };

  function sql(e: Expr): string {
    const type = typeOf(e);
    // An expression typed null is null on every row (a bare null, or if/case/coalesce of nulls).
    if (type === "null") return "NULL";
    switch (e.kind) {
      case "literal":
        if (e.type === "string") return d.textLiteral(e.value);
        if (e.type === "boolean") return e.value === "true" ? "TRUE" : "FALSE";
        if (numberLiteralType(e.value) === "bigint") return `CAST(${BigInt(e.value).toString()} AS BIGINT)`;
        // From text, which both engines round correctly: DuckDB reads a bare 0.013955379771008537 as a decimal first,
        // and that decimal as a double one bit off (about one value in ten of 17 significant digits).
        return `CAST('${String(Number(e.value))}' AS ${sqlType("double", d)})`;
      case "column":
        return check.columnTypes.get(e.name) === "decimal" ? cast(quoteIdent(e.name), "double") : quoteIdent(e.name);
      case "unary":
        if (e.op === "not") return `(NOT ${sql(e.arg)})`;
        if (e.op === "+") return cast(sql(e.arg), type);
        return type === "bigint" ? d.negateWhole(cast(sql(e.arg), type)) : `(-(${sql(e.arg)}))`;
      case "binary":
        return binary(e, type);
      case "case": {
        const branches = e.branches.map((b) => `WHEN ${sql(b.when)} THEN ${cast(sql(b.then), type)}`);
        return `CASE ${branches.join(" ")} ELSE ${e.otherwise ? cast(sql(e.otherwise), type) : "NULL"} END`;
      }
      case "call":
        return call(e, type);
      default: {
        const never: never = e;
        throw new Error(`unknown expression ${JSON.stringify(never)}`);
      }
    }
  }

  /** An operand of & as text, spelled as DuckDB spells its type (a decimal column computes as a double). */
  const text = (e: Expr, s: string) => {
    const t = typeOf(e);
    return d.toText(s, t === "decimal" ? "double" : t);
  };

  function binary(e: Extract<Expr, { kind: "binary" }>, type: ExprType): string {
    const l = sql(e.left);
    const r = sql(e.right);
    switch (e.op) {
      case "and":
      case "or":
        return `(${l} ${e.op.toUpperCase()} ${r})`;
      case "=":
      case "!=":
        return `(${l} ${e.op} ${r})`;
      case "<":
      case "<=":
      case ">":
      case ">=":
        // Text by code point in every dialect (Dialect.textOrder); one side's collation decides for both.
        if (typeOf(e.left) === "string") return `(${d.textOrder(l)} ${e.op} ${r})`;
        return typeOf(e.right) === "string" ? `(${l} ${e.op} ${d.textOrder(r)})` : `(${l} ${e.op} ${r})`;
      case "&":
        return `(${text(e.left, l)} || ${text(e.right, r)})`;
      case "/":
        return d.divide(cast(l, "double"), cast(r, "double"));
      case "+":
      case "-":
      case "*":
      case "%": {
        // Whole numbers that overflow 64 bits, and doubles that overflow to infinity, give null.
        return d.arithmetic(e.op, cast(l, type), cast(r, type), type === "bigint");
      }
      default: {
        const never: never = e.op;
        throw new Error(`unknown operator ${String(never)}`);
      }
    }
  }

  function call(e: Extract<Expr, { kind: "call" }>, type: ExprType): string {
    const p = check.params.get(e);
    // The value goes in as a quoted literal cast to its type, like every other user value.
    if (p) return typeof p.value === "boolean" ? (p.value ? "TRUE" : "FALSE") : cast(quoteLiteral(String(p.value)), p.type);
    const fn = lookupFunction(e.name)!;
    const lits = check.literals.get(e) ?? [];
    const types = e.args.map(typeOf);
    const args = e.args.map((arg, i) => {
      const literal = lits[i];
      if (literal !== undefined) return quoteLiteral(literal);
      const inCommon = fn.common === "all" || (fn.common === "after-first" && i > 0);
      if (inCommon) return cast(sql(arg), type);
      if (types[i] === "null") return d.literal(null, KIND_NULL_TYPE[fn.args[i] ?? fn.rest ?? "any"]);
      return sql(arg);
    });
    return fn.sql(args, types, lits, d);
  }

  return sql(ast);
}

/** Issues for a node: the position goes into the message ("… (at 1:14)"), the node's field into `field`. */
export function expressionIssues(problems: ExpressionProblem[], place: { nodeId: string; field: string }): Issue[] {
  return problems.map((p) => error(p.code, `${p.message} (${at(p.span.start)})`, place));
}

/** Parses, type-checks against the input columns and compiles to SQL; never passes text through as SQL. */
export function compileExpression(
  source: string,
  columns: readonly Column[],
  place: { nodeId: string; field: string },
  options: CheckOptions & {
    /** The dialect of the SQL; schema inference, which reads only the type, may leave it to DuckDB's. */
    dialect?: Dialect | undefined;
  } = {},
): Result<CompiledExpression> {
  const parsed = parseExpression(source);
  if (!parsed.ok) return failAll(expressionIssues(parsed.problems, place));
  const check = checkExpression(parsed.value, columns, options);
  if (check.problems.length) return failAll(expressionIssues(check.problems, place));
  return ok({ sql: expressionSql(parsed.value, check, options.dialect ?? duckdbDialect), type: check.type, typeName: check.typeName, columns: check.columns });
}
