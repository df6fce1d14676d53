import { useMemo } from "react";
import type { PipelineGraph } from "@sluice/model";
import type { WatchedRun } from "../api/run-events.ts";
import { usePipelineVersion } from "../api/pipelines.queries.ts";
import { markStale, staleNodes, type ShownNodeRun } from "../graph/run-freshness.ts";

const none = new Map<string, ShownNodeRun>();

/**
 * The watched run's node results for the canvas, each marked stale once the graph being edited differs, at that
 * node or upstream of it, from the version the run used (fetched once: versions never change). Until that version
 * has loaded the results show as they are.
 */
export function useRunFreshness(pipelineId: string, watch: WatchedRun | null, graph: PipelineGraph): Map<string, ShownNodeRun> {
  const version = watch?.run?.versionNumber ?? null;
  const ran = usePipelineVersion(pipelineId, version).data?.graph;
  // A text key, so moving a node (a new graph, the same stale nodes) does not redraw every card.
  const staleKey = useMemo(() => (ran ? [...staleNodes(ran, graph)].sort().join("\n") : ""), [ran, graph]);
  const nodes = watch?.nodes;
  return useMemo(
    () => (!nodes ? none : version === null || staleKey === "" ? nodes : markStale(nodes, new Set(staleKey.split("\n")), version)),
    [nodes, staleKey, version],
  );
}
