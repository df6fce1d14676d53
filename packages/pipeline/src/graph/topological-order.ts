import { error, failAll, ok, type Issue, type PipelineGraph, type Result } from "@sluice/model";
import { indexGraph, type GraphIndex } from "./graph-index.ts";

/** Tarjan's strongly connected components over `ids`, keeping only those that really loop. */
function cyclesAmong(ids: string[], next: Map<string, string[]>): string[][] {
  const inScope = new Set(ids);
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (v: string) => {
    index.set(v, index.size);
    low.set(v, index.get(v)!);
    stack.push(v);
    onStack.add(v);
    for (const w of next.get(v) ?? []) {
      if (!inScope.has(w)) continue;
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      onStack.delete(w);
      component.push(w);
    } while (w !== v);
    if (component.length > 1 || next.get(v)?.includes(v)) cycles.push(component);
  };
  for (const id of ids) if (!index.has(id)) visit(id);
  return cycles;
}

/**
 * Kahn's algorithm; ties are broken by the nodes' order in the file, so the order (and the compiled SQL)
 * is stable. Each node on a cycle gets a CYCLE problem naming the whole cycle; nodes that merely sit
 * downstream of one are left out of the order without a problem of their own.
 */
export function orderNodes(index: GraphIndex): { order: string[]; issues: Issue[] } {
  const ids = [...index.nodes.keys()];
  const position = new Map(ids.map((id, i) => [id, i]));
  const indegree = new Map(ids.map((id) => [id, 0]));
  const next = new Map<string, string[]>(ids.map((id) => [id, []]));
  for (const { source, target } of index.links) {
    indegree.set(target, (indegree.get(target) ?? 0) + 1);
    next.get(source)?.push(target);
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
  const ordered = new Set(order);
  const issues = cyclesAmong(ids.filter((id) => !ordered.has(id)), next).flatMap((cycle) => {
    const names = cycle.sort((a, b) => position.get(a)! - position.get(b)!).map((id) => `"${id}"`);
    const message = `Nodes ${names.join(", ")} form a cycle, so no order can run them. Remove an edge between them.`;
    return cycle.map((id) => error("CYCLE", cycle.length === 1 ? `Node "${id}" is connected to itself.` : message, { nodeId: id }));
  });
  return { order, issues };
}

/** The order a graph's nodes run in (sources first), or a CYCLE problem for each node on a cycle. */
export function topologicalOrder(graph: PipelineGraph): Result<string[]> {
  const { order, issues } = orderNodes(indexGraph(graph));
  return issues.length ? failAll(issues) : ok(order);
}
