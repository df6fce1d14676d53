import { error, pipelineGraphSchema, warning, type Column, type Issue, type PipelineGraph } from "@sluice/model";
import type { PipelineEnvironment } from "../catalog/node-definition.ts";
import { indexGraph, portCountIssues, type GraphIndex } from "./graph-index.ts";
import { topologicalOrder } from "./topological-order.ts";

export interface GraphAnalysis {
  graph: PipelineGraph | undefined;
  index: GraphIndex | undefined;
  /** Runnable order of the nodes not on a cycle. */
  order: string[];
  /** Configs parsed by their node type's schema, defaults filled in. */
  configs: Map<string, unknown>;
  /** Output columns per node and output port, for nodes whose schema could be inferred. */
  portSchemas: Map<string, Record<string, Column[]>>;
  problems: Issue[];
}

const pathOf = (path: PropertyKey[]) => path.map(String).join(".");

/**
 * Checks a graph end to end and propagates schemas from sources to sinks. Every problem is reported at
 * once; a node whose inputs could not be inferred is not inferred itself, so one mistake upstream does not
 * flood every node below it with follow-on errors.
 */
export function analyzeGraph(input: unknown, env: PipelineEnvironment): GraphAnalysis {
  const parsed = pipelineGraphSchema.safeParse(input);
  if (!parsed.success) {
    return {
      graph: undefined,
      index: undefined,
      order: [],
      configs: new Map(),
      portSchemas: new Map(),
      problems: parsed.error.issues.map((i) => error("INVALID_GRAPH", `${pathOf(i.path) || "graph"}: ${i.message}`, { field: pathOf(i.path) })),
    };
  }
  const graph = parsed.data;
  const index = indexGraph(graph);
  const problems: Issue[] = [...index.issues, ...portCountIssues(index)];
  const { order, issues: cycleIssues } = topologicalOrder(index);
  problems.push(...cycleIssues);

  const configs = new Map<string, unknown>();
  for (const [id, { node, def }] of index.nodes) {
    if (!def) continue;
    const result = def.configSchema.safeParse(node.config);
    if (result.success) configs.set(id, result.data);
    else {
      for (const i of result.error.issues) {
        const field = pathOf(i.path);
        problems.push(error("INVALID_CONFIG", `${def.label}: ${field ? `${field}: ` : ""}${i.message}`, { nodeId: id, field: field || "config" }));
      }
    }
  }

  const portSchemas = new Map<string, Record<string, Column[]>>();
  const brokenPorts = new Set(problems.filter((p) => p.code === "PORT_INPUT_MISSING" || p.code === "PORT_TOO_MANY_INPUTS").map((p) => p.nodeId));
  for (const id of order) {
    const { def } = index.nodes.get(id)!;
    if (!def || !configs.has(id) || brokenPorts.has(id)) continue;
    const inputs: Record<string, Column[][]> = {};
    let known = true;
    for (const port of def.inputs) {
      inputs[port.name] = (index.incoming.get(id)?.get(port.name) ?? []).map((e) => {
        const cols = portSchemas.get(e.edge.source)?.[e.sourcePort];
        if (!cols) known = false;
        return cols ?? [];
      });
    }
    if (!known) continue;
    const inferred = def.inferSchema({ nodeId: id, inputs, env }, configs.get(id));
    if (inferred.ok) portSchemas.set(id, inferred.value);
    else problems.push(...inferred.issues.map((i) => ({ ...i, nodeId: i.nodeId ?? id })));
  }

  if (graph.nodes.length > 0 && ![...index.nodes.values()].some((n) => n.def?.category === "sink")) {
    problems.push(warning("NO_SINK", "The pipeline has no sink, so a run writes nothing. Add a table or file sink."));
  }
  return { graph, index, order, configs, portSchemas, problems };
}
