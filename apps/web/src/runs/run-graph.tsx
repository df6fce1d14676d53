import { useMemo } from "react";
import type { NodeRunInfo, PipelineGraph } from "@sluice/model";
import { GraphView } from "../graph/graph-view.tsx";

/**
 * The pipeline version a run executed, read-only, each node coloured by its status in the run, with its rows. Tall
 * enough for a two-row pipeline at a readable zoom with the minimap below it.
 */
export function RunGraph({ graph, nodes }: { graph: PipelineGraph; nodes: NodeRunInfo[] }) {
  const runNodes = useMemo(() => new Map(nodes.map((n) => [n.nodeId, n])), [nodes]);
  return (
    <div className="h-[28rem] rounded-lg border border-slate-200 bg-slate-50">
      <GraphView graph={graph} runNodes={runNodes} label="Pipeline as run" />
    </div>
  );
}
