import type { PipelineGraph } from "@sluice/model";
import { checkConnection, getNodeDefinition, nodeCatalog, type AnyNodeDefinition, type ProposedEdge } from "@sluice/pipeline";
import { addEdge, addNode } from "./graph-edits.ts";

/** The handle a connection was dragged from and dropped on empty canvas: a node's output (source) or input (target). */
export interface LooseEnd {
  nodeId: string;
  port: string;
  side: "source" | "target";
}

/**
 * Adds a node of `type` at `position` and connects it to the loose end: its first input that accepts the edge when
 * the drag came from an output, its first output when it came from an input. Null when no port of the new node
 * can take the connection (a source after an output, say).
 */
export function connectNewNode(graph: PipelineGraph, type: string, position: { x: number; y: number }, end: LooseEnd, settings?: Record<string, unknown>): { graph: PipelineGraph; id: string; edge: ProposedEdge } | null {
  const def = getNodeDefinition(type);
  if (!def) return null;
  const r = addNode(graph, type, position, settings);
  const proposals: ProposedEdge[] =
    end.side === "source"
      ? def.inputs.map((p) => ({ source: end.nodeId, sourcePort: end.port, target: r.id, targetPort: p.name }))
      : def.outputs.map((p) => ({ source: r.id, sourcePort: p.name, target: end.nodeId, targetPort: end.port }));
  const edge = proposals.find((e) => checkConnection(r.graph, e).ok);
  return edge ? { graph: addEdge(r.graph, edge), id: r.id, edge } : null;
}

/** The node types, in palette order, that a new node dropped at this loose end could be. */
export function connectableTypes(graph: PipelineGraph, end: LooseEnd): AnyNodeDefinition[] {
  return nodeCatalog.filter((d) => connectNewNode(graph, d.type, { x: 0, y: 0 }, end) !== null);
}
