import { useEffect, useMemo, useRef, useState } from "react";
import { Background, ReactFlow, ReactFlowProvider, useReactFlow, useStore, type Edge } from "@xyflow/react";
import type { WorkspaceLineage } from "@sluice/model";
import { useDatasetUsage, useWorkspaceLineage } from "../api/lineage.queries.ts";
import { Button } from "../components/button.tsx";
import { DataTable } from "../components/data-table.tsx";
import { EmptyState } from "../components/empty-state.tsx";
import { ErrorBanner } from "../components/error-banner.tsx";
import { Spinner } from "../components/spinner.tsx";
import { CanvasControls } from "../graph/canvas-controls.tsx";
import { useReadableFit } from "../graph/use-readable-fit.ts";
import { lineageNodeTypes, type DatasetBoxNode, type PipelineBoxNode } from "../lineage/lineage-nodes.tsx";
import { UsedBy } from "../lineage/used-by.tsx";
import { usersOf, workspaceGraph } from "../lineage/workspace-graph.ts";
import "@xyflow/react/dist/style.css";

type Dataset = WorkspaceLineage["datasets"][number];

/** Pipelines and the files, tables and APIs they read and write, as one graph; a dataset's button shows who uses it. */
export function LineagePage() {
  const lineage = useWorkspaceLineage();
  const [selected, setSelected] = useState<Dataset | null>(null);
  return (
    <div className="flex flex-col">
      <h1 className="mb-1 text-2xl font-semibold">Lineage</h1>
      <p className="mb-4 text-sm text-slate-600">
        Each pipeline (solid) with the files, tables and APIs it reads (left) and writes (right), at its current version. Pipelines that meet at a
        table are chained through it. Choose a dataset to see who uses it.
      </p>
      {lineage.isPending ? (
        <Spinner label="Loading lineage" />
      ) : lineage.error ? (
        <ErrorBanner error={lineage.error} action={<Button onClick={() => void lineage.refetch()}>Try again</Button>} />
      ) : lineage.data.pipelines.length === 0 ? (
        <EmptyState title="No pipelines yet">Pipelines appear here with what they read and write.</EmptyState>
      ) : (
        <div className="flex h-[60vh] min-h-[420px] gap-4">
          <div className="min-w-0 flex-1 rounded-lg border border-slate-200 bg-white">
            <ReactFlowProvider>
              <LineageGraph lineage={lineage.data} selected={selected} onSelect={setSelected} />
            </ReactFlowProvider>
          </div>
          {selected && <DatasetPanel dataset={selected} lineage={lineage.data} onClose={() => setSelected(null)} />}
        </div>
      )}
      {lineage.data && lineage.data.datasets.length > 0 && <DatasetList lineage={lineage.data} selected={selected} onSelect={setSelected} />}
    </div>
  );
}

const sameDataset = (a: Dataset | null, b: Dataset) => a !== null && a.namespace === b.namespace && a.name === b.name;

function LineageGraph({ lineage, selected, onSelect }: { lineage: WorkspaceLineage; selected: Dataset | null; onSelect(d: Dataset): void }) {
  const layout = useMemo(() => workspaceGraph(lineage), [lineage]);
  const nodes = useMemo(
    () =>
      layout.nodes.map((n): PipelineBoxNode | DatasetBoxNode =>
        n.kind === "pipeline"
          ? { id: n.id, type: "pipeline", position: n.position, data: { pipeline: n.pipeline! }, ariaLabel: `Pipeline ${n.pipeline!.name}` }
          : { id: n.id, type: "dataset", position: n.position, data: { dataset: n.dataset!, selected: sameDataset(selected, n.dataset!), onSelect }, ariaLabel: `Dataset ${n.dataset!.label}` },
      ),
    [layout, selected, onSelect],
  );
  const edges: Edge[] = useMemo(() => layout.edges.map((e) => ({ ...e, markerEnd: { type: "arrowclosed" as const } })), [layout]);
  return (
    <ReactFlow
      aria-label="Pipelines and datasets"
      nodes={nodes}
      edges={edges}
      nodeTypes={lineageNodeTypes}
      nodesDraggable={false}
      nodesConnectable={false}
      elementsSelectable={false}
      deleteKeyCode={null}
      minZoom={0.2}
      proOptions={{ hideAttribution: true }}
    >
      <Background gap={20} />
      <CanvasControls fitOnLoad />
      <RefitOnPanel open={selected !== null} selectedId={nodes.find((n) => n.type === "dataset" && n.data.selected)?.id} />
    </ReactFlow>
  );
}

/**
 * The usage panel takes width from the canvas as it opens (and gives it back as it closes): once the canvas has its
 * new width, fit the graph again. The chosen dataset is brought into view when the fit (at a readable zoom, so a wide
 * graph may not fit) leaves it outside, and when another one is chosen with the panel open.
 */
