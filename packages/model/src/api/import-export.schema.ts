import { z } from "zod";
import { pipelineGraphInputSchema, pipelineGraphSchema } from "../pipeline-format.schema.ts";
import { displayNameSchema } from "../display-name.ts";

/** A pipeline as a file: what export writes and import reads (see docs/pipeline-format.md). */
export const pipelineFileSchema = z.object({
  name: displayNameSchema,
  description: z.string().max(5000).default(""),
  graph: pipelineGraphSchema,
});
export type PipelineFile = z.infer<typeof pipelineFileSchema>;

/** A file as import accepts it: a graph of any format and node versions, which the server loads (migrates) first. */
export const pipelineFileInputSchema = pipelineFileSchema.extend({ graph: pipelineGraphInputSchema });
export type PipelineFileInput = z.input<typeof pipelineFileInputSchema>;

export const pipelineExportSchema = z.object({ pipelines: z.array(pipelineFileSchema) });

/** How many pipelines one import may hold (docs/security.md: capped reads and writes). */
export const MAX_IMPORT_PIPELINES = 200;

export const importRequestSchema = z.strictObject({
  pipelines: z.array(pipelineFileInputSchema).min(1, "nothing to import").max(MAX_IMPORT_PIPELINES),
  /** Only say what would change. */
  dryRun: z.boolean().default(false),
});
export type ImportRequest = z.input<typeof importRequestSchema>;

export const importResultSchema = z.object({
  dryRun: z.boolean(),
  results: z.array(
    z.object({
      name: z.string(),
      action: z.enum(["created", "updated", "unchanged"]),
      /** For an update: what changes, one line each. */
      changes: z.array(z.string()),
      pipelineId: z.string().nullable(),
      version: z.number().int().nullable(),
    }),
  ),
});
export type ImportResult = z.infer<typeof importResultSchema>;
