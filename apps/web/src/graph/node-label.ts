import type { PipelineGraph } from "@sluice/model";
import { getNodeDefinition } from "@sluice/pipeline";

/**
 * What a node is called on screen, as its card shows it: its label, or its type's name ("Join") when it has none.
 * The id is only for a node the graph does not have (a run of a version that cannot be read).
 */
export function nodeLabel(graph: PipelineGraph | undefined, nodeId: string): string {
  const n = graph?.nodes.find((x) => x.id === nodeId);
  if (!n) return nodeId;
  return n.label ?? getNodeDefinition(n.type)?.label ?? n.type;
}
