import type { Column } from "@sluice/model";

/** DuckDB's widest decimal; wider Postgres numerics are read as double. */
const MAX_DECIMAL_PRECISION = 38;
/** An unconstrained numeric (e.g. a SUM) has no declared scale; it is read with this one. */
export const UNCONSTRAINED_NUMERIC = { precision: 38, scale: 9 } as const;

export interface PgTypeInfo {
  /** Name of the type, or of a domain's base type. */
  name: string;
  /** pg_type.typcategory: "A" array, "C" composite, "E" enum, … */
  category: string;
  /** The column's type modifier (-1 when none). */
  typmod: number;
}

/**
 * The Sluice column type a Postgres type is read as. Anything without a closer match (text, varchar, uuid,
 * time, interval, inet, money, enums, bytea, …) is read as a string in Postgres's own text form.
 */
export function sluiceTypeOf(t: PgTypeInfo): Pick<Column, "type" | "precision" | "scale"> {
  switch (t.name) {
    case "bool":
      return { type: "boolean" };
    case "int2":
    case "int4":
      return { type: "integer" };
    case "int8":
    case "oid":
      return { type: "bigint" };
    case "float4":
    case "float8":
      return { type: "double" };
    case "numeric": {
      if (t.typmod < 4) return { type: "decimal", ...UNCONSTRAINED_NUMERIC };
      const precision = ((t.typmod - 4) >> 16) & 0xffff;
      const scale = (t.typmod - 4) & 0xffff;
      // Postgres 15 allows a negative scale or one above the precision; DuckDB does not.
      if (precision > MAX_DECIMAL_PRECISION || scale > precision) return { type: "double" };
      return { type: "decimal", precision, scale };
    }
    case "date":
      return { type: "date" };
    case "timestamp":
    case "timestamptz":
      return { type: "timestamp" };
    case "json":
    case "jsonb":
      return { type: "json" };
    default:
      return t.category === "A" || t.category === "C" ? { type: "json" } : { type: "string" };
  }
}

/** The Postgres type a Sluice column is written as. */
export function postgresTypeOf(c: Pick<Column, "type" | "precision" | "scale">): string {
  switch (c.type) {
    case "string":
      return "text";
    case "integer":
      return "integer";
    case "bigint":
      return "bigint";
    case "double":
      return "double precision";
    case "decimal":
      return `numeric(${c.precision ?? 18},${c.scale ?? 3})`;
    case "boolean":
      return "boolean";
    case "date":
      return "date";
    case "timestamp":
      return "timestamp";
    case "json":
      return "jsonb";
    default: {
      const never: never = c.type;
      throw new Error(`unknown column type ${String(never)}`);
    }
  }
}

/**
 * How the loader selects a column so its text form is what DuckDB parses back as the Sluice type.
 * Timestamps with time zone become UTC wall-clock time (the session runs in UTC); arrays, composites and
 * json become JSON text.
 */
export function postgresReadExpression(c: Pick<Column, "type">, ref: string): string {
  switch (c.type) {
    case "timestamp":
      return `(${ref})::timestamp`;
    case "json":
      // Qualified: a closer-matching to_json in a schema of the user's search_path would be chosen and run instead.
      return `pg_catalog.to_json(${ref})`;
    default:
      return ref;
  }
}
