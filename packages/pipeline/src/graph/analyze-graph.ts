import { error, warning, type Column, type Issue, type ParameterValues, type PipelineGraph } from "@sluice/model";
import type { PipelineEnvironment } from "../catalog/node-definition.ts";
import { indexGraph, portCountIssues, type GraphIndex } from "./graph-index.ts";
import { parseGraph } from "./parse-graph.ts";
import { migratePipeline } from "../format/load-pipeline.ts";
import { orderNodes } from "./topological-order.ts";
import { resolveParameters, type ResolvedParameters } from "./resolve-parameters.ts";
import { incrementalSinkIssues } from "./incremental-sinks.ts";

export interface AnalyzeOptions {
  /** Values a run supplies; parameters without one take their default. */
  params?: ParameterValues | undefined;
}

export interface GraphAnalysis {
  /** The well-formed part of the graph; undefined when the document as a whole is malformed. */
  graph: PipelineGraph | undefined;
  index: GraphIndex | undefined;
  /** Runnable order of the nodes not on or behind a cycle. */
  order: string[];
  /** Configs parsed by their node type's schema, defaults filled in. */
  configs: Map<string, unknown>;
  /** Output columns per node and output port, for nodes whose schema could be inferred. */
  portSchemas: Map<string, Record<string, Column[]>>;
  /** Every declared parameter's value for this analysis (supplied, else default). */
  params: ResolvedParameters;
  problems: Issue[];
}

const pathOf = (path: PropertyKey[]) => path.map(String).join(".");

function parseConfigs(index: GraphIndex, problems: Issue[]): Map<string, unknown> {
  const configs = new Map<string, unknown>();
  for (const [id, { node, def }] of index.nodes) {
    if (!node || !def) continue;
    const result = def.configSchema.safeParse(node.config);
    if (result.success) configs.set(id, result.data);
    else {
      for (const i of result.error.issues) {
        const field = pathOf(i.path);
        problems.push(error("INVALID_CONFIG", `${def.label}: ${field ? `${field}: ` : ""}${i.message}`, { nodeId: id, field: field || "config" }));
      }
    }
  }
  return configs;
}

/** The parse with the nodes at `failed` (indexes in the document) set aside as unreadable. */
function withoutNodes(parsed: ReturnType<typeof parseGraph>, document: unknown, failed: number[]): ReturnType<typeof parseGraph> {
  if (!failed.length || !parsed.graph) return parsed;
  const raw = (document as { nodes: { id?: unknown }[] }).nodes;
  const ids = new Set(failed.flatMap((at) => (typeof raw[at]?.id === "string" ? [raw[at].id as string] : [])));
  return {
    ...parsed,
    graph: { ...parsed.graph, nodes: parsed.graph.nodes.filter((n) => !ids.has(n.id)) },
    unreadableNodes: [...parsed.unreadableNodes, ...ids],
  };
}

/**
 * Checks a graph end to end and propagates schemas from sources to sinks. Every problem is reported at
 * once; a node whose inputs could not be inferred is not inferred itself (its own config is still
 * checked), so one mistake upstream does not flood every node below it with follow-on errors.
 */
export function analyzeGraph(input: unknown, env: PipelineEnvironment, options: AnalyzeOptions = {}): GraphAnalysis {
  // Untrusted input is migrated first (the one way in, see format/load-pipeline.ts); a node that cannot be brought up
  // to date is reported once and then treated like a malformed one, so it does not also fail its current schema.
  const migrated = migratePipeline(input);
  const none = { graph: undefined, index: undefined, order: [], configs: new Map(), portSchemas: new Map(), params: new Map(), problems: migrated.issues };
  if (migrated.unreadable) return none;
  const parsed = withoutNodes(parseGraph(migrated.document), migrated.document, migrated.failedNodes);
  const graph = parsed.graph;
  const problems: Issue[] = [...migrated.issues, ...parsed.issues];
  if (!graph) return { graph, index: undefined, order: [], configs: new Map(), portSchemas: new Map(), params: new Map(), problems };
  const { values: params, issues: parameterIssues } = resolveParameters(graph.parameters, options.params);
  problems.push(...parameterIssues);
  const index = indexGraph(graph, parsed);
  problems.push(...index.issues, ...portCountIssues(index));
  const { order, issues: cycleIssues } = orderNodes(index);
  problems.push(...cycleIssues);
  const configs = parseConfigs(index, problems);

  const portSchemas = new Map<string, Record<string, Column[]>>();
  const badPorts = new Set(problems.filter((p) => p.code === "PORT_INPUT_MISSING" || p.code === "PORT_TOO_MANY_INPUTS").map((p) => p.nodeId));
  for (const id of order) {
    const { def } = index.nodes.get(id)!;
    if (!def || !configs.has(id) || badPorts.has(id) || index.blocked.has(id)) continue;
    const inputs: Record<string, Column[][]> = {};
    let known = true;
    for (const port of def.inputs) {
      inputs[port.name] = (index.incoming.get(id)?.get(port.name) ?? []).map((e) => {
        const cols = e.sourcePort === undefined ? undefined : portSchemas.get(e.edge.source)?.[e.sourcePort];
        if (!cols) known = false;
        return cols ?? [];
      });
    }
    if (!known) continue;
    const inferred = def.inferSchema({ nodeId: id, inputs, env, params }, configs.get(id));
    if (inferred.ok) portSchemas.set(id, inferred.value);
    else problems.push(...inferred.issues.map((i) => ({ ...i, nodeId: i.nodeId ?? id })));
    problems.push(...(def.warnings?.(configs.get(id)) ?? []).map((i) => ({ ...i, nodeId: i.nodeId ?? id })));
  }

  problems.push(...incrementalSinkIssues(index, configs));
  if (index.nodes.size > 0 && ![...index.nodes.values()].some((n) => n.def?.category === "sink")) {
    problems.push(warning("NO_SINK", "The pipeline has no sink, so a run writes nothing. Add a table or file sink."));
  }
  return { graph, index, order, configs, portSchemas, params, problems };
}
