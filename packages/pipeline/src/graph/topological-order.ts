import { error, type Issue } from "@sluice/model";
import type { GraphIndex } from "./graph-index.ts";

/**
 * Kahn's algorithm; ties are broken by the nodes' order in the file, so the order (and the compiled SQL)
 * is stable. Nodes on or behind a cycle are reported, not ordered.
 */
export function topologicalOrder(index: GraphIndex): { order: string[]; issues: Issue[] } {
  const ids = [...index.nodes.keys()];
  const position = new Map(ids.map((id, i) => [id, i]));
  const indegree = new Map(ids.map((id) => [id, 0]));
  const next = new Map<string, string[]>(ids.map((id) => [id, []]));
  for (const { edge } of index.edges) {
    indegree.set(edge.target, (indegree.get(edge.target) ?? 0) + 1);
    next.get(edge.source)?.push(edge.target);
  }
  const ready = ids.filter((id) => indegree.get(id) === 0);
  const order: string[] = [];
  while (ready.length) {
    ready.sort((a, b) => position.get(a)! - position.get(b)!);
    const id = ready.shift()!;
    order.push(id);
    for (const t of next.get(id) ?? []) {
      const d = indegree.get(t)! - 1;
      indegree.set(t, d);
      if (d === 0) ready.push(t);
    }
  }
  if (order.length === ids.length) return { order, issues: [] };
  const stuck = ids.filter((id) => !order.includes(id));
  const issues = [
    error("CYCLE", `These nodes form a cycle (or depend on one), so no order can run them: ${stuck.map((s) => `"${s}"`).join(", ")}. Remove an edge to break it.`, {
      nodeId: stuck[0]!,
    }),
    ...stuck.slice(1).map((id) => error("CYCLE", `Node "${id}" is part of a cycle or depends on one.`, { nodeId: id })),
  ];
  return { order, issues };
}
