import { z } from "zod";
import { columnSchema } from "../column.ts";

/**
 * A column whose header could not be used as its name, so the reader named it: a blank header gets "column<n>"
 * (n counted from 0), a header equal to an earlier one, ignoring case, gets a suffix ("amount_1").
 */
export const renamedColumnSchema = z.object({
  /** 1-based, as a spreadsheet user counts columns. */
  position: z.number().int().min(1),
  /** The header as written in the file ("" when blank). */
  original: z.string(),
  name: z.string(),
  reason: z.enum(["blank", "duplicate"]),
});
export type RenamedColumn = z.infer<typeof renamedColumnSchema>;

export const dataFileSchema = z.object({
  id: z.string(),
  name: z.string(),
  size: z.number(),
  format: z.enum(["csv", "tsv", "json", "ndjson", "parquet"]),
  columns: z.array(columnSchema),
  rowCount: z.number().nullable(),
  /** Headers the file had that are not its columns' names; empty when every header was used as written. */
  renamedColumns: z.array(renamedColumnSchema),
  createdAt: z.string(),
});
export type DataFileInfoDto = z.infer<typeof dataFileSchema>;

export const dataFileListSchema = z.object({ files: z.array(dataFileSchema) });
export const fileIdParamsSchema = z.object({ id: z.uuid("not a file id") });
export const filePreviewQuerySchema = z.strictObject({ limit: z.coerce.number().int().min(1).max(1000).default(50) });

/**
 * What an upload does when the workspace already has a file of its name. Without a choice it is refused with 409
 * FILE_NAME_EXISTS: `replace` puts the new content under the existing file (same id, so pipelines read it);
 * `keep-both` stores it under a free name ("orders (2).csv").
 */
export const fileOnExistsSchema = z.enum(["replace", "keep-both"]);
export type FileOnExists = z.infer<typeof fileOnExistsSchema>;
export const uploadFileQuerySchema = z.strictObject({
  onExists: fileOnExistsSchema
    .optional()
    .describe("When the workspace has a file of this name: replace its content (it keeps its id) or keep both (the new one gets a numbered name). Without it: 409 FILE_NAME_EXISTS"),
});

/** The pipelines whose current version reads a file. */
export const filePipelinesSchema = z.object({ pipelines: z.array(z.object({ id: z.string(), name: z.string() })) });
export type FilePipelines = z.infer<typeof filePipelinesSchema>;

/** `details` of a 409 FILE_NAME_EXISTS: the file of that name (the newest, when older installs hold several). */
export const fileNameExistsDetailsSchema = z.object({ fileId: z.string(), name: z.string() });
