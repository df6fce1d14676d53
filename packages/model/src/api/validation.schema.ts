import { z } from "zod";
import { parameterValuesSchema, PIPELINE_ENGINES } from "../pipeline-format.schema.ts";
import { issueSchema } from "../issue.ts";
import { columnSchema } from "../column.ts";

/** The graph is checked by the validator itself, so shape mistakes come back as problems, not a 400. */
export const validateRequestSchema = z.strictObject({ graph: z.unknown() });

/** Where a run of the pipeline would execute, and why (chooseEngine in packages/pipeline). */
export const engineChoiceSchema = z.object({
  engine: z.enum(["duckdb", "database"]),
  setting: z.enum(PIPELINE_ENGINES),
  /** Follows "Runs on DuckDB: " or "Runs in the database: ". */
  reason: z.string(),
  /** Each node that cannot run in the database, and why. */
  notPushable: z.array(z.object({ nodeId: z.string(), reason: z.string() })),
  /** With engine "database": file and HTTP sources whose rows are copied into the database (COPY) before the rest runs there. */
  staged: z.array(z.string()).optional(),
});
export type EngineChoiceInfo = z.infer<typeof engineChoiceSchema>;

/** Whether the pipeline could run in the database if set to, so the editor can say why not beside that choice. */
export const databaseOptionSchema = z.object({
  /** Why setting the engine to "database" would be refused, e.g. "1 node cannot run in the database"; null when it would run there. */
  unavailable: z.string().nullable(),
  /** Each node that cannot run in the database, and why (marked on the canvas). */
  notPushable: z.array(z.object({ nodeId: z.string(), reason: z.string() })),
});
export type DatabaseOption = z.infer<typeof databaseOptionSchema>;

export const validateResponseSchema = z.object({
  valid: z.boolean(),
  problems: z.array(issueSchema),
  /** Output columns of every node whose schema could be inferred. */
  schemas: z.record(z.string(), z.array(columnSchema)),
  /** Every output port's columns per node (e.g. a retype's "rejects"), so editors can offer the columns an input receives. */
  portSchemas: z.record(z.string(), z.record(z.string(), z.array(columnSchema))),
  /** Absent when the pipeline is set to run in the database and cannot (a problem says why). */
  engine: engineChoiceSchema.optional(),
  /** Absent while the graph has errors of its own. */
  database: databaseOptionSchema.optional(),
});
export type ValidateResponse = z.infer<typeof validateResponseSchema>;

export const previewRequestSchema = z.strictObject({
  graph: z.unknown(),
  nodeId: z.string().min(1).max(64),
  /** Output port to show; defaults to the node's first output (or its input, for a sink). */
  port: z.string().max(64).optional(),
  limit: z.number().int().min(1).max(1000).default(100),
  /** Parameter values to preview with; the rest take their defaults. */
  params: parameterValuesSchema.optional(),
});
