import type { Column } from "@sluice/model";
import type { CompiledNodeStep, CompiledPipeline } from "@sluice/pipeline";

/** What a preview of one node shows: the relation of one of its outputs, or for a sink the rows it would write (its input). */
export interface PreviewTarget {
  step: CompiledNodeStep;
  isSink: boolean;
  port: string;
  relation: string;
  columns: Column[];
}

/** Finds the relation a preview of `target` reads, for both DuckDB and in-database previews; a failure says why. */
export function previewTarget(
  compiled: CompiledPipeline,
  target: { nodeId: string; port?: string | undefined },
): PreviewTarget | { code: "UNKNOWN_NODE" | "UNKNOWN_PORT"; message: string } {
  const step = compiled.steps.find((s) => s.nodeId === target.nodeId);
  if (!step) return { code: "UNKNOWN_NODE", message: `Node "${target.nodeId}" is not in the graph.` };
  const isSink = step.step.kind === "sink";
  const port = target.port ?? Object.keys(step.relations)[0] ?? "out";
  const relation = isSink ? Object.values(step.inputRelations)[0]?.[0] : step.relations[port];
  const columns = (isSink ? Object.values(step.inputs)[0]?.[0] : step.outputs[port]) ?? [];
  if (!relation) return { code: "UNKNOWN_PORT", message: `Node "${target.nodeId}" has no output "${port}".` };
  return { step, isSink, port, relation, columns };
}
