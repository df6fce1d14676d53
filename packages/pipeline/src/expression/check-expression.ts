import type { Column, ColumnType } from "@sluice/model";
import { closestName, hintsLeft } from "../catalog/columns.ts";
import type { BinaryOp, Expr, ExpressionErrorCode, ExpressionProblem, ExprType, Span } from "./ast.ts";
import { FUNCTIONS, KIND_NAMES, isNumberType, isTemporalType, kindFits, lookupFunction, wholeResult } from "./functions.ts";
import { checkLiteral, replacementProblem } from "./literal-rules.ts";
import type { ResolvedParameter, ResolvedParameters } from "../graph/resolve-parameters.ts";

export interface ExpressionCheck {
  /** The result type; "null" when the expression is a bare null or could not be typed. */
  type: ExprType;
  /** The result type as messages name it: "decimal" for a bare decimal column, which computes as double. */
  typeName: string;
  /** Input columns the expression reads, in order of first use. */
  columns: string[];
  /** Everything wrong, in text order of discovery; empty when the expression can be compiled. */
  problems: ExpressionProblem[];
  /** The type of every sub-expression, for the compiler and for editor hovers. */
  types: ReadonlyMap<Expr, ExprType>;
  /** Per call, its quoted-text arguments after checking (units lower-cased). */
  literals: ReadonlyMap<Expr, (string | undefined)[]>;
  /** The declared type of each column read (decimal columns read as double). */
  columnTypes: ReadonlyMap<string, ColumnType>;
  /** Per param('name') call, the parameter it reads. */
  params: ReadonlyMap<Expr, ResolvedParameter>;
}

export interface CheckOptions {
  /** Names that exist but whose type is unknown (say, an earlier derivation failed): they fit anywhere, silently. */
  opaque?: ReadonlySet<string>;
  /** The pipeline's parameters, for param('name'); without them every param() call is an unknown parameter. */
  params?: ResolvedParameters | undefined;
}

/**
 * Characters of parameter values that param() calls may still write into SQL; unlimited except inside
 * withParameterText. Each call writes its value where it stands, so a 10,000-character value read 900 times in
 * each of 10 expressions (a 110 kB pipeline) made 90 MB of SQL, and 100 such expressions more than a string holds.
 */
let parameterText = Infinity;
let parameterTextLimit = Infinity;

/** Runs `run` with at most `chars` of parameter values written by all the param() calls it checks (PARAMETERS_TOO_LARGE past it). */
export function withParameterText<T>(chars: number, run: () => T): T {
  const outer = [parameterText, parameterTextLimit] as const;
  parameterText = parameterTextLimit = chars;
  try {
    return run();
  } finally {
    [parameterText, parameterTextLimit] = outer;
  }
}

const COMPARISON = new Set<BinaryOp>(["=", "!=", "<", "<=", ">", ">="]);
const ARITHMETIC = new Set<BinaryOp>(["+", "-", "*", "%"]);

/** The type two values meet at (case branches, coalesce), or undefined when they do not mix. */
export function unify(a: ExprType, b: ExprType): ExprType | undefined {
  if (a === "null") return b;
  if (b === "null" || a === b) return a;
  if (isNumberType(a) && isNumberType(b)) return a === "double" || b === "double" || a === "decimal" || b === "decimal" ? "double" : "bigint";
  if (isTemporalType(a) && isTemporalType(b)) return "timestamp";
  return undefined;
}

const comparable = (a: ExprType, b: ExprType) => unify(a, b) !== undefined;

/** Whole numbers that fit 64 bits are bigint; every other number is double. */
export const numberLiteralType = (text: string): "bigint" | "double" =>
  /^\d+$/.test(text) && BigInt(text) <= 9223372036854775807n ? "bigint" : "double";

/**
 * Types an expression against the input columns. Never throws and never stops at the first problem: a part
 * that fails is treated as a null of unknown type, so one mistake does not cascade into others.
 */
