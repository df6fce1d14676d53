import { useMemo } from "react";
import type { PipelineGraph } from "@sluice/model";
import type { WatchedRun } from "../api/run-events.ts";
import { usePipelineVersion } from "../api/pipelines.queries.ts";
import { markStale, staleNodes, type ShownNodeRun } from "../graph/run-freshness.ts";

const none = new Map<string, ShownNodeRun>();

/**
 * The watched run's node results for the canvas, each marked stale once the graph being edited differs, at that
 * node or upstream of it, from the version the run used (fetched once: versions never change). Until that version
 * has loaded the results show as they are. `behindFrom` is that version once anything a run computes differs (a
 * node stale or one removed), so the toolbar can say the last run was before the changes; otherwise null.
 */
export function useRunFreshness(
  pipelineId: string,
  watch: WatchedRun | null,
  graph: PipelineGraph,
): { nodes: Map<string, ShownNodeRun>; behindFrom: number | null } {
  const version = watch?.run?.versionNumber ?? null;
  const ran = usePipelineVersion(pipelineId, version).data?.graph;
  // A text key, so moving a node (a new graph, the same stale nodes) does not redraw every card.
  const staleKey = useMemo(() => (ran ? [...staleNodes(ran, graph)].sort().join("\n") : ""), [ran, graph]);
  const removed = useMemo(() => (ran ? ran.nodes.some((n) => !graph.nodes.some((m) => m.id === n.id)) : false), [ran, graph]);
  const nodes = watch?.nodes;
  const shown = useMemo(
    () => (!nodes ? none : version === null || staleKey === "" ? nodes : markStale(nodes, new Set(staleKey.split("\n")), version)),
    [nodes, staleKey, version],
  );
  return { nodes: shown, behindFrom: version !== null && (staleKey !== "" || removed) ? version : null };
}
