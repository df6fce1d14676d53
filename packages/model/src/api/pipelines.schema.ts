import { z } from "zod";
import { migrationNoteSchema, pipelineGraphInputSchema, pipelineGraphSchema } from "../pipeline-format.schema.ts";
import { displayNameSchema } from "../display-name.ts";

export const runStatusSchema = z.enum(["queued", "running", "succeeded", "failed", "cancelled"]);
export type RunStatus = z.infer<typeof runStatusSchema>;

const name = displayNameSchema;
const description = z.string().max(5000);

/**
 * PostgreSQL's integer, which version numbers and run list offsets are stored or compared as: a larger one cannot
 * name a version, and would fail the query.
 */
export const MAX_PG_INTEGER = 2_147_483_647;
const versionNumber = (message: string) => z.number().int().positive(message).max(MAX_PG_INTEGER, "no version has a number that large");
export const versionNumberSchema = versionNumber("a version number is a positive whole number");

export const pipelineIdParamsSchema = z.object({ id: z.uuid("not a pipeline id") });
export const pipelineVersionParamsSchema = z.object({
  id: z.uuid("not a pipeline id"),
  n: z.coerce.number().pipe(versionNumberSchema),
});

export const createPipelineRequestSchema = z.strictObject({
  name,
  description: description.default(""),
  /** Any format and node versions: the server loads (migrates) it, and stores the current ones. */
  graph: pipelineGraphInputSchema.optional(),
});
export type CreatePipelineRequest = z.input<typeof createPipelineRequestSchema>;

/** Every field but baseVersion is optional: a rename sends only the name. */
export const updatePipelineRequestSchema = z.strictObject({
  baseVersion: versionNumber("baseVersion is the version number you edited"),
  name: name.optional(),
  description: description.optional(),
  graph: pipelineGraphInputSchema.optional(),
  message: z.string().max(1000).optional(),
});
export type UpdatePipelineRequest = z.input<typeof updatePipelineRequestSchema>;

export const duplicatePipelineRequestSchema = z.strictObject({ name: name.optional() });

export const restoreVersionRequestSchema = z.strictObject({
  baseVersion: versionNumberSchema.optional(),
  message: z.string().max(1000).optional(),
});

export const pipelineSummarySchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  currentVersion: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
  lastRun: z
    .object({ id: z.string(), status: runStatusSchema, createdAt: z.string() })
    .nullable(),
});
export type PipelineSummary = z.infer<typeof pipelineSummarySchema>;

/**
 * Present when the stored graph was saved with older node settings: it is shown migrated (as it reads now), one note
 * per node; the next save stores the current versions. The stored version itself is never rewritten.
 */
const migrated = z.array(migrationNoteSchema).optional();

export const pipelineDetailSchema = pipelineSummarySchema.extend({ graph: pipelineGraphSchema, migrated });
export type PipelineDetail = z.infer<typeof pipelineDetailSchema>;

export const pipelineVersionSummarySchema = z.object({
  number: z.number().int(),
  message: z.string(),
  name: z.string(),
  createdAt: z.string(),
});
export type PipelineVersionSummary = z.infer<typeof pipelineVersionSummarySchema>;

export const pipelineVersionSchema = pipelineVersionSummarySchema.extend({
  description: z.string(),
  graph: pipelineGraphSchema,
  migrated,
});
export type PipelineVersion = z.infer<typeof pipelineVersionSchema>;

export const pipelineListSchema = z.object({ pipelines: z.array(pipelineSummarySchema) });
export const pipelineVersionListSchema = z.object({ versions: z.array(pipelineVersionSummarySchema) });

export const healthSchema = z.object({
  status: z.enum(["ok"]),
  database: z.enum(["embedded", "external"]),
  /**
   * Whether the built-in warehouse is usable (a database and a least-privilege role of its own, checked at start).
   * Why it is off is on the connection (GET /api/connections), which needs the rights this public answer does not.
   */
  warehouse: z.object({ available: z.boolean() }),
  version: z.string(),
});
export type Health = z.infer<typeof healthSchema>;
