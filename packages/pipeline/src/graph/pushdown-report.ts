import type { PipelineEnvironment, Pushdown } from "../catalog/node-definition.ts";
import { pushdown } from "../catalog/pushdown.ts";
import type { Dialect } from "../sql/dialect.ts";
import { analyzeGraph, type AnalyzeOptions } from "./analyze-graph.ts";
import { nodeCompileContext } from "./compile-graph.ts";

export type NodePushdown = Pushdown & { nodeId: string; type: string };

/**
 * For each node whose columns are known, whether it would give DuckDB's results when run in a database of
 * `dialect`, or why not (the editor shows the reason on the node). Nodes with problems are left out: validation
 * reports those. Runs on DuckDB are not affected by anything said here.
 */
export function pushdownReport(graph: unknown, env: PipelineEnvironment, dialect: Dialect, options: AnalyzeOptions = {}): NodePushdown[] {
  const a = analyzeGraph(graph, env, options);
  if (!a.index) return [];
  const failed = new Set(a.problems.filter((p) => p.severity === "error" && p.nodeId !== undefined).map((p) => p.nodeId));
  return a.order
    .filter((id) => a.portSchemas.has(id) && !failed.has(id))
    .map((id) => {
      const { def, ...ctx } = nodeCompileContext(a, id, env, dialect);
      return { nodeId: id, type: def.type, ...pushdown(def, ctx, a.configs.get(id)) };
    });
}
