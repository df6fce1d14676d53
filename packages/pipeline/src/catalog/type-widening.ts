import type { Column } from "@sluice/model";
import type { Dialect } from "../sql/dialect.ts";

export type ColumnShape = Pick<Column, "type" | "precision" | "scale">;

const NUMERIC_RANK: Partial<Record<Column["type"], number>> = { integer: 1, bigint: 2, decimal: 3, double: 4 };
/** Digits left of the point that each exact type needs. */
const INTEGER_DIGITS: Partial<Record<Column["type"], number>> = { integer: 10, bigint: 19 };
const MAX_DECIMAL_PRECISION = 38;
/** duckType's defaults for a decimal without precision or scale. */
const DEFAULT_PRECISION = 18;
const DEFAULT_SCALE = 3;

const scaleOf = (c: ColumnShape) => (c.type === "decimal" ? (c.scale ?? DEFAULT_SCALE) : 0);
const integerDigitsOf = (c: ColumnShape) =>
  c.type === "decimal" ? (c.precision ?? DEFAULT_PRECISION) - (c.scale ?? DEFAULT_SCALE) : (INTEGER_DIGITS[c.type] ?? 0);

/**
 * The narrowest type that holds values of both columns, used where columns of different inputs meet
 * (union, unpivot). Numbers widen integer → bigint → decimal → double; a decimal that would need more than
 * 38 digits to hold both sides becomes double; date and timestamp meet at timestamp; equal types stay;
 * anything else mixed (including anything with string) becomes string.
 */
export function widen(a: ColumnShape, b: ColumnShape): ColumnShape {
  if (a.type === b.type && a.type !== "decimal") return { type: a.type };
  const ra = NUMERIC_RANK[a.type];
  const rb = NUMERIC_RANK[b.type];
  if (ra !== undefined && rb !== undefined) {
    if (a.type === "double" || b.type === "double") return { type: "double" };
    if (a.type !== "decimal" && b.type !== "decimal") return { type: ra > rb ? a.type : b.type };
    const scale = Math.max(scaleOf(a), scaleOf(b));
    const precision = Math.max(integerDigitsOf(a), integerDigitsOf(b)) + scale;
    return precision > MAX_DECIMAL_PRECISION ? { type: "double" } : { type: "decimal", precision, scale };
  }
  if ((a.type === "date" && b.type === "timestamp") || (a.type === "timestamp" && b.type === "date")) return { type: "timestamp" };
  return { type: "string" };
}

/** Widens a non-empty list of columns left to right. */
export function widenAll(columns: readonly ColumnShape[]): ColumnShape | undefined {
  const [first, ...rest] = columns;
  if (!first) return undefined;
  return rest.reduce<ColumnShape>((acc, c) => widen(acc, c), first.type === "decimal" ? widen(first, first) : { type: first.type });
}

/**
 * `sql`, a value of column `from`, as the widened type `to`: a number, date or boolean widened to text is written as
 * DuckDB writes it (`100.0`, `1e+300`, `true`) in every dialect, where PostgreSQL's own cast of a double says `100`.
 */
export function castWidened(sql: string, from: ColumnShape, to: ColumnShape, d: Dialect): string {
  if (to.type === "string" && from.type !== "string") return d.toText(sql, from.type);
  return `CAST(${sql} AS ${d.type(to)})`;
}
