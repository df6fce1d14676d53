import { z } from "zod";
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
