import { z } from "zod";
import { parameterValuesSchema } from "../pipeline-format.schema.ts";
import { issueSchema } from "../issue.ts";
import { checkResultSchema } from "./checks.schema.ts";
import { MAX_PG_INTEGER, runStatusSchema, versionNumberSchema } from "./pipelines.schema.ts";

export const startRunRequestSchema = z.strictObject({
  /** Defaults to the pipeline's current version. */
  version: versionNumberSchema.optional(),
  /** Values for the pipeline's parameters, by name; the rest take their defaults. */
  params: parameterValuesSchema.optional(),
  /**
   * "Run from here": run this node and everything downstream of it, reusing the rest from the latest run of the
   * current version that stored it (docs/resume.md). `version`, when given, must be the current version.
   */
  fromNode: z.string().min(1, "fromNode: give the id of the node to run from").max(200).optional(),
});
export type StartRunRequest = z.input<typeof startRunRequestSchema>;

export const startRunResponseSchema = z.object({ runId: z.string() });

/** POST /api/runs/:id/resume: on the failed run's version ("same", the default) or the pipeline's current one. */
export const resumeRunRequestSchema = z.strictObject({
  version: z.enum(["same", "current"]).default("same").describe("same: the failed run's version; current: the pipeline's current version, refused when a reused node changed there"),
});
export type ResumeRunRequest = z.input<typeof resumeRunRequestSchema>;

export const runIdParamsSchema = z.object({ id: z.uuid("not a run id") });

export const runListQuerySchema = z.strictObject({
  pipelineId: z.uuid("not a pipeline id").optional(),
  status: runStatusSchema.optional(),
  /** Only runs that finished at or after this instant (ISO 8601 with an offset), e.g. the failures of the last day. */
  finishedAfter: z.iso.datetime({ offset: true }).optional().describe("only runs that finished at or after this instant (ISO 8601)"),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(MAX_PG_INTEGER).default(0),
});

/**
 * Where a node of a run executed: "duckdb" in the worker's DuckDB, "database" as SQL inside the run's PostgreSQL
 * connection, "database-staged" a file or HTTP source loaded into a staging table of that database with COPY (its rows
 * pass through the worker once, on the way in).
 */
export const NODE_RAN_IN = ["duckdb", "database", "database-staged", "reused"] as const;
export type NodeRanIn = (typeof NODE_RAN_IN)[number];

export const nodeRunSchema = z.object({
  nodeId: z.string(),
  /** Null for a node that has not started, and for runs recorded before Sluice kept it. */
  ranIn: z.enum(NODE_RAN_IN).nullable(),
  status: runStatusSchema,
  rowsIn: z.number().nullable(),
  rowsOut: z.number().nullable(),
  durationMs: z.number().nullable(),
  error: z.string().nullable(),
});
export type NodeRunInfo = z.infer<typeof nodeRunSchema>;

export const runSummarySchema = z.object({
  id: z.string(),
  pipelineId: z.string(),
  pipelineName: z.string(),
  versionNumber: z.number().int(),
  status: runStatusSchema,
  trigger: z.string(),
  attempt: z.number().int(),
  error: z.string().nullable(),
  rowsRead: z.number().nullable(),
  rowsWritten: z.number().nullable(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  durationMs: z.number().nullable(),
  cancelRequested: z.boolean(),
  /** The backfill this run belongs to and the date it runs for; null for other runs. */
  backfill: z.object({ id: z.string(), slot: z.string() }).nullable(),
});
export type RunSummary = z.infer<typeof runSummarySchema>;

/** Where a run executed (chooseEngine's answer when it started); null before it starts and for older runs. */
export const runEngineSchema = z.object({
  engine: z.enum(["duckdb", "database"]),
  /** The PostgreSQL connection the run ran inside; null on DuckDB, and once the connection is deleted. */
  connection: z.object({ id: z.string(), name: z.string() }).nullable(),
  /** Why, as the run log says it after "Runs on DuckDB: " or "Runs in the database: ". */
  reason: z.string(),
});
export type RunEngine = z.infer<typeof runEngineSchema>;

export const runDetailSchema = runSummarySchema.extend({
  engine: runEngineSchema.nullable(),
  nodes: z.array(nodeRunSchema),
  outputs: z.array(z.object({ name: z.string(), format: z.string(), bytes: z.number() })),
  params: z.record(z.string(), z.unknown()).nullable(),
  /** Results of every check node's rules, by node and rule order. */
  checks: z.array(checkResultSchema),
  /** The failed run this one resumed (its reused nodes have ranIn "reused"); null for other runs. */
  resumedFrom: z.string().nullable(),
});
export type RunDetail = z.infer<typeof runDetailSchema>;

export const runListSchema = z.object({ runs: z.array(runSummarySchema), total: z.number().int() });

export const runLogSchema = z.object({
  id: z.number(),
  at: z.string(),
  level: z.enum(["debug", "info", "warn", "error"]),
  nodeId: z.string().nullable(),
  message: z.string(),
});
export type RunLogLine = z.infer<typeof runLogSchema>;

/** Server-sent events on /api/runs/:id/events; a finished run replays them and closes. */
export const runEventSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("run"), run: runSummarySchema }),
  z.object({ type: z.literal("node"), node: nodeRunSchema }),
  z.object({ type: z.literal("log"), log: runLogSchema }),
  z.object({ type: z.literal("end"), status: runStatusSchema }),
]);
export type RunEvent = z.infer<typeof runEventSchema>;

export const invalidPipelineErrorDetailsSchema = z.object({ problems: z.array(issueSchema) });

export const sinkRowsParamsSchema = z.object({ id: z.uuid("not a run id"), nodeId: z.string().min(1).max(200) });
export const sinkRowsQuerySchema = z.strictObject({ limit: z.coerce.number().int().min(1).max(200).default(20) });

/** The first rows of what a sink of a run wrote, read back from its target when asked (the table as it is now). */
export const sinkRowsSchema = z.object({
  /** The target's own type names: PostgreSQL's for a table, DuckDB's for a file. */
  columns: z.array(z.object({ name: z.string(), type: z.string() })),
  rows: z.array(z.record(z.string(), z.unknown())),
  /** A table as "schema"."table", a file by its name. */
  target: z.object({ kind: z.enum(["table", "file"]), name: z.string() }),
  readAt: z.string(),
});
export type SinkRows = z.infer<typeof sinkRowsSchema>;
