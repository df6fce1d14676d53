import { useEffect, useMemo, useState } from "react";
import type { PipelineGraph } from "@sluice/model";
import { DATASET_PORT, getNodeDefinition, traceColumn, type ColumnLineage } from "@sluice/pipeline";
import { describeTrace, traceHighlight, type NodeHighlight } from "./trace-view.ts";

export interface ColumnTraceState {
  /** Per node on the traced column's path, what the canvas marks. */
  highlight: ReadonlyMap<string, NodeHighlight> | undefined;
  /** The column traced at `nodeId` and its path in words, for the preview. */
  view: { column: string; text: string } | null;
  /** Trace a column of the node's preview (again: stop tracing it). */
  toggle(column: string): void;
  clear(): void;
}

/**
 * The column traced from the preview of `nodeId`: its path over the graph's lineage, and its clearing by Escape or by
 * a click anywhere but a column header (those carry data-lineage-keep). Selecting another node drops it.
 */
export function useColumnTrace(lineage: ColumnLineage | null, graph: PipelineGraph, nodeId: string | null): ColumnTraceState {
  const [traced, setTraced] = useState<{ nodeId: string; column: string } | null>(null);
  const active = traced && traced.nodeId === nodeId ? traced : null;

  useEffect(() => {
    if (!active) return;
    const onKey = (e: KeyboardEvent) => e.key === "Escape" && setTraced(null);
    const onDown = (e: PointerEvent) => {
      if (!(e.target instanceof Element) || !e.target.closest("[data-lineage-keep]")) setTraced(null);
    };
    document.addEventListener("keydown", onKey);
    document.addEventListener("pointerdown", onDown);
    return () => {
      document.removeEventListener("keydown", onKey);
      document.removeEventListener("pointerdown", onDown);
    };
  }, [active]);

  return useMemo(() => {
    const clear = () => setTraced(null);
    const toggle = (column: string) => nodeId && setTraced((t) => (t?.nodeId === nodeId && t.column === column ? null : { nodeId, column }));
    if (!active) return { highlight: undefined, view: null, toggle, clear };
    if (!lineage?.nodes[active.nodeId]) {
      const why = lineage ? "not known while this node or one above it has a problem" : "being worked out";
      return { highlight: undefined, view: { column: active.column, text: `${active.column}: ${why}` }, toggle, clear };
    }
    // The port the preview shows: a node's first output, a sink's input (what it writes).
    const node = graph.nodes.find((n) => n.id === active.nodeId);
    const port = (node && getNodeDefinition(node.type)?.outputs[0]?.name) ?? DATASET_PORT;
    const trace = traceColumn(lineage, { nodeId: active.nodeId, port, column: active.column });
    return { highlight: traceHighlight(trace), view: { column: active.column, text: describeTrace(trace, graph) }, toggle, clear };
  }, [active, lineage, graph, nodeId]);
}