export function checkExpression(ast: Expr, columns: readonly Column[], options: CheckOptions = {}): ExpressionCheck {
  const types = new Map<Expr, ExprType>();
  const literals = new Map<Expr, (string | undefined)[]>();
  const columnTypes = new Map<string, ColumnType>();
  const paramsRead = new Map<Expr, ResolvedParameter>();
  const used: string[] = [];
  const usedSet = new Set<string>();
  const use = (name: string) => {
    if (usedSet.has(name)) return;
    usedSet.add(name);
    used.push(name);
  };
  const problems: ExpressionProblem[] = [];
  const report = (code: ExpressionErrorCode, message: string, span: Span): ExprType => {
    problems.push({ code, message, span });
    return "null";
  };
  /**
   * A checked sub-expression's type in words for a message. A decimal column computes as double, but its user knows
   * it as decimal (the catalog's name): "not double" about it reads as a different column.
   */
  const named = (e: Expr): string => (e.kind === "column" && columnTypes.get(e.name) === "decimal" ? "decimal" : (types.get(e) ?? "null"));
  /** The name for the type `so far` has after `e` joined it (case branches, coalesce's arguments). */
  const joined = (so: { type: ExprType; name: string }, e: Expr, type: ExprType) => ({ type, name: so.type === "null" || so.name === named(e) ? named(e) : type });

  function visit(e: Expr): ExprType {
    const t = typeOf(e);
    types.set(e, t);
    return t;
  }

  function typeOf(e: Expr): ExprType {
    switch (e.kind) {
      case "literal":
        if (e.type === "number") return numberLiteralType(e.value);
        return e.type === "string" ? "string" : e.type === "boolean" ? "boolean" : "null";
      case "column":
        return column(e);
      case "unary": {
        const a = visit(e.arg);
        if (e.op === "not") return a === "boolean" || a === "null" ? "boolean" : report("EXPRESSION_TYPE_ERROR", `"not" needs true/false, not ${named(e.arg)}`, e.span);
        return kindFits("number", a) ? wholeResult(a) : report("EXPRESSION_TYPE_ERROR", `"${e.op}" needs a number, not ${named(e.arg)}`, e.span);
      }
      case "binary":
        return binary(e);
      case "case": {
        let so = { type: "null" as ExprType, name: "null" };
        for (const b of e.branches) {
          const w = visit(b.when);
          if (w !== "boolean" && w !== "null") report("EXPRESSION_TYPE_ERROR", `"when" needs a true/false condition, not ${named(b.when)}`, b.when.span);
          const u = unify(so.type, visit(b.then));
          if (!u) return report("EXPRESSION_TYPE_ERROR", `the branches of "case" give ${so.name} and ${named(b.then)}; make them the same type`, b.then.span);
          so = joined(so, b.then, u);
        }
        if (e.otherwise) {
          const u = unify(so.type, visit(e.otherwise));
          if (!u) return report("EXPRESSION_TYPE_ERROR", `"else" gives ${named(e.otherwise)} but the branches give ${so.name}; make them the same type`, e.otherwise.span);
          so = joined(so, e.otherwise, u);
        }
        return so.type;
      }
      case "call":
        return call(e);
      default: {
        const never: never = e;
        throw new Error(`unknown expression ${JSON.stringify(never)}`);
      }
    }
  }

  // Built on first use: an expression may read thousands of columns of an input of thousands.
  let columnsByName: Map<string, Column> | undefined;
  const byName = () => {
    if (!columnsByName) {
      columnsByName = new Map();
      for (const c of columns) if (!columnsByName.has(c.name)) columnsByName.set(c.name, c);
    }
    return columnsByName;
  };

  function column(e: Extract<Expr, { kind: "column" }>): ExprType {
    if (options.opaque?.has(e.name)) {
      use(e.name);
      return "null";
    }
    const col = byName().get(e.name);
    if (!col) {
      const hint = hintsLeft() ? closestName(e.name, columns.map((c) => c.name)) : undefined;
      const call = lookupFunction(e.name.toLowerCase()) ? `; to call the function, write ${e.name}(…)` : "";
      return report("UNKNOWN_COLUMN", `column "${e.name}" does not exist${hint ? `; did you mean "${hint}"?` : ""}${call}`, e.span);
    }
    use(col.name);
    columnTypes.set(col.name, col.type);
    return col.type === "decimal" ? "double" : col.type;
  }

  function binary(e: Extract<Expr, { kind: "binary" }>): ExprType {
    const l = visit(e.left);
    const r = visit(e.right);
    const bad = (message: string) => report("EXPRESSION_TYPE_ERROR", message, e.opSpan);
    if (e.op === "and" || e.op === "or") {
      const wrong = [e.left, e.right].find((x) => types.get(x) !== "boolean" && types.get(x) !== "null");
      return wrong ? bad(`"${e.op}" needs true/false on both sides, not ${named(wrong)}`) : "boolean";
    }
    if (COMPARISON.has(e.op)) {
      if (comparable(l, r)) return "boolean";
      // to_number() takes no date: a date is compared with text read as a date, or its parts with numbers.
      const dated = isTemporalType(l) || isTemporalType(r);
      const other = isTemporalType(l) ? r : l;
      const hint = !dated
        ? "convert one side with to_number() or to_string()"
        : other === "string"
          ? "read the text as a date with parse_date(text, '%Y-%m-%d')"
          : isNumberType(other)
            ? "compare a part of the date with the number (year(), month(), day())"
            : "a date compares only with dates and timestamps";
      return bad(`cannot compare ${named(e.left)} with ${named(e.right)} using "${e.op}"; ${hint}`);
    }
    if (e.op === "&") return "string";
    if (!kindFits("number", l) || !kindFits("number", r)) {
      const hint =
        l === "string" || r === "string"
          ? `; join text with "&"`
          : isTemporalType(l) || isTemporalType(r)
            ? `; use date_add() or date_diff() for dates`
            : "";
      return bad(`"${e.op}" needs numbers on both sides, not ${named(e.left)} and ${named(e.right)}${hint}`);
    }
    if (e.op === "/") return "double";
    if (ARITHMETIC.has(e.op)) return wholeResult(unify(l, r)!);
    throw new Error(`unknown operator ${e.op}`);
  }

  /** param('name'): the run's value of a declared parameter, typed as the parameter is. */
  function param(e: Extract<Expr, { kind: "call" }>): ExprType {
    const [arg, ...extra] = e.args;
    if (!arg || extra.length > 0 || arg.kind !== "literal" || arg.type !== "string") {
      return report("EXPRESSION_TYPE_ERROR", `param() takes the parameter's name in quotes, e.g. param('start_date')`, e.span);
    }
    types.set(arg, "string");
    const found = options.params?.get(arg.value);
    if (!found) {
      const names = [...(options.params?.keys() ?? [])];
      const hint = closestName(arg.value, names);
      const declare = names.length ? "" : "; declare it under the pipeline's Parameters";
      return report("UNKNOWN_PARAMETER", `there is no parameter "${arg.value}"${hint ? `; did you mean "${hint}"?` : declare}`, arg.span);
    }
    const length = String(found.value).length;
    if (length > parameterText) {
      const message = `the param() calls of this pipeline's expressions write more than ${parameterTextLimit.toLocaleString("en-US")} characters of parameter values into its SQL (each call writes its value); read a long value once into a column with a derive node and use the column`;
      return report("PARAMETERS_TOO_LARGE", message, e.span);
    }
    parameterText -= length;
    paramsRead.set(e, found);
    return found.type;
  }

  function call(e: Extract<Expr, { kind: "call" }>): ExprType {
    if (e.name === "param") return param(e);
    const fn = lookupFunction(e.name);
    if (!fn) {
      e.args.forEach(visit);
      const hint = closestName(e.name, Object.keys(FUNCTIONS));
      return report("UNKNOWN_FUNCTION", `there is no function "${e.name}"${hint ? `; did you mean "${hint}"?` : ""}`, e.nameSpan);
    }
    const argTypes = e.args.map(visit);
    const min = fn.args.length - (fn.optional ?? 0);
    const max = fn.rest ? Infinity : fn.args.length;
    if (e.args.length < min || e.args.length > max) {
      const count = min === max ? `${min}` : max === Infinity ? `at least ${min}` : `${min} or ${max}`;
      return report("EXPRESSION_TYPE_ERROR", `${fn.signature} takes ${count} argument${/(^| )1$/.test(count) ? "" : "s"}, not ${e.args.length}`, e.span);
    }
    const lits: (string | undefined)[] = e.args.map(() => undefined);
    let failed = false;
    e.args.forEach((arg, i) => {
      const kind = fn.args[i] ?? fn.rest ?? "any";
      const t = argTypes[i]!;
      if (!kindFits(kind, t)) {
        failed = true;
        report("EXPRESSION_TYPE_ERROR", `argument ${i + 1} of ${fn.signature} must be ${KIND_NAMES[kind]}, not ${named(arg)}`, arg.span);
      }
      const rule = fn.literals?.[i];
      if (!rule) return;
      if (arg.kind !== "literal" || arg.type !== "string") {
        failed = true;
        report("EXPRESSION_TYPE_ERROR", `argument ${i + 1} of ${fn.signature} must be written as quoted text`, arg.span);
        return;
      }
      const checked = checkLiteral(rule, arg.value);
      if (checked.error !== undefined) {
        failed = true;
        report("EXPRESSION_TYPE_ERROR", checked.error, arg.span);
      } else lits[i] = checked.value;
    });
    if (failed) return "null";
    // A replacement written as quoted text is checked as RE2 reads it (one from a column is used as it comes).
    const replacement = e.args[2];
    if (fn === FUNCTIONS.regex_replace && lits[1] !== undefined && replacement?.kind === "literal" && replacement.type === "string") {
      const problem = replacementProblem(lits[1], replacement.value);
      if (problem) return report("EXPRESSION_TYPE_ERROR", problem, replacement.span);
    }
    literals.set(e, lits);
    if (!fn.common) return fn.returns(argTypes, lits);
    let so = { type: "null" as ExprType, name: "null" };
    for (const [i, t] of argTypes.entries()) {
      if (fn.common === "after-first" && i === 0) continue;
      const arg = e.args[i]!;
      const u = unify(so.type, t);
      if (!u) return report("EXPRESSION_TYPE_ERROR", `${fn.signature} mixes ${so.name} and ${named(arg)}; convert with to_string() or to_number()`, arg.span);
      so = joined(so, arg, u);
    }
    return so.type;
  }

  const type = visit(ast);
  return { type, typeName: named(ast), columns: used, problems, types, literals, columnTypes, params: paramsRead };
}
