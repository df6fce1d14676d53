import { error, type Issue, type PipelineEdge, type PipelineGraph, type PipelineNode } from "@sluice/model";
import type { AnyNodeDefinition, PortSpec } from "../catalog/node-definition.ts";
import { getNodeDefinition } from "../catalog/registry.ts";

/** An edge into a node's input port that was found. */
export interface ResolvedEdge {
  edge: PipelineEdge;
  /** Undefined when the source node's type is unknown or the edge names a port it lacks. */
  sourcePort: string | undefined;
  targetPort: string;
}

/** A node as indexed; `node` is undefined for a node present in the file but malformed. */
export type NodeEntry = { node: PipelineNode; def: AnyNodeDefinition | undefined } | { node: undefined; def: undefined };

export interface GraphIndex {
  nodes: Map<string, NodeEntry>;
  /** Every edge whose two nodes exist, ports resolved or not: what run order and cycle checks follow. */
  links: { source: string; target: string }[];
  /** Per target node and input port, the incoming edges in graph order. */
  incoming: Map<string, Map<string, ResolvedEdge[]>>;
  /** Nodes with an input that is present but broken: not counted as missing, and not inferred. */
  blocked: Set<string>;
  issues: Issue[];
}

export interface IndexHints {
  /** Ids of nodes present but malformed (already reported as INVALID_GRAPH). */
  unreadableNodes?: readonly string[];
  /** Nodes that malformed edges point into. */
  unreadableEdgeTargets?: readonly string[];
}

function resolvePort(ports: PortSpec[], given: string | undefined, side: "input" | "output"): string | { problem: string } {
  if (given !== undefined) return ports.some((p) => p.name === given) ? given : { problem: `has no ${side} port "${given}"` };
  if (ports.length === 1) return ports[0]!.name;
  // The main port ("in", "out") is meant when none is named: a check's rows, not its reference; a retype's rows, not its rejects.
  const main = side === "input" ? "in" : "out";
  if (ports.some((p) => p.name === main)) return main;
  if (ports.length === 0) return { problem: side === "input" ? "is a source and takes no inputs" : "is a sink and gives no outputs" };
  return { problem: `has several ${side} ports (${ports.map((p) => p.name).join(", ")}); name one` };
}

function indexNodes(graph: PipelineGraph, hints: IndexHints, issues: Issue[]): GraphIndex["nodes"] {
  const nodes: GraphIndex["nodes"] = new Map();
  for (const node of graph.nodes) {
    if (nodes.has(node.id)) {
      issues.push(error("DUPLICATE_NODE_ID", `Two nodes have the id "${node.id}"; node ids must be unique.`, { nodeId: node.id }));
      continue;
    }
    const def = getNodeDefinition(node.type);
    if (!def) issues.push(error("UNKNOWN_NODE_TYPE", `Node type "${node.type}" does not exist.`, { nodeId: node.id, field: "type" }));
    nodes.set(node.id, { node, def });
  }
  for (const id of hints.unreadableNodes ?? []) {
    if (nodes.has(id)) issues.push(error("DUPLICATE_NODE_ID", `Two nodes have the id "${id}"; node ids must be unique.`, { nodeId: id }));
    else nodes.set(id, { node: undefined, def: undefined });
  }
  return nodes;
}

/**
 * Looks every node and edge up once, collecting what does not fit: duplicate ids, unknown types, dangling
 * edges, bad ports. An edge touching a node that is itself broken (unknown type, malformed) is kept for
 * ordering but not reported again.
 */
export function indexGraph(graph: PipelineGraph, hints: IndexHints = {}): GraphIndex {
  const issues: Issue[] = [];
  const nodes = indexNodes(graph, hints, issues);
  const blocked = new Set((hints.unreadableEdgeTargets ?? []).filter((id) => nodes.has(id)));
  const links: GraphIndex["links"] = [];
  const incoming: GraphIndex["incoming"] = new Map();
  const edgeIds = new Set<string>();
  for (const edge of graph.edges) {
    if (edgeIds.has(edge.id)) {
      issues.push(error("DUPLICATE_EDGE_ID", `Two edges have the id "${edge.id}"; edge ids must be unique.`, { edgeId: edge.id }));
      continue;
    }
    edgeIds.add(edge.id);
    const source = nodes.get(edge.source);
    const target = nodes.get(edge.target);
    for (const [end, id, found] of [["source", edge.source, source], ["target", edge.target, target]] as const) {
      if (found) continue;
      const verb = end === "source" ? "starts at" : "ends at";
      issues.push(error("EDGE_MISSING_NODE", `Edge "${edge.id}" ${verb} node "${id}", which does not exist.`, { edgeId: edge.id, field: end }));
    }
    if (!source || !target) continue;
    links.push({ source: edge.source, target: edge.target });
    let sourcePort: string | undefined;
    if (source.def) {
      const port = resolvePort(source.def.outputs, edge.sourcePort, "output");
      if (typeof port === "string") sourcePort = port;
      else {
        const message = `Edge "${edge.id}": node "${edge.source}" (${source.def.label}) ${port.problem}.`;
        issues.push(error("EDGE_UNKNOWN_PORT", message, { edgeId: edge.id, nodeId: edge.source, field: "sourcePort" }));
      }
    }
    if (!target.def) continue;
    const targetPort = resolvePort(target.def.inputs, edge.targetPort, "input");
    if (typeof targetPort !== "string") {
      const message = `Edge "${edge.id}": node "${edge.target}" (${target.def.label}) ${targetPort.problem}.`;
      issues.push(error("EDGE_UNKNOWN_PORT", message, { edgeId: edge.id, nodeId: edge.target, field: "targetPort" }));
      blocked.add(edge.target);
      continue;
    }
    const ports = incoming.get(edge.target) ?? new Map<string, ResolvedEdge[]>();
    ports.set(targetPort, [...(ports.get(targetPort) ?? []), { edge, sourcePort, targetPort }]);
    incoming.set(edge.target, ports);
  }
  return { nodes, links, incoming, blocked, issues };
}

/** Checks each input port's edge count against what the node type accepts. */
export function portCountIssues(index: GraphIndex): Issue[] {
  const issues: Issue[] = [];
  for (const [id, { def }] of index.nodes) {
    if (!def) continue;
    const ports = index.incoming.get(id);
    for (const port of def.inputs) {
      const count = ports?.get(port.name)?.length ?? 0;
      const min = port.minEdges ?? 1;
      const max = port.maxEdges ?? 1;
      // A node with a broken edge into it already has a problem that explains a missing input.
      if (count < min && !index.blocked.has(id)) {
        const need = min === 1 ? "an input" : `at least ${min} inputs`;
        issues.push(error("PORT_INPUT_MISSING", `${def.label} needs ${need} on "${port.label}"${count ? ` (has ${count})` : ""}.`, { nodeId: id, port: port.name }));
      } else if (count > max) {
        issues.push(error("PORT_TOO_MANY_INPUTS", `${def.label} takes ${max === 1 ? "one input" : `at most ${max} inputs`} on "${port.label}" but has ${count}.`, { nodeId: id, port: port.name }));
      }
    }
  }
  return issues;
}
