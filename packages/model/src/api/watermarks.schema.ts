import { z } from "zod";

/** Where an incremental source has read up to (docs/incremental.md). */
export const storedWatermarkSchema = z.object({
  nodeId: z.string(),
  column: z.string(),
  /** The column's value as PostgreSQL writes it as text (timestamps in UTC). */
  value: z.string(),
  /** The run that stored it. */
  runId: z.string().nullable(),
  updatedAt: z.string(),
});
export type StoredWatermark = z.infer<typeof storedWatermarkSchema>;

/** What one incremental source of a run read: above `before` up to `after`, and how that range ended. */
export const runWatermarkSchema = z.object({
  nodeId: z.string(),
  column: z.string(),
  before: z.string().nullable(),
  after: z.string().nullable(),
  /** pending (the run is on, or ended before it could say), stored, recovered (a later run found its sinks had loaded), discarded, superseded (reset meanwhile). */
  state: z.enum(["pending", "stored", "recovered", "discarded", "superseded"]),
});
export type RunWatermark = z.infer<typeof runWatermarkSchema>;

export const runWatermarksSchema = z.object({
  watermarks: z.array(runWatermarkSchema),
  /** The pipeline's stored watermarks as they are now, to show beside the run's and to reset. */
  stored: z.array(storedWatermarkSchema),
});
export const pipelineWatermarksSchema = z.object({ watermarks: z.array(storedWatermarkSchema) });
export const watermarkParamsSchema = z.object({ id: z.uuid("not a pipeline id"), nodeId: z.string().min(1).max(200) });
