import type { PipelineGraph, PipelineNode } from "@sluice/model";
import { checkConnection, getNodeDefinition, type ProposedEdge } from "@sluice/pipeline";
import { addEdge } from "./graph-edits.ts";

/** After a node is taken out of the middle of a chain: the edges that would join its neighbours again. */
export interface ReconnectOffer {
  /** "Reconnect Orders → Types", the button's text. */
  label: string;
  edges: ProposedEdge[];
}

const nameOf = (n: PipelineNode) => n.label ?? getNodeDefinition(n.type)?.label ?? n.id;

/**
 * Offered when exactly one node was deleted and it had exactly one input edge and at least one output edge: its
 * upstream port feeds each of its downstream ports instead. Offered only when every one of those edges is valid in
 * the graph after the delete (`after`); a node with several inputs (a join) has no single upstream to offer.
 */
export function reconnectOffer(before: PipelineGraph, after: PipelineGraph, deletedNodeIds: readonly string[]): ReconnectOffer | null {
  if (deletedNodeIds.length !== 1) return null;
  const id = deletedNodeIds[0]!;
  const incoming = before.edges.filter((e) => e.target === id);
  const outgoing = before.edges.filter((e) => e.source === id);
  const upstream = incoming[0];
  if (incoming.length !== 1 || !upstream || outgoing.length === 0) return null;
  const edges: ProposedEdge[] = outgoing.map((o) => ({
    source: upstream.source,
    sourcePort: upstream.sourcePort ?? "out",
    target: o.target,
    targetPort: o.targetPort ?? "in",
  }));
  let g = after;
  for (const e of edges) {
    if (!checkConnection(g, e).ok) return null;
    g = addEdge(g, e);
  }
  const node = (nid: string) => after.nodes.find((n) => n.id === nid);
  const from = node(upstream.source);
  const targets = edges.map((e) => node(e.target));
  if (!from || targets.some((t) => !t)) return null;
  return { label: `Reconnect ${nameOf(from)} → ${targets.map((t) => nameOf(t!)).join(", ")}`, edges };
}

/** The graph with the offered edges added. */
export function applyReconnect(graph: PipelineGraph, offer: ReconnectOffer): PipelineGraph {
  return offer.edges.reduce((g, e) => addEdge(g, e), graph);
}
