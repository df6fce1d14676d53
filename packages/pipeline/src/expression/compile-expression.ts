import { error, fail, ok, type Column, type Issue, type Result } from "@sluice/model";
import { closestName } from "../catalog/columns.ts";
import { widen } from "../catalog/type-widening.ts";
import { quoteIdent, quoteLiteral } from "../sql/quote.ts";
import { FUNCTIONS, isNumeric, isTemporal, isText, kindFits, kindName, type ExprType } from "./functions.ts";
import { parseExpression, ExpressionSyntaxError, type Expr } from "./parse.ts";
import type { Position } from "./tokenize.ts";

export interface CompiledExpression {
  sql: string;
  type: ExprType;
  /** Columns the expression reads, for the editor and for rename checks. */
  columns: string[];
}

interface Ctx {
  columns: Column[];
  where: { nodeId: string; field: string };
  issues: Issue[];
  used: Set<string>;
}

const at = (p: Position) => `at ${p.line}:${p.column}`;
const COMPARISON = new Set(["=", "!=", "<", "<=", ">", ">="]);

function unify(a: ExprType, b: ExprType): ExprType | undefined {
  if (a === "null") return b;
  if (b === "null") return a;
  const w = widen({ type: a }, { type: b }).type;
  // Widening to text is fine for union, but in an expression it hides a mistake.
  return w === "string" && !(a === "string" && b === "string") ? undefined : w;
}

function comparable(a: ExprType, b: ExprType) {
  if (a === "null" || b === "null") return true;
  return (isNumeric(a) && isNumeric(b)) || (isTemporal(a) && isTemporal(b)) || a === b;
}

function visit(e: Expr, c: Ctx): { sql: string; type: ExprType } {
  const bad = (code: string, message: string) => {
    c.issues.push(error(code, `${message} (${at(e.pos)})`, c.where));
    return { sql: "NULL", type: "null" as ExprType };
  };
  switch (e.kind) {
    case "literal":
      if (e.type === "null") return { sql: "NULL", type: "null" };
      if (e.type === "boolean") return { sql: e.value.toUpperCase(), type: "boolean" };
      if (e.type === "string") return { sql: quoteLiteral(e.value), type: "string" };
      if (!Number.isFinite(Number(e.value))) return bad("EXPRESSION_PARSE_ERROR", `${e.value} is not a finite number`);
      return /^\d+$/.test(e.value) && Number.isSafeInteger(Number(e.value))
        ? { sql: `CAST(${e.value} AS BIGINT)`, type: "bigint" }
        : { sql: `CAST(${e.value} AS DOUBLE)`, type: "double" };
    case "column": {
      const col = c.columns.find((x) => x.name === e.name);
      if (!col) {
        const hint = closestName(e.name, c.columns.map((x) => x.name));
        return bad("UNKNOWN_COLUMN", `column "${e.name}" does not exist${hint ? `; did you mean "${hint}"?` : ""}`);
      }
      c.used.add(col.name);
      return { sql: quoteIdent(col.name), type: col.type };
    }
    case "unary": {
      const a = visit(e.arg, c);
      if (e.op === "not") {
        if (a.type !== "boolean" && a.type !== "null") return bad("EXPRESSION_TYPE_ERROR", `"not" needs true/false, not ${a.type}`);
        return { sql: `(NOT ${a.sql})`, type: "boolean" };
      }
      if (!isNumeric(a.type)) return bad("EXPRESSION_TYPE_ERROR", `"-" needs a number, not ${a.type}`);
      return { sql: `(-${a.sql})`, type: a.type };
    }
    case "binary": {
      const l = visit(e.left, c);
      const r = visit(e.right, c);
      if (e.op === "and" || e.op === "or") {
        for (const s of [l, r]) if (s.type !== "boolean" && s.type !== "null") return bad("EXPRESSION_TYPE_ERROR", `"${e.op}" needs true/false on both sides, not ${s.type}`);
        return { sql: `(${l.sql} ${e.op.toUpperCase()} ${r.sql})`, type: "boolean" };
      }
      if (COMPARISON.has(e.op)) {
        if (!comparable(l.type, r.type)) return bad("EXPRESSION_TYPE_ERROR", `cannot compare ${l.type} with ${r.type} using "${e.op}"`);
        return { sql: `(${l.sql} ${e.op} ${r.sql})`, type: "boolean" };
      }
      if (e.op === "&") return { sql: `(CAST(${l.sql} AS VARCHAR) || CAST(${r.sql} AS VARCHAR))`, type: "string" };
      if (!isNumeric(l.type) || !isNumeric(r.type)) {
        const hint = isText(l.type) || isText(r.type) ? `; join text with "&"` : "";
        return bad("EXPRESSION_TYPE_ERROR", `"${e.op}" needs numbers on both sides, not ${l.type} and ${r.type}${hint}`);
      }
      if (e.op === "/") return { sql: `(CAST(${l.sql} AS DOUBLE) / NULLIF(CAST(${r.sql} AS DOUBLE), 0))`, type: "double" };
      if (e.op === "%") return { sql: `(${l.sql} % NULLIF(${r.sql}, 0))`, type: unify(l.type, r.type) ?? "double" };
      const t = unify(l.type, r.type) ?? "double";
      return { sql: `(${l.sql} ${e.op} ${r.sql})`, type: t === "integer" ? "bigint" : t };
    }
    case "case": {
      let type: ExprType = "null";
      const parts: string[] = [];
      for (const b of e.branches) {
        const w = visit(b.when, c);
        if (w.type !== "boolean" && w.type !== "null") return bad("EXPRESSION_TYPE_ERROR", `"when" needs a true/false condition, not ${w.type}`);
        const t = visit(b.then, c);
        const u = unify(type, t.type);
        if (!u) return bad("EXPRESSION_TYPE_ERROR", `the branches of "case" give ${type} and ${t.type}; make them the same type`);
        type = u;
        parts.push(`WHEN ${w.sql} THEN ${t.sql}`);
      }
      let other = "NULL";
      if (e.otherwise) {
        const o = visit(e.otherwise, c);
        const u = unify(type, o.type);
        if (!u) return bad("EXPRESSION_TYPE_ERROR", `"else" gives ${o.type} but the branches give ${type}`);
        type = u;
        other = o.sql;
      }
      return { sql: `CAST(CASE ${parts.join(" ")} ELSE ${other} END AS ${sqlType(type)})`, type };
    }
    case "call":
      return call(e, c, bad);
    default: {
      const never: never = e;
      throw new Error(`unknown expression ${JSON.stringify(never)}`);
    }
  }
}

