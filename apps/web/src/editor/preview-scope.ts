import type { PipelineGraph } from "@sluice/model";

/**
 * The part of the graph a node's preview depends on: the node and everything upstream of it, without
 * positions or labels. Its JSON is the preview's cache key, so moving a node or editing a downstream
 * one does not recompute the preview, while any upstream change does.
 */
export function previewScope(graph: PipelineGraph, nodeId: string): PipelineGraph | null {
  if (!graph.nodes.some((n) => n.id === nodeId)) return null;
  const keep = new Set<string>([nodeId]);
  const stack = [nodeId];
  while (stack.length > 0) {
    const id = stack.pop()!;
    for (const e of graph.edges) {
      if (e.target === id && !keep.has(e.source)) {
        keep.add(e.source);
        stack.push(e.source);
      }
    }
  }
  return {
    formatVersion: graph.formatVersion,
    // Expressions read parameters' defaults, so a changed default changes the preview.
    ...(graph.parameters?.length ? { parameters: graph.parameters } : {}),
    // Where runs go decides where the preview is computed (in the database when runs go there; docs/engine.md).
    ...(graph.engine && graph.engine !== "auto" ? { engine: graph.engine } : {}),
    nodes: graph.nodes.filter((n) => keep.has(n.id)).map((n) => ({ id: n.id, type: n.type, position: { x: 0, y: 0 }, config: n.config })),
    edges: graph.edges.filter((e) => keep.has(e.source) && keep.has(e.target)),
  };
}
