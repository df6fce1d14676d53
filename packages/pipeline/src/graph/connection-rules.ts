import type { PipelineGraph } from "@sluice/model";
import { getNodeDefinition } from "../catalog/registry.ts";

export interface ProposedEdge {
  source: string;
  sourcePort: string;
  target: string;
  targetPort: string;
}

export type ConnectionCheck = { ok: true } | { ok: false; code: "SELF_LOOP" | "UNKNOWN_PORT" | "PORT_FULL" | "CYCLE" | "DUPLICATE_EDGE"; message: string };

/** Whether `to` can be reached from `from` by following edges forward. */
function reaches(graph: PipelineGraph, from: string, to: string): boolean {
  const next = new Map<string, string[]>();
  for (const e of graph.edges) next.set(e.source, [...(next.get(e.source) ?? []), e.target]);
  const seen = new Set<string>();
  const stack = [from];
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (id === to) return true;
    if (seen.has(id)) continue;
    seen.add(id);
    stack.push(...(next.get(id) ?? []));
  }
  return false;
}

/**
 * Checks an edge the user is drawing, before it exists, so the canvas can refuse it with a reason.
 * The validator reports the same problems for stored graphs; this is the interactive twin.
 */
export function checkConnection(graph: PipelineGraph, edge: ProposedEdge): ConnectionCheck {
  if (edge.source === edge.target) return { ok: false, code: "SELF_LOOP", message: "A node cannot feed itself." };
  const source = graph.nodes.find((n) => n.id === edge.source);
  const target = graph.nodes.find((n) => n.id === edge.target);
  const sourceDef = source && getNodeDefinition(source.type);
  const targetDef = target && getNodeDefinition(target.type);
  const inPort = targetDef?.inputs.find((p) => p.name === edge.targetPort);
  if (!target || !targetDef || !sourceDef?.outputs.some((p) => p.name === edge.sourcePort) || !inPort) {
    return { ok: false, code: "UNKNOWN_PORT", message: "Connect an output (right side) to an input (left side)." };
  }
  const existing = graph.edges.filter((e) => e.target === edge.target && (e.targetPort ?? "in") === edge.targetPort);
  if (existing.some((e) => e.source === edge.source && (e.sourcePort ?? "out") === edge.sourcePort)) {
    return { ok: false, code: "DUPLICATE_EDGE", message: "These ports are already connected." };
  }
  const max = inPort.maxEdges ?? 1;
  if (existing.length >= max) {
    const label = target.label ?? targetDef.label;
    return {
      ok: false,
      code: "PORT_FULL",
      message: `${label}'s ${inPort.label.toLowerCase()} input takes ${max === 1 ? "one connection" : `at most ${max} connections`}; remove the existing one first.`,
    };
  }
  if (reaches(graph, edge.target, edge.source)) {
    return { ok: false, code: "CYCLE", message: "That connection would make a loop: data must flow one way." };
  }
  return { ok: true };
}
