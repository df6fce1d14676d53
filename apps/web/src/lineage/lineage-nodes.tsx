import { memo } from "react";
import { Handle, Position, type Node, type NodeProps } from "@xyflow/react";
import { Link } from "react-router-dom";
import type { WorkspaceLineage } from "@sluice/model";

type Dataset = WorkspaceLineage["datasets"][number];
export type PipelineBoxNode = Node<{ pipeline: WorkspaceLineage["pipelines"][number] }, "pipeline">;
export type DatasetBoxNode = Node<{ dataset: Dataset; selected: boolean; onSelect(d: Dataset): void }, "dataset">;

const kindLabel: Record<Dataset["kind"], string> = { file: "file", postgres: "table", http: "API", "file-output": "output file" };

const handles = (
  <>
    <Handle type="target" position={Position.Left} isConnectable={false} className="!bg-slate-400" />
    <Handle type="source" position={Position.Right} isConnectable={false} className="!bg-slate-400" />
  </>
);

/** A pipeline: a solid card that opens it in the editor. */
const PipelineBox = memo(function PipelineBox({ data }: NodeProps<PipelineBoxNode>) {
  return (
    <div className="w-[220px] rounded-lg border-2 border-cyan-700 bg-white px-3 py-2 shadow-sm" data-testid="lineage-pipeline">
      {handles}
      <Link to={`/pipelines/${encodeURIComponent(data.pipeline.id)}`} className="block truncate text-sm font-semibold text-cyan-900 underline">
        {data.pipeline.name}
      </Link>
      <div className="text-[11px] text-slate-600">pipeline · version {data.pipeline.version}</div>
    </div>
  );
});

/** A dataset: a rounded, dashed shape (a file, table, API) whose button shows who uses it. */
const DatasetBox = memo(function DatasetBox({ data }: NodeProps<DatasetBoxNode>) {
  const d = data.dataset;
  return (
    <div className={`w-[220px] rounded-2xl border-2 border-dashed px-3 py-2 ${data.selected ? "border-amber-600 bg-amber-50" : "border-slate-400 bg-slate-50"}`} data-testid="lineage-dataset">
      {handles}
      <button type="button" aria-pressed={data.selected} onClick={() => data.onSelect(d)} className="block w-full truncate text-left text-sm font-medium text-slate-900 hover:underline" title={`${d.namespace} ${d.name}`}>
        {d.label}
      </button>
      <div className="truncate text-[11px] text-slate-600">
        {kindLabel[d.kind]} · {d.namespace}
      </div>
    </div>
  );
});

/** Defined once at module scope: React Flow re-mounts every node when this object changes identity. */
export const lineageNodeTypes = { pipeline: PipelineBox, dataset: DatasetBox };
