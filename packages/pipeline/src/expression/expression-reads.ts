import type { Expr } from "./ast.ts";
import { parseExpression } from "./parse.ts";

/** The columns an expression reads, split by how: for column lineage (lineage/, docs/lineage.md). */
export interface ExpressionReads {
  /** The expression is one bare column reference: its value passes through unchanged. */
  identity: boolean;
  /** Columns whose values flow into the result. */
  values: string[];
  /** Columns read only to choose a branch (a CASE's WHEN): they pick the value without being it. */
  conditions: string[];
}

/** What an expression reads, from its syntax tree; undefined when it does not parse. */
export function expressionReads(source: string): ExpressionReads | undefined {
  const parsed = parseExpression(source);
  if (!parsed.ok) return undefined;
  const values = new Set<string>();
  const conditions = new Set<string>();
  const walk = (e: Expr, inCondition: boolean): void => {
    switch (e.kind) {
      case "literal":
        return;
      case "column":
        (inCondition ? conditions : values).add(e.name);
        return;
      case "unary":
        return walk(e.arg, inCondition);
      case "binary":
        walk(e.left, inCondition);
        return walk(e.right, inCondition);
      case "call":
        // param('name') reads a parameter, not a column; its argument is a string literal.
        return e.args.forEach((a) => walk(a, inCondition));
      case "case":
        for (const b of e.branches) {
          walk(b.when, true);
          walk(b.then, inCondition);
        }
        if (e.otherwise) walk(e.otherwise, inCondition);
        return;
      default: {
        const never: never = e;
        throw new Error(`expressionReads: unknown node ${JSON.stringify(never)}`);
      }
    }
  };
  walk(parsed.value, false);
  return { identity: parsed.value.kind === "column", values: [...values], conditions: [...conditions].filter((c) => !values.has(c)) };
}
