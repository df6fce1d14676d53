import { z } from "zod";

/** Logical column types Sluice reasons about; the compiler maps them to DuckDB types. */
export const columnTypeSchema = z.enum([
  "string",
  "integer",
  "bigint",
  "double",
  "decimal",
  "boolean",
  "date",
  "timestamp",
  "json",
]);
export type ColumnType = z.infer<typeof columnTypeSchema>;

export const columnSchema = z.object({
  name: z.string(),
  type: columnTypeSchema,
  /** For decimal: precision and scale. */
  precision: z.number().int().optional(),
  scale: z.number().int().optional(),
});
export type Column = z.infer<typeof columnSchema>;
