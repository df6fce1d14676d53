import { Graph, layout } from "@dagrejs/dagre";
import type { PipelineGraph } from "@sluice/model";

export const NODE_WIDTH = 220;
export const NODE_HEIGHT = 84;
/**
 * Room between layers for an edge's row count ("101,000 rows" is about 90 px wide at the canvas's 12 px), so a
 * label sits in the gap and never over a card; and between cards of a layer for the two edges that may leave them.
 */
export const RANK_GAP = 140;
export const NODE_GAP = 60;

/** Left-to-right layers, as data flows: sources on the left, sinks on the right. Returns top-left positions. */
export function autoLayout(graph: PipelineGraph, sizes: Record<string, { width: number; height: number }> = {}): Record<string, { x: number; y: number }> {
  const g = new Graph();
  g.setGraph({ rankdir: "LR", nodesep: NODE_GAP, ranksep: RANK_GAP, marginx: 20, marginy: 20 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const n of graph.nodes) g.setNode(n.id, { width: sizes[n.id]?.width ?? NODE_WIDTH, height: sizes[n.id]?.height ?? NODE_HEIGHT });
  for (const e of graph.edges) g.setEdge(e.source, e.target);
  layout(g);
  const out: Record<string, { x: number; y: number }> = {};
  for (const n of graph.nodes) {
    const p = g.node(n.id);
    const w = sizes[n.id]?.width ?? NODE_WIDTH;
    const h = sizes[n.id]?.height ?? NODE_HEIGHT;
    // dagre centres nodes; React Flow positions their top-left corner. Snap to the 20 px grid the canvas uses.
    out[n.id] = { x: Math.round((p.x - w / 2) / 20) * 20, y: Math.round((p.y - h / 2) / 20) * 20 };
  }
  return out;
}
