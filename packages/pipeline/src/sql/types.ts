import type { Column, ColumnType } from "@sluice/model";
import { quoteLiteral } from "./quote.ts";

/** The DuckDB type a logical column type is stored as. */
export function duckType(column: Pick<Column, "type" | "precision" | "scale">): string {
  const t: ColumnType = column.type;
  switch (t) {
    case "string":
      return "VARCHAR";
    case "integer":
      return "INTEGER";
    case "bigint":
      return "BIGINT";
    case "double":
      return "DOUBLE";
    case "decimal":
      return `DECIMAL(${column.precision ?? 18},${column.scale ?? 3})`;
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
      throw new Error(`unknown column type ${String(never)}`);
    }
  }
}

/** Maps a DuckDB type name (as DuckDB reports it) back to a logical type. */
export function logicalType(duck: string): Pick<Column, "type" | "precision" | "scale"> {
  const u = duck.toUpperCase();
  const dec = /^DECIMAL\((\d+),\s*(\d+)\)$/.exec(u);
  if (dec) return { type: "decimal", precision: Number(dec[1]), scale: Number(dec[2]) };
  if (["TINYINT", "SMALLINT", "INTEGER", "UTINYINT", "USMALLINT"].includes(u)) return { type: "integer" };
  if (["BIGINT", "UINTEGER", "UBIGINT", "HUGEINT", "UHUGEINT"].includes(u)) return { type: "bigint" };
  if (["DOUBLE", "FLOAT", "REAL"].includes(u)) return { type: "double" };
  if (u === "BOOLEAN") return { type: "boolean" };
  if (u === "DATE") return { type: "date" };
  if (u.startsWith("TIMESTAMP")) return { type: "timestamp" };
  if (u === "JSON" || u.startsWith("STRUCT") || u.endsWith("[]") || u.startsWith("MAP")) return { type: "json" };
  return { type: "string" };
}

/** A typed SQL literal for a JS value, e.g. for inline tables and fill values. */
export function typedLiteral(value: unknown, column: Pick<Column, "type" | "precision" | "scale">): string {
  if (value === null || value === undefined) return `CAST(NULL AS ${duckType(column)})`;
  const text = typeof value === "string" ? value : typeof value === "object" ? JSON.stringify(value) : String(value);
  return `CAST(${quoteLiteral(text)} AS ${duckType(column)})`;
}