function call(e: Extract<Expr, { kind: "call" }>, c: Ctx, bad: (code: string, m: string) => { sql: string; type: ExprType }) {
  const fn = FUNCTIONS[e.name];
  if (!fn) {
    const hint = closestName(e.name, Object.keys(FUNCTIONS));
    return bad("UNKNOWN_FUNCTION", `there is no function "${e.name}"${hint ? `; did you mean "${hint}"?` : ""}`);
  }
  const min = fn.args.length - (fn.optional ?? 0);
  const max = fn.rest ? Infinity : fn.args.length;
  if (e.args.length < min || e.args.length > max) return bad("EXPRESSION_TYPE_ERROR", `${fn.signature} takes ${min === max ? min : `${min} to ${max === Infinity ? "any number of" : max}`} arguments, not ${e.args.length}`);
  const args = e.args.map((a) => visit(a, c));
  const literals = e.args.map((a) => (a.kind === "literal" && a.type === "string" ? a.value : undefined));
  for (const [i, a] of args.entries()) {
    const kind = fn.args[i] ?? fn.rest ?? "any";
    if (!kindFits(kind, a.type)) return bad("EXPRESSION_TYPE_ERROR", `argument ${i + 1} of ${fn.signature} must be ${kindName[kind]}, not ${a.type}`);
    const lit = fn.literalArgs?.[i];
    if (lit) {
      const value = literals[i];
      if (value === undefined) return bad("EXPRESSION_TYPE_ERROR", `argument ${i + 1} of ${fn.signature} must be written as text in quotes`);
      if (lit !== "any" && !lit.includes(value.toLowerCase())) return bad("EXPRESSION_TYPE_ERROR", `"${value}" is not one of ${lit.join(", ")}`);
      literals[i] = value.toLowerCase() === value ? value : lit === "any" ? value : value.toLowerCase();
    }
  }
  if (e.name === "if" && args[0] && args[0].type !== "boolean" && args[0].type !== "null") return bad("EXPRESSION_TYPE_ERROR", `the condition of if() must be true/false, not ${args[0].type}`);
  const types = args.map((a) => a.type);
  if (["coalesce", "least", "greatest", "min", "max", "if"].includes(e.name)) {
    const vals = e.name === "if" ? types.slice(1) : types;
    let t: ExprType = "null";
    for (const x of vals) {
      const u = unify(t, x);
      if (!u) return bad("EXPRESSION_TYPE_ERROR", `${fn.signature} mixes ${t} and ${x}; make them the same type`);
      t = u;
    }
    const sqlArgs = args.map((a, i) => (e.name === "if" && i === 0 ? a.sql : `CAST(${a.sql} AS ${sqlType(t)})`));
    return { sql: fn.sql(sqlArgs, types, literals), type: t };
  }
  return { sql: fn.sql(args.map((a) => a.sql), types, literals), type: fn.returns(types) };
}

export function sqlType(t: ExprType): string {
  switch (t) {
    case "string":
      return "VARCHAR";
    case "integer":
      return "INTEGER";
    case "bigint":
      return "BIGINT";
    case "decimal":
    case "double":
    case "null":
      return "DOUBLE";
    case "boolean":
      return "BOOLEAN";
    case "date":
      return "DATE";
    case "timestamp":
      return "TIMESTAMP";
    case "json":
      return "JSON";
    default: {
      const never: never = t;
      throw new Error(`unknown type ${String(never)}`);
    }
  }
}

/** Parses, type-checks against the input columns and compiles to DuckDB SQL; never passes text through as SQL. */
export function compileExpression(source: string, columns: Column[], where: { nodeId: string; field: string }): Result<CompiledExpression> {
  let tree: Expr;
  try {
    tree = parseExpression(source);
  } catch (e) {
    if (e instanceof ExpressionSyntaxError) return fail(error("EXPRESSION_PARSE_ERROR", `Expression: ${e.message}.`, where));
    throw e;
  }
  const ctx: Ctx = { columns, where, issues: [], used: new Set() };
  const out = visit(tree, ctx);
  if (ctx.issues.length) return fail(...ctx.issues);
  return ok({ sql: out.sql, type: out.type, columns: [...ctx.used] });
}
