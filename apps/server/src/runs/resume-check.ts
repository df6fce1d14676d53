import { isDeepStrictEqual } from "node:util";
import type { PipelineGraph } from "@sluice/model";

/** The nodes a resume reuses the computation of: those read back from storage and everything upstream of them. */
export function reusedWithUpstream(graph: PipelineGraph, stored: Iterable<string>): Set<string> {
  const out = new Set<string>();
  const visit = (id: string) => {
    if (out.has(id)) return;
    out.add(id);
    for (const e of graph.edges) if (e.target === id) visit(e.source);
  };
  for (const id of stored) visit(id);
  return out;
}

/**
 * Resuming on the current version reuses what the old version computed, so every reused node must compute the same
 * there: present, of the same type and config, and fed by the same edges (source, ports). Returns the labels of the
 * nodes that changed; empty when the reused part is unchanged. Nodes that run again may differ freely.
 */
export function changedReusedNodes(before: PipelineGraph, now: PipelineGraph, reused: ReadonlySet<string>): string[] {
  const inputs = (g: PipelineGraph, id: string) =>
    g.edges
      .filter((e) => e.target === id)
      .map((e) => `${e.source}\u0000${e.sourcePort ?? ""}\u0000${e.targetPort ?? ""}`)
      .sort();
  const changed: string[] = [];
  for (const old of before.nodes) {
    if (!reused.has(old.id)) continue;
    const cur = now.nodes.find((n) => n.id === old.id);
    const same = cur !== undefined && cur.type === old.type && isDeepStrictEqual(cur.config ?? {}, old.config ?? {}) && isDeepStrictEqual(inputs(before, old.id), inputs(now, old.id));
    if (!same) changed.push(old.label ?? old.id);
  }
  return changed;
}
