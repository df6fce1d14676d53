import { z } from "zod";

/**
 * `__proto__` names an object's prototype in JavaScript, so as a key it is lost or dropped (a node's columns in
 * validation results, a parameter's value in a run's values): never a name a pipeline may use.
 */
const notProto = [(name: string) => name !== "__proto__", "`__proto__` is reserved; choose another name"] as const;

/** Identifiers users see in files and URLs; kept simple so they survive git diffs and SQL step names. */
export const nodeIdSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/, "use letters, digits, '-' and '_' only")
  .refine(...notProto);

export const positionSchema = z.object({ x: z.number().finite(), y: z.number().finite() });

const typeVersionMeta = { description: "Version of the node type's settings the config was written for; absent means 1. Older configs are migrated on load." };

export const pipelineNodeSchema = z.object({
  id: nodeIdSchema,
  type: z.string().min(1).max(64),
  /**
   * The version of the node type's settings `config` was written for. Absent reads as 1 (files from before
   * versions were stored); loading (loadPipeline in @sluice/pipeline) migrates older configs forward and fills it,
   * so every loaded, stored or exported node carries its type's current version.
   */
  typeVersion: z
    .number()
    .int()
    .positive()
    .max(1000)
    .optional()
    .meta(typeVersionMeta),
  label: z.string().max(200).optional(),
  position: positionSchema,
  /** Validated against the node type's own schema by the pipeline package, not here. */
  config: z.record(z.string(), z.unknown()),
});

export const pipelineEdgeSchema = z.object({
  id: nodeIdSchema,
  source: nodeIdSchema,
  sourcePort: z.string().min(1).max(64).optional(),
  target: nodeIdSchema,
  targetPort: z.string().min(1).max(64).optional(),
});

export const PARAMETER_TYPES = ["string", "integer", "double", "boolean", "date", "timestamp"] as const;
export type ParameterType = (typeof PARAMETER_TYPES)[number];

/** A value a run supplies for a parameter; dates and timestamps are ISO text. */
export const parameterValueSchema = z.union([z.string().max(10_000), z.number().finite(), z.boolean()]);
export type ParameterValue = z.infer<typeof parameterValueSchema>;
export const parameterValuesSchema = z.record(z.string(), parameterValueSchema);
export type ParameterValues = z.infer<typeof parameterValuesSchema>;

/** A named, typed value a run supplies (or takes the default of); expressions read it with param('name'). */
export const pipelineParameterSchema = z.object({
  name: z
    .string()
    .min(1)
    .max(64)
    .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "start with a letter or '_', then letters, digits and '_'")
    .refine(...notProto),
  type: z.enum(PARAMETER_TYPES),
  default: parameterValueSchema,
  description: z.string().max(500).optional(),
});
export type PipelineParameter = z.infer<typeof pipelineParameterSchema>;

export const CURRENT_FORMAT_VERSION = 1;

export const PIPELINE_ENGINES = ["auto", "duckdb", "database"] as const;
export type PipelineEngine = (typeof PIPELINE_ENGINES)[number];

export const pipelineGraphSchema = z.object({
  formatVersion: z.literal(CURRENT_FORMAT_VERSION),
  nodes: z.array(pipelineNodeSchema).max(500),
  edges: z.array(pipelineEdgeSchema).max(2000),
  /** Absent and empty mean the same: the pipeline takes no parameters. */
  parameters: z.array(pipelineParameterSchema).max(50).optional(),
  /**
   * Where runs execute: "duckdb" in the worker, "database" inside the PostgreSQL connection every source and sink
   * uses, "auto" (also when absent) in the database when it can, else DuckDB. Optional, so no format version bump:
   * a file without it reads as before, and an older Sluice drops it and runs on DuckDB with the same results.
   */
  engine: z.enum(PIPELINE_ENGINES).optional(),
});

export type PipelineNode = z.infer<typeof pipelineNodeSchema>;
export type PipelineEdge = z.infer<typeof pipelineEdgeSchema>;
export type PipelineGraph = z.infer<typeof pipelineGraphSchema>;

/** What Sluice says of a document of a newer format than it reads: the loader and request checks say the same. */
const formatVersionTooNewMessage = (version: number) =>
  `This pipeline uses format version ${version}, newer than this Sluice reads (up to ${CURRENT_FORMAT_VERSION}). Upgrade Sluice to open it.`;

const isNewerFormat = (v: unknown): v is { formatVersion: number } =>
  typeof v === "object" && v !== null && typeof (v as { formatVersion?: unknown }).formatVersion === "number" && (v as { formatVersion: number }).formatVersion > CURRENT_FORMAT_VERSION;

/**
 * A graph as a request or file may carry it before loading: any older format and any node versions, so the document
 * reaches the loader, which migrates it or says why it cannot (a node of a newer version: NODE_VERSION_TOO_NEW),
 * instead of being refused by a request's shape check. A newer format may have another shape altogether, so it is
 * refused by its version alone (FORMAT_VERSION_TOO_NEW, saying to upgrade), before its shape is looked at.
 */
export const pipelineGraphInputSchema = z.preprocess(
  (value, ctx) => {
    if (isNewerFormat(value)) {
      ctx.addIssue({ code: "custom", message: formatVersionTooNewMessage(value.formatVersion), path: ["formatVersion"], params: { code: "FORMAT_VERSION_TOO_NEW" } });
    }
    return value;
  },
  pipelineGraphSchema.extend({
    formatVersion: z.number().int().positive(),
    // No upper bound here: a node of a newer version than this Sluice knows is the loader's NODE_VERSION_TOO_NEW.
    nodes: z.array(pipelineNodeSchema.extend({ typeVersion: z.number().int().positive().optional().meta(typeVersionMeta) })).max(500),
  }),
);

/** What loading changed in an older pipeline: one note per node whose settings were migrated. */
export const migrationNoteSchema = z.object({
  nodeId: z.string(),
  type: z.string(),
  /** The version the node was saved at, and the one it is shown (and will be saved) at. */
  from: z.number().int(),
  to: z.number().int(),
  message: z.string(),
});
export type MigrationNote = z.infer<typeof migrationNoteSchema>;

export const emptyGraph = (): PipelineGraph => ({ formatVersion: 1, nodes: [], edges: [] });

/** The pipeline file format as JSON Schema (draft 2020-12), served at GET /api/pipeline-format.json. */
export function pipelineFormatJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(pipelineGraphSchema, { io: "input" }),
    $id: "https://sluice.dev/schemas/pipeline-format-v1.json",
    title: "Sluice pipeline",
    description: "A pipeline graph: nodes (sources, transforms, sinks) and the edges between their ports.",
  };
}
