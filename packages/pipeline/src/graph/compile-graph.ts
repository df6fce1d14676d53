import { error, fail, failAll, ok, type Column, type Issue, type Result } from "@sluice/model";
import type { AnyNodeDefinition, CompiledStep, CompileContext, PipelineEnvironment } from "../catalog/node-definition.ts";
import type { Dialect } from "../sql/dialect.ts";
import { duckdbDialect } from "../sql/duckdb-dialect.ts";
import { quoteIdent } from "../sql/quote.ts";
import { analyzeGraph, type AnalyzeOptions, type GraphAnalysis } from "./analyze-graph.ts";
import { orderObservedNodes } from "./row-order.ts";

export interface CompiledNodeStep {
  nodeId: string;
  type: string;
  label: string;
  step: CompiledStep;
  /** Quoted relation name per output port that this step creates. */
  relations: Record<string, string>;
  /** Per input port, the upstream relations it reads, in edge order. */
  inputRelations: Record<string, string[]>;
  inputs: Record<string, Column[][]>;
  outputs: Record<string, Column[]>;
  /** Its "out" port has exactly as many rows as its inputs together (see NodeDefinition.keepsRowCount). */
  keepsRowCount: boolean;
  /** See NodeDefinition.recompute. */
  recompute: "projection" | "row-filter" | null;
}

export interface CompiledPipeline {
  steps: CompiledNodeStep[];
}

/** One relation per node output: ids are limited to [A-Za-z0-9_-], so names never collide. */
export const relationName = (nodeId: string, port: string) => quoteIdent(`s_${nodeId}_${port}`);

export interface CompileOptions extends AnalyzeOptions {
  /** The SQL dialect the steps are written in; DuckDB's unless said. */
  dialect?: Dialect | undefined;
}

/** The compile context of node `id` of an analysed graph: its inputs' schemas and relations, its own outputs. */
export function nodeCompileContext(a: GraphAnalysis, id: string, env: PipelineEnvironment, dialect: Dialect): CompileContext & { def: AnyNodeDefinition } {
  const { node, def } = a.index!.nodes.get(id)!;
  if (!node || !def) throw new Error(`node ${id} has no definition after validation`);
  const inputs: Record<string, Column[][]> = {};
  const relations: Record<string, string[]> = {};
  for (const port of def.inputs) {
    const edges = a.index!.incoming.get(id)?.get(port.name) ?? [];
    const sourcePorts = edges.map((e) => {
      if (e.sourcePort === undefined) throw new Error(`edge ${e.edge.id} has no source port after validation`);
      return { source: e.edge.source, port: e.sourcePort };
    });
    inputs[port.name] = sourcePorts.map((s) => a.portSchemas.get(s.source)?.[s.port] ?? []);
    relations[port.name] = sourcePorts.map((s) => relationName(s.source, s.port));
  }
  return { def, nodeId: id, inputs, env, params: a.params, relations, outputs: a.portSchemas.get(id) ?? {}, dialect };
}

/** `observed`: the nodes whose row order something downstream observes; absent, every node's (previews). */
function compileNodes(a: GraphAnalysis, ids: string[], env: PipelineEnvironment, dialect: Dialect, observed?: Set<string>): CompiledPipeline {
  const steps: CompiledNodeStep[] = [];
  for (const id of ids) {
    const { def, ...ctx } = { ...nodeCompileContext(a, id, env, dialect), ...(observed ? { orderObserved: observed.has(id) } : {}) };
    const node = a.index!.nodes.get(id)!.node!;
    const { inputs, relations: inputRelations, outputs } = ctx;
    const step = def.compile(ctx, a.configs.get(id));
    const relations = Object.fromEntries(def.outputs.map((p) => [p.name, relationName(id, p.name)]));
    const keepsRowCount = def.keepsRowCount?.(a.configs.get(id)) ?? false;
    const recompute = def.recompute?.(a.configs.get(id)) ?? null;
    steps.push({ nodeId: id, type: node.type, label: node.label ?? def.label, step, relations, inputRelations, inputs, outputs, keepsRowCount, recompute });
  }
  return { steps };
}

/**
 * Run order: every transform before any sink, so a failing step or a failed quality check stops the run
 * before any sink has committed. Sinks have no outputs, so moving them last keeps the order topological.
 */
function sinksLast(a: GraphAnalysis): string[] {
  const isSink = (id: string) => a.index!.nodes.get(id)?.def?.category === "sink";
  return [...a.order.filter((id) => !isSink(id)), ...a.order.filter(isSink)];
}

const errorsOf = (problems: Issue[]) => problems.filter((p) => p.severity === "error");

/** The whole graph as SQL steps in run order; refuses with every problem when the graph is not valid. */
export function compileGraph(graph: unknown, env: PipelineEnvironment, options: CompileOptions = {}): Result<CompiledPipeline> {
  const a = analyzeGraph(graph, env, options);
  const errors = errorsOf(a.problems);
  if (errors.length) return failAll(errors);
  const ids = sinksLast(a);
  return ok(compileNodes(a, ids, env, options.dialect ?? duckdbDialect, orderObservedNodes(a, ids)));
}

/**
 * Only what `nodeId` depends on, for previews; problems elsewhere in the graph do not block it. Every step keeps
 * a defined row order, so a preview shows the same rows in the same order each time, whichever node it shows.
 */
export function compileUpTo(graph: unknown, env: PipelineEnvironment, nodeId: string, options: CompileOptions = {}): Result<CompiledPipeline> {
  const a = analyzeGraph(graph, env, options);
  if (!a.index) return failAll(errorsOf(a.problems));
  if (!a.index.nodes.has(nodeId)) return fail(error("UNKNOWN_NODE", `The graph has no node "${nodeId}".`, { nodeId }));
  const needed = new Set<string>([nodeId]);
  const stack = [nodeId];
  while (stack.length) {
    const id = stack.pop()!;
    for (const edges of a.index.incoming.get(id)?.values() ?? []) {
      for (const e of edges) {
        if (!needed.has(e.edge.source)) {
          needed.add(e.edge.source);
          stack.push(e.edge.source);
        }
      }
    }
  }
  const errors = errorsOf(a.problems).filter((p) => (p.nodeId ? needed.has(p.nodeId) : p.edgeId !== undefined ? false : true));
  if (errors.length) return failAll(errors);
  const ids = a.order.filter((id) => needed.has(id));
  if (!ids.includes(nodeId)) return fail(error("CYCLE", `Node "${nodeId}" is on a cycle.`, { nodeId }));
  // A problem without a node (a malformed edge) can still leave a needed node uninferred.
  const unknown = ids.find((id) => !a.portSchemas.has(id));
  if (unknown !== undefined) {
    const all = errorsOf(a.problems);
    return failAll((all.length ? all : [error("UPSTREAM_INVALID", `The columns of node "${unknown}" are not known.`, { nodeId: unknown })]));
  }
  return ok(compileNodes(a, ids, env, options.dialect ?? duckdbDialect));
}
