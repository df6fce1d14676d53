import type { Column, Issue } from "@sluice/model";
import type { PipelineEnvironment } from "../catalog/node-definition.ts";
import { analyzeGraph, type AnalyzeOptions } from "./analyze-graph.ts";

export interface ValidationResult {
  valid: boolean;
  problems: Issue[];
  /** Each node's main output columns (port "out", else its first output; a sink's input), for nodes that could be inferred. */
  schemas: Record<string, Column[]>;
  /** Every output port's columns, e.g. a retype's "rejects". */
  portSchemas: Record<string, Record<string, Column[]>>;
}

/** Everything wrong with a graph, all at once, and the columns every node produces. */
export function validateGraph(graph: unknown, env: PipelineEnvironment, options: AnalyzeOptions = {}): ValidationResult {
  const a = analyzeGraph(graph, env, options);
  const schemas: Record<string, Column[]> = {};
  const portSchemas: Record<string, Record<string, Column[]>> = {};
  for (const [id, ports] of a.portSchemas) {
    portSchemas[id] = ports;
    const { def } = a.index!.nodes.get(id)!;
    const main = def?.outputs.some((p) => p.name === "out") ? "out" : def?.outputs[0]?.name;
    if (main && ports[main]) schemas[id] = ports[main];
    else if (def?.category === "sink") {
      // A sink shows the rows it would write: its input.
      const e = a.index!.incoming.get(id)?.get(def.inputs[0]?.name ?? "in")?.[0];
      const cols = e?.sourcePort === undefined ? undefined : a.portSchemas.get(e.edge.source)?.[e.sourcePort];
      if (cols) schemas[id] = cols;
    }
  }
  return { valid: !a.problems.some((p) => p.severity === "error"), problems: a.problems, schemas, portSchemas };
}
