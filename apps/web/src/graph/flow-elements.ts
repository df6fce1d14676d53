import type { Edge } from "@xyflow/react";
import type { Issue, PipelineGraph } from "@sluice/model";
import { getNodeDefinition } from "@sluice/pipeline";
import type { PipelineFlowNode } from "./pipeline-node.tsx";
import type { ShownNodeRun } from "./run-freshness.ts";
import type { NodeHighlight } from "../lineage/trace-view.ts";
import { formatCount } from "../lib/format-duration.ts";

/** What a drawing of a graph shows besides the graph: problems and run status per node, selection, measured sizes. */
export interface FlowDecorations {
  problemsByNode?: ReadonlyMap<string, Issue[]>;
  /** Why a node cannot run in the database, where that was an option or was asked for. */
  engineNotes?: ReadonlyMap<string, string>;
  /** A run's results per node; one marked `staleFrom` is drawn as from an earlier graph. */
  runNodes: ReadonlyMap<string, ShownNodeRun>;
  selectedNodes?: readonly string[];
  selectedEdges?: readonly string[];
  /** React Flow measures nodes itself; passing the sizes back lets the minimap and fit view work on controlled nodes. */
  measured?: Readonly<Record<string, { width: number; height: number }>>;
  /** A column traced from the preview: per node on its path, the columns to mark (lineage/trace-view.ts). */
  lineage?: ReadonlyMap<string, NodeHighlight> | undefined;
}

/** A node's name for people: its label and its type's ("Add customer, Join"), or the type's alone. */
export function nodeName(n: PipelineGraph["nodes"][number]): string {
  const type = getNodeDefinition(n.type)?.label ?? `Unknown type ${n.type}`;
  return n.label && n.label !== type ? `${n.label}, ${type}` : type;
}

/** A graph's nodes as React Flow nodes, each drawn by the one pipeline node card (the editor's and a run's alike). */
export function flowNodes(nodes: PipelineGraph["nodes"], d: FlowDecorations): PipelineFlowNode[] {
  return nodes.map((n) => ({
    id: n.id,
    type: "pipeline",
    position: n.position,
    // What a screen reader says when Tab reaches the node (React Flow gives it role="group").
    ariaLabel: nodeName(n),
    selected: d.selectedNodes?.includes(n.id) ?? false,
    ...(d.measured?.[n.id] ? { measured: d.measured[n.id] } : {}),
    data: { node: n, definition: getNodeDefinition(n.type), problems: d.problemsByNode?.get(n.id) ?? [], engineNote: d.engineNotes?.get(n.id), run: d.runNodes.get(n.id), lineage: d.lineage?.get(n.id) },
  }));
}

/**
 * A graph's edges as React Flow edges: the rows that passed once a run reached them (grey and italic, class
 * `run-stale`, when the source's result is from before the graph changed), a rejects edge drawn in red.
 */
export function flowEdges(edges: PipelineGraph["edges"], d: FlowDecorations): Edge[] {
  return edges.map((e) => {
    // A run's rowsOut counts a node's first output, which every node type names "out": an edge from another port (a
    // retype's rows that failed) carries rows the run did not count, so it gets no label rather than out's count.
    const rows = (e.sourcePort ?? "out") === "out" ? d.runNodes.get(e.source)?.rowsOut : undefined;
    const stale = d.runNodes.get(e.source)?.staleFrom !== undefined;
    const running = d.runNodes.get(e.target)?.status === "running";
    return {
      id: e.id,
      source: e.source,
      target: e.target,
      sourceHandle: e.sourcePort ?? "out",
      targetHandle: e.targetPort ?? "in",
      selected: d.selectedEdges?.includes(e.id) ?? false,
      animated: running,
      ...(rows !== undefined && rows !== null ? { label: `${formatCount(rows)} rows`, labelBgPadding: [4, 2] as [number, number] } : {}),
      ...(stale && rows !== undefined && rows !== null ? { className: "run-stale", labelStyle: { fill: "#64748b", fontStyle: "italic" } } : {}),
      style: e.sourcePort === "rejects" ? { stroke: "#ef4444", strokeDasharray: "4 3" } : undefined,
    };
  });
}