function RefitOnPanel({ open, selectedId }: { open: boolean; selectedId: string | undefined }) {
  const flow = useReactFlow();
  const fit = useReadableFit();
  const size = useStore((s) => ({ width: s.width, height: s.height }), (a, b) => a.width === b.width && a.height === b.height);
  const last = useRef({ open, width: size.width, selectedId });
  useEffect(() => {
    const before = last.current;
    if (before.open !== open) {
      // The panel is rendered but the canvas has not been resized yet: wait for the new width.
      if (size.width === before.width) return;
      fit();
    } else if (before.selectedId === selectedId) {
      last.current = { ...before, width: size.width };
      return;
    }
    last.current = { open, width: size.width, selectedId };
    const node = selectedId ? flow.getInternalNode(selectedId) : undefined;
    if (!node) return;
    const { x, y, zoom } = flow.getViewport();
    const w = node.measured.width ?? 0;
    const h = node.measured.height ?? 0;
    const { x: nx, y: ny } = node.internals.positionAbsolute;
    const [left, top] = [nx * zoom + x, ny * zoom + y];
    if (left < 0 || top < 0 || left + w * zoom > size.width || top + h * zoom > size.height) {
      void flow.setCenter(nx + w / 2, ny + h / 2, { zoom });
    }
  }, [open, size, selectedId, fit, flow]);
  return null;
}

/** The same datasets as a list (the graph can be large): each with who reads and writes it, and its usage one click away. */
function DatasetList({ lineage, selected, onSelect }: { lineage: WorkspaceLineage; selected: Dataset | null; onSelect(d: Dataset): void }) {
  return (
    <section aria-labelledby="datasets-title" className="mt-6">
      <h2 id="datasets-title" className="mb-2 text-lg font-semibold">
        Datasets
      </h2>
      <DataTable columns={[{ label: "Dataset" }, { label: "Kind" }, { label: "Used by" }, { label: "Actions", hidden: true }]}>
        {lineage.datasets.map((d) => (
          <tr key={`${d.namespace} ${d.name}`} data-testid="dataset-row">
            <td className="px-3 py-2 font-medium" title={`${d.namespace} ${d.name}`}>
              {d.label}
            </td>
            <td className="px-3 py-2">{d.kind}</td>
            <td className="px-3 py-2 text-xs">
              <UsedBy users={usersOf(lineage, d)} label={`Pipelines that use ${d.label}`} />
            </td>
            <td className="px-3 py-2 text-right">
              <Button variant="ghost" aria-pressed={sameDataset(selected, d)} aria-label={`Usage of ${d.label}`} onClick={() => onSelect(d)}>
                Usage
              </Button>
            </td>
          </tr>
        ))}
      </DataTable>
    </section>
  );
}

/** A dataset's "used by", with the columns each pipeline uses (GET /api/datasets/:name/usage). */
function DatasetPanel({ dataset, lineage, onClose }: { dataset: Dataset; lineage: WorkspaceLineage; onClose(): void }) {
  const usage = useDatasetUsage(dataset);
  const entry = usage.data?.datasets.find((d) => d.namespace === dataset.namespace && d.name === dataset.name);
  const users = usersOf(lineage, dataset);
  return (
    <aside aria-label={`Used by: ${dataset.label}`} data-lineage-keep className="w-80 shrink-0 overflow-y-auto rounded-lg border border-slate-200 bg-white p-3 text-sm">
      <div className="flex items-start justify-between gap-2">
        <h2 className="font-semibold break-all">{dataset.label}</h2>
        <Button variant="ghost" className="!py-0.5" onClick={onClose}>
          Close
        </Button>
      </div>
      <p className="mb-3 text-xs break-all text-slate-600">
        {dataset.namespace} · {dataset.name}
      </p>
      <h3 className="mb-1 font-medium">Used by</h3>
      {usage.error ? (
        <ErrorBanner error={usage.error} />
      ) : !entry ? (
        usage.isPending ? (
          <UsedBy users={users} label={`Pipelines that use ${dataset.label}`} />
        ) : (
          <p className="text-slate-600">No pipeline reads or writes it now.</p>
        )
      ) : (
        <ul aria-label={`Pipelines that use ${dataset.label}`} className="space-y-2" data-testid="dataset-used-by">
          {entry.usedBy.map((u) => (
            <li key={`${u.pipelineId} ${u.nodeId}`}>
              <a className="text-cyan-800 underline" href={`/pipelines/${encodeURIComponent(u.pipelineId)}`}>
                {u.pipelineName}
              </a>{" "}
              {u.access === "read" ? "reads" : "writes"} it (version {u.version}, node {u.nodeId})
              <div className="text-xs text-slate-600">{u.columns === null ? "Columns not known yet" : u.columns.length ? `Columns: ${u.columns.join(", ")}` : "No columns"}</div>
            </li>
          ))}
        </ul>
      )}
    </aside>
  );
}
