import type { PipelineGraph, PipelineNode } from "@sluice/model";
import { checkConnection, getNodeDefinition, type ProposedEdge } from "@sluice/pipeline";

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
 * Every connection the node could make now, as the canvas would accept it (checkConnection: no loops, no second edge
 * into a full input, no duplicates): from each of its outputs to each other node's inputs, then into each of its
 * inputs from each other node's outputs. Ports are named when a node has more than one, as on the cards.
 */
export function connectionChoices(graph: PipelineGraph, nodeId: string): ConnectionChoice[] {
  const self = graph.nodes.find((n) => n.id === nodeId);
  const def = self && getNodeDefinition(self.type);
  if (!self || !def) return [];
  const others = graph.nodes.filter((n) => n.id !== nodeId);
  const out: ConnectionChoice[] = [];
  for (const from of def.outputs) {
    for (const other of others) {
      const inputs = getNodeDefinition(other.type)?.inputs ?? [];
      for (const to of inputs) {
        const edge = { source: nodeId, sourcePort: from.name, target: other.id, targetPort: to.name };
        if (!checkConnection(graph, edge).ok) continue;
        const port = inputs.length > 1 ? `: ${to.label.toLowerCase()} input` : "";
        const via = def.outputs.length > 1 ? ` (from ${from.label.toLowerCase()})` : "";
        out.push({ edge, direction: "to", text: `${nameOf(other)}${port}${via}` });
      }
    }
  }
  for (const into of def.inputs) {
    for (const other of others) {
      const outputs = getNodeDefinition(other.type)?.outputs ?? [];
      for (const from of outputs) {
        const edge = { source: other.id, sourcePort: from.name, target: nodeId, targetPort: into.name };
        if (!checkConnection(graph, edge).ok) continue;
        const port = outputs.length > 1 ? `: ${from.label.toLowerCase()}` : "";
        const via = def.inputs.length > 1 ? ` (into ${into.label.toLowerCase()})` : "";
        out.push({ edge, direction: "from", text: `${nameOf(other)}${port}${via}` });
      }
    }
  }
  return out;
}

/** Choices whose text holds every word of the query, in any order and case. */
export function filterChoices(choices: ConnectionChoice[], query: string): ConnectionChoice[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  return choices.filter((c) => words.every((w) => c.text.toLowerCase().includes(w)));
}
