import { z } from "zod";
import { runStatusSchema } from "./pipelines.schema.ts";

/** Each pipeline's recent runs for the dashboard's history chart, oldest first. */
export const runHistorySchema = z.object({
  pipelines: z.array(
    z.object({
      pipelineId: z.string(),
      pipelineName: z.string(),
      runs: z.array(
        z.object({
          runId: z.string(),
          status: runStatusSchema,
          startedAt: z.string(),
          /** null while the run has not finished. */
          durationMs: z.number().nullable(),
          /** null when the run wrote nothing it counted (failed before its sinks, or still running). */
          rowsWritten: z.number().nullable(),
        }),
      ),
    }),
  ),
});
export type RunHistory = z.infer<typeof runHistorySchema>;
