import type { GraphAnalysis } from "./analyze-graph.ts";

/**
 * The nodes of a run whose output order something downstream can observe (docs/engine.md, "Row order"). Walks
 * the run order backwards: a node's order is observed when one of its readers uses its input order (limit, a
 * file sink, dedupe's first or last…), or keeps it (filter, join, group…) and its own order is observed. A node
 * whose order nobody observes may produce its rows in any order, so it numbers nothing: no window over the
 * whole input, which a distributed engine would run on one partition.
 */
export function orderObservedNodes(a: GraphAnalysis, ids: string[]): Set<string> {
  const readers = new Map<string, string[]>();
  for (const target of ids) {
    for (const edges of a.index!.incoming.get(target)?.values() ?? []) {
      for (const e of edges) readers.set(e.edge.source, [...(readers.get(e.edge.source) ?? []), target]);
    }
  }
  const observed = new Set<string>();
  for (const id of [...ids].reverse()) {
    const seen = (readers.get(id) ?? []).some((reader) => {
      const def = a.index!.nodes.get(reader)?.def;
      const use = def?.rowOrder?.(a.configs.get(reader)) ?? "keeps";
      return use === "uses" || (use === "keeps" && observed.has(reader));
    });
    if (seen) observed.add(id);
  }
  return observed;
}
