import type { ColumnType } from "@sluice/model";

/** A place in the expression text. `offset` counts UTF-16 units (as editors do); `column` counts characters from 1. */
export interface Position {
  offset: number;
  line: number;
  column: number;
}

/** From `start` up to (not including) `end`. */
export interface Span {
  start: Position;
  end: Position;
}

export type BinaryOp = "or" | "and" | "=" | "!=" | "<" | "<=" | ">" | ">=" | "&" | "+" | "-" | "*" | "/" | "%";
export type UnaryOp = "-" | "+" | "not";

/** The syntax tree; every node keeps the span of text it was parsed from. */
export type Expr =
  | { kind: "literal"; type: "number" | "string" | "boolean" | "null"; value: string; span: Span }
  | { kind: "column"; name: string; span: Span }
  | { kind: "unary"; op: UnaryOp; arg: Expr; span: Span }
  | { kind: "binary"; op: BinaryOp; left: Expr; right: Expr; span: Span; opSpan: Span }
  | { kind: "call"; name: string; args: Expr[]; span: Span; nameSpan: Span }
  | { kind: "case"; branches: { when: Expr; then: Expr }[]; otherwise: Expr | undefined; span: Span };

/** The type of a value in an expression: a column type, or "null" for a bare `null` (it fits anything). */
export type ExprType = ColumnType | "null";

export type ExpressionErrorCode = "EXPRESSION_PARSE_ERROR" | "EXPRESSION_TOO_DEEP" | "EXPRESSION_TYPE_ERROR" | "UNKNOWN_COLUMN" | "UNKNOWN_FUNCTION" | "UNKNOWN_PARAMETER" | "PARAMETERS_TOO_LARGE";

/** A problem in an expression, with the span an editor should underline. */
export interface ExpressionProblem {
  code: ExpressionErrorCode;
  /** For people; does not repeat the position (see `where`). */
  message: string;
  span: Span;
}

/** "at 1:14", as issue messages show positions. */
export const where = (p: Position) => `at ${p.line}:${p.column}`;
