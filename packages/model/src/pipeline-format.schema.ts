import { z } from "zod";

/** Identifiers users see in files and URLs; kept simple so they survive git diffs and SQL step names. */
export const nodeIdSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/, "use letters, digits, '-' and '_' only");

export const positionSchema = z.object({ x: z.number().finite(), y: z.number().finite() });

export const pipelineNodeSchema = z.object({
  id: nodeIdSchema,
  type: z.string().min(1).max(64),
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

export const CURRENT_FORMAT_VERSION = 1;

export const pipelineGraphSchema = z.object({
  formatVersion: z.literal(CURRENT_FORMAT_VERSION),
  nodes: z.array(pipelineNodeSchema).max(500),
  edges: z.array(pipelineEdgeSchema).max(2000),
});

export type PipelineNode = z.infer<typeof pipelineNodeSchema>;
export type PipelineEdge = z.infer<typeof pipelineEdgeSchema>;
export type PipelineGraph = z.infer<typeof pipelineGraphSchema>;

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
