import type { NodeRunInfo, PipelineGraph } from "@sluice/model";
import { topologicalOrder } from "@sluice/pipeline";

/** A row of a run's Nodes table: the node's result, or null while it has not started. */
export type NodeRow = { nodeId: string; info: NodeRunInfo | null };

/**
 * Every node of the version a run executes, in graph order (sources first, ties in the file's order), each with its
 * result so far: a run reports a node only once it starts, so a table of what was reported would grow row by row
 * and hide what is still to come. Until the version has loaded, the reported nodes as they came.
 */
export function nodeRows(graph: PipelineGraph | undefined, nodes: readonly NodeRunInfo[]): NodeRow[] {
  if (!graph) return nodes.map((n) => ({ nodeId: n.nodeId, info: n }));
  const byId = new Map(nodes.map((n) => [n.nodeId, n]));
  const sorted = topologicalOrder(graph);
  const order = sorted.ok ? sorted.value : graph.nodes.map((n) => n.id);
  const listed = new Set(order);
  return [
    ...order.map((id) => ({ nodeId: id, info: byId.get(id) ?? null })),
    // A reported node the version does not hold (it should not happen): still shown, never dropped.
    ...nodes.filter((n) => !listed.has(n.nodeId)).map((n) => ({ nodeId: n.nodeId, info: n })),
  ];
}
