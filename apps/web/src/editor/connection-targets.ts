import type { PipelineGraph, PipelineNode } from "@sluice/model";
import { checkConnection, getNodeDefinition, type ProposedEdge } from "@sluice/pipeline";
import type { LooseEnd } from "./connect-new-node.ts";

/** A connection the keyboard's "Connect…" list offers: the edge, and how the list names it. */
export interface ConnectionChoice {
  edge: ProposedEdge;
  /** "to" sends the node's output onward; "from" feeds one of its inputs. */
  direction: "to" | "from";
  /** The other node's name and its port, as a person reads it: "Add customer: right input". */
  text: string;
}

const nameOf = (n: PipelineNode) => n.label ?? getNodeDefinition(n.type)?.label ?? n.type;

/**
 * Every edge the canvas would accept (checkConnection: no loops, no second edge into a full input, no duplicates)
 * between one end, a node's output (`source`) or input (`target`), and the ports of the other nodes, in node order.
 * The canvas lights these up while a connection is dragged; the keyboard's list offers them.
 */
export function acceptedEdges(graph: PipelineGraph, end: LooseEnd): ProposedEdge[] {
  const out: ProposedEdge[] = [];
  for (const n of graph.nodes) {
    const def = getNodeDefinition(n.type);
    if (!def) continue;
    for (const p of end.side === "source" ? def.inputs : def.outputs) {
      const edge =
        end.side === "source"
          ? { source: end.nodeId, sourcePort: end.port, target: n.id, targetPort: p.name }
          : { source: n.id, sourcePort: p.name, target: end.nodeId, targetPort: end.port };
      if (checkConnection(graph, edge).ok) out.push(edge);
    }
  }
  return out;
}

/**
 * Every connection the node could make now, as the canvas would accept it: from each of its outputs to each other
 * node's inputs, then into each of its inputs from each other node's outputs. Ports are named when a node has more
 * than one, as on the cards.
 */
export function connectionChoices(graph: PipelineGraph, nodeId: string): ConnectionChoice[] {
  const self = graph.nodes.find((n) => n.id === nodeId);
  const def = self && getNodeDefinition(self.type);
  if (!self || !def) return [];
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const out: ConnectionChoice[] = [];
  for (const from of def.outputs) {
    for (const edge of acceptedEdges(graph, { nodeId, port: from.name, side: "source" })) {
      const other = byId.get(edge.target)!;
      const inputs = getNodeDefinition(other.type)?.inputs ?? [];
      const to = inputs.find((p) => p.name === edge.targetPort);
      const port = inputs.length > 1 && to ? `: ${to.label.toLowerCase()} input` : "";
      const via = def.outputs.length > 1 ? ` (from ${from.label.toLowerCase()})` : "";
      out.push({ edge, direction: "to", text: `${nameOf(other)}${port}${via}` });
    }
  }
  for (const into of def.inputs) {
    for (const edge of acceptedEdges(graph, { nodeId, port: into.name, side: "target" })) {
      const other = byId.get(edge.source)!;
      const outputs = getNodeDefinition(other.type)?.outputs ?? [];
      const from = outputs.find((p) => p.name === edge.sourcePort);
      const port = outputs.length > 1 && from ? `: ${from.label.toLowerCase()}` : "";
      const via = def.inputs.length > 1 ? ` (into ${into.label.toLowerCase()})` : "";
      out.push({ edge, direction: "from", text: `${nameOf(other)}${port}${via}` });
    }
  }
  return out;
}

/** Choices whose text holds every word of the query, in any order and case. */
export function filterChoices(choices: ConnectionChoice[], query: string): ConnectionChoice[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  return choices.filter((c) => words.every((w) => c.text.toLowerCase().includes(w)));
}
