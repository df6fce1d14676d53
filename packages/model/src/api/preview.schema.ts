import { z } from "zod";
import { checkResultSchema } from "./checks.schema.ts";
import { issueSchema } from "../issue.ts";

/** A result column with DuckDB's type as text (e.g. "BIGINT", "DECIMAL(18,3)"). */
export const previewColumnSchema = z.object({ name: z.string(), type: z.string() });

/** One column of a previewed result, profiled over the whole result (the sample, when sampled). */
export const columnProfileSchema = z.object({
  nulls: z.number(),
  /** Distinct non-null values: exact (count(DISTINCT)), or an estimate capped at the non-null count when `distinctApproximate`. */
  distinct: z.number(),
  /** True when the result was too big to count exactly (over a million rows) and `distinct` is a HyperLogLog estimate. */
  distinctApproximate: z.boolean(),
  /** As text ("1", "2024-01-31", "2024-01-31T10:00:00"); null for JSON columns and all-null columns. */
  min: z.string().nullable(),
  max: z.string().nullable(),
});
export type ColumnProfile = z.infer<typeof columnProfileSchema>;

/** Values a conversion turned into nulls (retype with onError "null") in one column, in what the preview covers. */
export const becameNullSchema = z.object({
  column: z.string(),
  /** Where the column is set in the node's config (e.g. "columns.0.column"). */
  field: z.string(),
  /** Non-null values in, and how many of them came out null. */
  values: z.number(),
  nulled: z.number(),
});
export type BecameNull = z.infer<typeof becameNullSchema>;

/** Rows of a node (or a file) as the preview grid shows them. The engine builds it; the server and web app check it. */
export const previewResultSchema = z.object({
  columns: z.array(previewColumnSchema),
  rows: z.array(z.record(z.string(), z.unknown())),
  /** Per column, over the whole result (the sample, when sampled). */
  profile: z.record(z.string(), columnProfileSchema),
  /** Null when nothing could be computed (see the response's problems). */
  rowCount: z.number().nullable(),
  /** Set when sources were cut: the number of rows each sampled source was cut to. */
  sampled: z.object({ sourceRows: z.number() }).nullable(),
  elapsedMs: z.number(),
  /** A check node: its rules evaluated on the previewed rows (on the sample, when sampled). */
  checks: z.array(checkResultSchema).optional(),
  /** A conversion that nulls values (retype, onError "null"): per converted column, the values in and how many became null. */
  becameNull: z.array(becameNullSchema).optional(),
  /** Where the preview ran: the worker's DuckDB, or inside the PostgreSQL database a run of the pipeline would use. */
  engine: z.enum(["duckdb", "database"]).optional(),
});
export type PreviewResult = z.infer<typeof previewResultSchema>;

/** What the editor shows for a node: its rows and profile, or the problems that prevented them, on the node concerned. */
export const previewResponseSchema = previewResultSchema.extend({ problems: z.array(issueSchema) });
export type PreviewResponse = z.infer<typeof previewResponseSchema>;
