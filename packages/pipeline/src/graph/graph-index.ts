import { error, type Issue, type PipelineEdge, type PipelineGraph, type PipelineNode } from "@sluice/model";
import type { AnyNodeDefinition, PortSpec } from "../catalog/node-definition.ts";
import { getNodeDefinition } from "../catalog/registry.ts";

/** An edge whose endpoints and ports were all found. */
export interface ResolvedEdge {
  edge: PipelineEdge;
  sourcePort: string;
  targetPort: string;
}

export interface GraphIndex {
  nodes: Map<string, { node: PipelineNode; def: AnyNodeDefinition | undefined }>;
  edges: ResolvedEdge[];
  /** Per target node and input port, the incoming edges in graph order. */
  incoming: Map<string, Map<string, ResolvedEdge[]>>;
  issues: Issue[];
}

function resolvePort(ports: PortSpec[], given: string | undefined): string | { problem: string } {
  if (given !== undefined) return ports.some((p) => p.name === given) ? given : { problem: `has no port "${given}"` };
  if (ports.length === 1) return ports[0]!.name;
  if (ports.length === 0) return { problem: "has no ports on that side" };
  return { problem: `has several ports (${ports.map((p) => p.name).join(", ")}); name one` };
}

/** Looks every node and edge up once, collecting what does not fit: unknown types, dangling edges, bad ports. */
export function indexGraph(graph: PipelineGraph): GraphIndex {
  const issues: Issue[] = [];
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
  const edgeIds = new Set<string>();
  const edges: ResolvedEdge[] = [];
  for (const edge of graph.edges) {
    if (edgeIds.has(edge.id)) {
      issues.push(error("DUPLICATE_EDGE_ID", `Two edges have the id "${edge.id}"; edge ids must be unique.`, { edgeId: edge.id }));
      continue;
    }
    edgeIds.add(edge.id);
    const source = nodes.get(edge.source);
    const target = nodes.get(edge.target);
    let broken = false;
    for (const [end, id] of [["source", edge.source], ["target", edge.target]] as const) {
      if (!nodes.has(id)) {
        issues.push(error("EDGE_MISSING_NODE", `Edge "${edge.id}" ${end === "source" ? "starts at" : "ends at"} node "${id}", which does not exist.`, { edgeId: edge.id, field: end }));
        broken = true;
      }
    }
    if (broken || !source?.def || !target?.def) continue;
    const sourcePort = resolvePort(source.def.outputs, edge.sourcePort);
    const targetPort = resolvePort(target.def.inputs, edge.targetPort);
    if (typeof sourcePort !== "string") {
      issues.push(error("EDGE_UNKNOWN_PORT", `Edge "${edge.id}": output side of node "${edge.source}" (${source.def.label}) ${sourcePort.problem}.`, { edgeId: edge.id, nodeId: edge.source, field: "sourcePort" }));
    }
    if (typeof targetPort !== "string") {
      issues.push(error("EDGE_UNKNOWN_PORT", `Edge "${edge.id}": input side of node "${edge.target}" (${target.def.label}) ${targetPort.problem}.`, { edgeId: edge.id, nodeId: edge.target, field: "targetPort" }));
    }
    if (typeof sourcePort === "string" && typeof targetPort === "string") edges.push({ edge, sourcePort, targetPort });
  }
  const incoming: GraphIndex["incoming"] = new Map();
  for (const e of edges) {
    const ports = incoming.get(e.edge.target) ?? new Map<string, ResolvedEdge[]>();
    ports.set(e.targetPort, [...(ports.get(e.targetPort) ?? []), e]);
    incoming.set(e.edge.target, ports);
  }
  return { nodes, edges, incoming, issues };
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
      if (count < min) {
        const need = min === 1 ? "an input" : `at least ${min} inputs`;
        issues.push(error("PORT_INPUT_MISSING", `${def.label} needs ${need} on "${port.label}"${count ? ` (has ${count})` : ""}.`, { nodeId: id, port: port.name }));
      } else if (count > max) {
        issues.push(error("PORT_TOO_MANY_INPUTS", `${def.label} takes ${max === 1 ? "one input" : `at most ${max} inputs`} on "${port.label}" but has ${count}.`, { nodeId: id, port: port.name }));
      }
    }
  }
  return issues;
}
