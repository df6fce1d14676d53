import { z } from "zod";
import { checkResultSchema } from "./checks.schema.ts";
import { columnSchema } from "../column.ts";

export const dataFileSchema = z.object({
  id: z.string(),
  name: z.string(),
  size: z.number(),
  format: z.enum(["csv", "tsv", "json", "ndjson", "parquet"]),
  columns: z.array(columnSchema),
  rowCount: z.number().nullable(),
  createdAt: z.string(),
});
export type DataFileInfoDto = z.infer<typeof dataFileSchema>;

export const dataFileListSchema = z.object({ files: z.array(dataFileSchema) });
export const fileIdParamsSchema = z.object({ id: z.uuid("not a file id") });
export const filePreviewQuerySchema = z.strictObject({ limit: z.coerce.number().int().min(1).max(1000).default(50) });

export const previewColumnSchema = z.object({ name: z.string(), type: z.string() });
export const columnProfileSchema = z.object({
  nulls: z.number(),
  distinct: z.number(),
  min: z.unknown().nullable(),
  max: z.unknown().nullable(),
});

/** Rows of a node (or a file) as the preview grid shows them. */
export const previewResultSchema = z.object({
  columns: z.array(previewColumnSchema),
  rows: z.array(z.record(z.string(), z.unknown())),
  profile: z.record(z.string(), columnProfileSchema),
  rowCount: z.number().nullable(),
  sampled: z.object({ sourceRows: z.number() }).nullable(),
  elapsedMs: z.number(),
  /** A check node: its rules evaluated on the previewed rows. */
  checks: z.array(checkResultSchema).optional(),
});
export type PreviewResult = z.infer<typeof previewResultSchema>;
