import { memo } from "react";
import { Handle, Position, useNodeId, type Node, type NodeProps } from "@xyflow/react";
import type { Issue, NodeRunInfo, PipelineNode } from "@sluice/model";
import type { AnyNodeDefinition } from "@sluice/pipeline";
import { useConnectTarget } from "./connect-target.ts";
import { NodeIcon } from "./node-icons.tsx";
import { nodeSummary } from "./node-summary.ts";
import { formatDuration, formatCount } from "../lib/format-duration.ts";
import type { ShownNodeRun } from "./run-freshness.ts";
import type { NodeHighlight } from "../lineage/trace-view.ts";

export type PipelineNodeData = {
  node: PipelineNode;
  definition: AnyNodeDefinition | undefined;
  problems: Issue[];
  /** Why this node cannot run in the database (said where the database was an option or was asked for). */
  engineNote?: string | undefined;
  /** Status and rows of this node in the run being watched (or the last one); grey once stale (see run-freshness.ts). */
  run?: ShownNodeRun | undefined;
  /** On the path of a column traced from the preview: which of its columns (see lineage/trace-view.ts). */
  lineage?: NodeHighlight | undefined;
};
export type PipelineFlowNode = Node<PipelineNodeData, "pipeline">;

const runRing: Record<NodeRunInfo["status"], string> = {
  queued: "ring-slate-300",
  // The ring pulses, not the card: animate-pulse faded the node's name and type to half their contrast.
  running: "ring-cyan-500 node-running",
  succeeded: "ring-emerald-500",
  failed: "ring-red-500",
  cancelled: "ring-slate-400",
};

/** Spreads several handles along a side, with their port names so a join's left and right are told apart. */
function Ports({ ports, side }: { ports: { name: string; label: string }[]; side: "in" | "out" }) {
  return ports.map((p, i) => <Port key={p.name} port={p} side={side} top={`${((i + 1) / (ports.length + 1)) * 100}%`} many={ports.length > 1} />);
}

/** One handle; while a connection is dragged, lit when it would take it and faded when it would not. */
function Port({ port: p, side, top, many }: { port: { name: string; label: string }; side: "in" | "out"; top: string; many: boolean }) {
  const target = useConnectTarget(useNodeId(), p.name, side);
  const lit = target === "valid" ? "!scale-150 ring-2 ring-emerald-300" : target === "invalid" ? "opacity-30" : "";
  return (
    <Handle
      id={p.name}
      type={side === "in" ? "target" : "source"}
      position={side === "in" ? Position.Left : Position.Right}
      style={{ top }}
      data-connect-target={target}
      className={`!h-3 !w-3 !border-2 !border-white ${p.name === "rejects" ? "!bg-red-500" : target === "valid" ? "!bg-emerald-500" : "!bg-slate-500"} ${lit}`}
      // A title, not an aria-label: a handle is a plain div (no role may carry a name); keyboard users connect from
      // the inspector's "Connect to…" list instead.
      title={`${side === "in" ? "Input" : "Output"}: ${p.label}`}
    >
      {many || p.name !== (side === "in" ? "in" : "out") ? (
        <span
          // Outside the card, beside the handle, so port names never cover the node's own text.
          className={`pointer-events-none absolute bottom-2.5 text-[10px] whitespace-nowrap text-slate-600 ${side === "in" ? "right-1" : "left-1"}`}
        >
          {p.label}
        </span>
      ) : null}
    </Handle>
  );
}

const staleNote = (version: number) => `from the run of v${version}, before your changes`;

