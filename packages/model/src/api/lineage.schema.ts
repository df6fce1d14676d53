import { z } from "zod";
import { issueSchema } from "../issue.ts";
import { versionNumberSchema } from "./pipelines.schema.ts";

/**
 * Column lineage in OpenLineage's vocabulary (docs/lineage.md); @sluice/pipeline's columnLineage and datasetOf give
 * values of these shapes (the server holds them to these types, so the two cannot drift apart).
 */
export const lineageTransformationSchema = z.union([
  z.object({ type: z.literal("DIRECT"), subtype: z.enum(["IDENTITY", "TRANSFORMATION", "AGGREGATION"]), description: z.string().optional(), masking: z.boolean().optional() }),
  z.object({ type: z.literal("INDIRECT"), subtype: z.enum(["JOIN", "FILTER", "GROUP_BY", "SORT", "WINDOW", "CONDITIONAL"]), description: z.string().optional(), masking: z.boolean().optional() }),
]);

export const lineageColumnRefSchema = z.object({
  nodeId: z.string(),
  /** An output port, or "dataset": the file, table or API column a source reads or a sink writes. */
  port: z.string(),
  column: z.string(),
});

export const lineageOriginSchema = z.object({ from: lineageColumnRefSchema, transformation: lineageTransformationSchema });

/** A dataset named as OpenLineage names it: files `sluice://files` + `<id>/<name>`, tables `postgres://host:port` + `database.schema.table`, APIs `https://host` + path. */
export const datasetRefSchema = z.object({
  namespace: z.string(),
  name: z.string(),
  kind: z.enum(["file", "postgres", "http", "file-output"]),
  access: z.enum(["read", "write"]),
  /** What people call it: a file's name, schema.table, host and path. */
  label: z.string(),
});
export type DatasetRefDto = z.infer<typeof datasetRefSchema>;

export const pipelineLineageQuerySchema = z.strictObject({
  /** A saved version; the current one when absent. */
  version: z.coerce.number().pipe(versionNumberSchema).optional(),
});

export const pipelineLineageSchema = z.object({
  pipelineId: z.string(),
  version: z.number().int(),
  /** Per node whose schema is known: per output port (a sink's: "dataset"), per column, where it comes from. */
  nodes: z.record(
    z.string(),
    z.object({
      type: z.string(),
      ports: z.record(z.string(), z.object({ columns: z.record(z.string(), z.array(lineageOriginSchema)), rows: z.array(lineageOriginSchema) })),
      dataset: datasetRefSchema.optional(),
    }),
  ),
  /** The version's validation problems: why a node may be missing from `nodes`. */
  problems: z.array(issueSchema),
});
export type PipelineLineage = z.infer<typeof pipelineLineageSchema>;

const datasetSchema = datasetRefSchema.omit({ access: true });

/** One pipeline's current version reading or writing one dataset, through one node. */
export const datasetUseSchema = z.object({
  pipelineId: z.string(),
  pipelineName: z.string(),
  version: z.number().int(),
  access: z.enum(["read", "write"]),
  nodeId: z.string(),
});
export type DatasetUse = z.infer<typeof datasetUseSchema>;

/** The workspace's pipelines and datasets as one graph: an edge per node that reads or writes a dataset. */
export const workspaceLineageSchema = z.object({
  pipelines: z.array(z.object({ id: z.string(), name: z.string(), version: z.number().int() })),
  datasets: z.array(datasetSchema),
  edges: z.array(datasetUseSchema.omit({ pipelineName: true }).extend({ namespace: z.string(), name: z.string() })),
});
export type WorkspaceLineage = z.infer<typeof workspaceLineageSchema>;

export const datasetUsageParamsSchema = z.object({ name: z.string().min(1, "name the dataset").max(2000) });
export const datasetUsageQuerySchema = z.strictObject({ namespace: z.string().min(1).max(2000).optional() });

/**
 * Every dataset of that name (in the namespace, when given) and the pipelines that read or write it, with the columns
 * each uses: for a read, the dataset's columns that flow into anything the pipeline writes (or decide its rows); for a
 * write, the columns written. Null when the pipeline's schema at that node is not known (a problem there or above).
 */
export const datasetUsageSchema = z.object({
  datasets: z.array(datasetSchema.extend({ usedBy: z.array(datasetUseSchema.extend({ columns: z.array(z.string()).nullable() })) })),
});
export type DatasetUsage = z.infer<typeof datasetUsageSchema>;