export const PipelineNodeCard = memo(function PipelineNodeCard({ data, selected }: NodeProps<PipelineFlowNode>) {
  const { node, definition: def, problems, engineNote, run, lineage } = data;
  const errors = problems.filter((p) => p.severity === "error");
  const label = node.label ?? def?.label ?? node.type;
  const summary = nodeSummary(def, node.config);
  const title = errors.length > 0 ? errors.map((p) => p.message).join("\n") : summary;
  const connectTarget = useConnectTarget(node.id);
  return (
    <div
      title={title}
      data-testid={`node-${node.id}`}
      data-status={run?.status ?? "idle"}
      data-run={run ? (run.staleFrom !== undefined ? "stale" : "current") : undefined}
      data-invalid={errors.length > 0 ? "true" : "false"}
      data-connect-target={connectTarget}
      data-lineage={lineage?.role}
      className={`w-[220px] rounded-lg border bg-white px-3 py-2 shadow-sm ${lineage ? "outline-3 outline-offset-2 outline-amber-500" : ""} ${
        errors.length > 0 ? "border-red-500 ring-1 ring-red-400" : selected ? "border-cyan-600 ring-2 ring-cyan-500/40" : "border-slate-300"
      } ${run ? `ring-2 ${run.staleFrom !== undefined ? "ring-slate-300" : runRing[run.status]}` : ""} ${connectTarget === "invalid" ? "opacity-40" : connectTarget === "valid" ? "shadow-md shadow-emerald-200" : ""}`}
    >
      {def && <Ports ports={def.inputs} side="in" />}
      <div className="flex items-center gap-2">
        {def ? <NodeIcon category={def.category} /> : <span className="h-6 w-6 rounded bg-slate-400" />}
        <div className="min-w-0">
          <div className="truncate text-sm font-medium text-slate-900">{label}</div>
          <div className="truncate text-[11px] text-slate-500">{def?.label ?? `Unknown type ${node.type}`}</div>
        </div>
      </div>
      <div className="mt-1 truncate text-xs text-slate-600">{summary || "\u00a0"}</div>
      {errors.length > 0 && (
        <div className="mt-1 truncate text-xs text-red-700" role="note">
          {errors.length === 1 ? errors[0]!.message : `${errors.length} problems: ${errors[0]!.message}`}
        </div>
      )}
      {engineNote && (
        <div className="mt-1 truncate text-[11px] text-slate-600" data-testid={`node-engine-${node.id}`} title={`Cannot run in the database: ${engineNote}`}>
          <span aria-hidden>⊘ </span>Not in the database<span className="sr-only">: {engineNote}</span>
        </div>
      )}
      {lineage && <LineageNote nodeId={node.id} lineage={lineage} />}
      {run && (
        <div
          className={`mt-1 text-[11px] ${run.staleFrom !== undefined ? "text-slate-500 italic" : "text-slate-600"}`}
          data-testid={`node-run-${node.id}`}
          title={run.staleFrom !== undefined ? `${staleNote(run.staleFrom)}: it may differ now` : undefined}
        >
          {run.status}
          {run.rowsOut !== null ? ` · ${formatCount(run.rowsOut)} rows` : ""}
          {run.durationMs !== null ? ` · ${formatDuration(run.durationMs)}` : ""}
          {run.staleFrom !== undefined && <span className="sr-only">, {staleNote(run.staleFrom)}</span>}
        </div>
      )}
      {run?.error && (
        <div className={`mt-1 line-clamp-3 text-[11px] ${run.staleFrom !== undefined ? "text-slate-500 italic" : "text-red-700"}`} role="note" title={run.error}>
          {run.error}
        </div>
      )}
      {def && <Ports ports={def.outputs} side="out" />}
    </div>
  );
});

/** The columns of a traced column's path this node holds: those the value flows through, then those that decide its rows. */
function LineageNote({ nodeId, lineage }: { nodeId: string; lineage: NodeHighlight }) {
  const text = [lineage.columns.join(", "), lineage.rows.length ? `rows: ${lineage.rows.join(", ")}` : ""].filter(Boolean).join(" · ");
  return (
    <div className="mt-1 truncate rounded bg-amber-50 px-1 text-[11px] text-amber-900" data-testid={`node-lineage-${nodeId}`} title={text}>
      <span className="sr-only">On the traced column's path: </span>
      {text}
    </div>
  );
}

/** Defined once at module scope: React Flow re-mounts every node when this object changes identity. */
export const nodeTypes = { pipeline: PipelineNodeCard };
