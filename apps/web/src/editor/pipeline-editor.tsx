import { cloneElement, useCallback, useMemo, useState, type ReactElement, type ReactNode } from "react";
import { useQueryClient } from "@tanstack/react-query";
import { ReactFlowProvider, useReactFlow } from "@xyflow/react";
import { startRunResponseSchema, type Column, type Issue, type ParameterValues, type PipelineDetail, type PipelineGraph } from "@sluice/model";
import { api } from "../api/client.ts";
import { useGraphValidation } from "../api/editor.queries.ts";
import { fetchPipeline, pipelineKeys, usePipelineVersion, useRestoreVersion } from "../api/pipelines.queries.ts";
import { Button } from "../components/button.tsx";
import { PermittedButton } from "../auth/permitted-button.tsx";
import { useCan } from "../auth/use-can.ts";
import { useDebounced } from "../lib/use-debounced.ts";
import { autoLayout } from "./auto-layout.ts";
import { useReadableFit } from "../graph/use-readable-fit.ts";
import { Canvas, type CanvasProps } from "./canvas.tsx";
import { ConnectTo } from "./connect-dialog.tsx";
import { EditorStoreContext, useEditor, useEditorStore } from "./editor-context.ts";
import { DEFAULT_NODE_SIZE, freeSpot, inView, occupiedRects } from "./free-spot.ts";
import { measuredSizes } from "./measured-sizes.ts";
import { ReconnectNotice } from "./reconnect-notice.tsx";
import { DraftOffer } from "./draft-offer.tsx";
import { useLocalDraft } from "./use-local-draft.ts";
import { createEditorStore } from "./editor.store.ts";
import { SchedulesPanel } from "../schedules/schedules-panel.tsx";
import { BackfillForm } from "../schedules/backfill-form.tsx";
import { NotificationsPanel } from "../notifications/notifications-panel.tsx";
import { ParametersPanel } from "../parameters/parameters-panel.tsx";
import { RunParametersDialog } from "../parameters/run-parameters-dialog.tsx";
import { SideDrawer } from "./side-drawer.tsx";
import { RunAfter } from "../schedules/run-after.tsx";
import { RunOnUpload } from "../schedules/run-on-upload.tsx";
import { HistoryDrawer } from "./history-drawer.tsx";
import { InspectorPanel } from "./inspector-panel.tsx";
import { useEditorShortcuts } from "./keyboard-shortcuts.ts";
import { Palette } from "./palette.tsx";
import { PreviewPanel } from "./preview-panel.tsx";
import { EditorToolbar } from "./editor-toolbar.tsx";
import { RunFromHere } from "./run-from-here.tsx";
import { EngineNote } from "./engine-note.tsx";
import { nodeEngineNotes } from "./engine-status.ts";
import { ConflictDialog, SaveDialog } from "./save-dialog.tsx";
import { UnsavedChangesGuard } from "./unsaved-changes-guard.tsx";
import { useNotice } from "./use-notice.ts";
import { useRunEvents } from "../api/run-events.ts";
import { useSavePipeline } from "./use-save-pipeline.ts";
import { useNewNodeDefaults } from "./use-new-node-defaults.ts";
import { useRunFreshness } from "./use-run-freshness.ts";
import { useResizable } from "./use-resizable.ts";
import { MigratedNote } from "./migrated-note.tsx";
import { useGraphLineage } from "../lineage/use-graph-lineage.ts";
import { useColumnTrace, type ColumnTraceState } from "../lineage/use-column-trace.ts";
import { ColumnOrigins } from "../lineage/column-origins.tsx";
import { useSaveImpact } from "../lineage/use-save-impact.ts";

/** Validation ignores where nodes sit, so dragging a node does not ask the server again. */
const NO_NOTES: ReadonlyMap<string, string> = new Map();
type PortSchemas = Readonly<Record<string, Readonly<Record<string, Column[]>>>>;
const NO_SCHEMAS: PortSchemas = {};
const withoutLayout = (g: PipelineGraph): PipelineGraph => ({ ...g, nodes: g.nodes.map((n) => ({ ...n, position: { x: 0, y: 0 } })) });

export function PipelineEditor({ pipeline }: { pipeline: PipelineDetail }) {
  const [store] = useState(() => {
    const s = createEditorStore();
    s.getState().load(pipeline.graph, pipeline.currentVersion);
    return s;
  });
  return (
    <EditorStoreContext.Provider value={store}>
      <ReactFlowProvider>
        <EditorWorkspace pipeline={pipeline} />
      </ReactFlowProvider>
    </EditorStoreContext.Provider>
  );
}

function EditorWorkspace({ pipeline }: { pipeline: PipelineDetail }) {
  const store = useEditorStore();
  const qc = useQueryClient();
  const flow = useReactFlow();
  const graph = useEditor((s) => s.graph);
  const dirty = useEditor((s) => s.dirty);
  const baseVersion = useEditor((s) => s.baseVersion);
  const selectedNodes = useEditor((s) => s.selectedNodes);

  const { notice, say } = useNotice();
  useNewNodeDefaults(store, pipeline.name);

  // Viewing an old version swaps in a read-only copy of it; the edits in progress stay untouched.
  const [showHistory, setShowHistory] = useState(false);
  const [showSchedules, setShowSchedules] = useState(false);
  const [showParameters, setShowParameters] = useState(false);
  const [viewing, setViewing] = useState<number | null>(null);
  const viewed = usePipelineVersion(pipeline.id, viewing);
  const viewStore = useMemo(() => {
    if (!viewed.data || viewing === null) return null;
    const s = createEditorStore();
    s.getState().load(viewed.data.graph, viewed.data.number);
    return s;
  }, [viewed.data, viewing]);
  const readOnly = viewStore !== null;
  // Without the right to edit, the pipeline opens as it is: it can be explored and previewed, not changed.
  const edit = useCan("pipeline.edit", "change and save pipelines");
  const runPermission = useCan("run.start", "run pipelines");
  const locked = readOnly || !edit.allowed;

  const logical = useMemo(() => withoutLayout(graph), [graph]);
  const validation = useGraphValidation(useDebounced(logical, 250));
  // Memoized: a fresh [] on each render before the first answer would recompute problemsByNode every time.
  const problems = useMemo(() => validation.data?.problems ?? [], [validation.data]);
  const problemsByNode = useMemo(() => {
    const m = new Map<string, Issue[]>();
    for (const p of problems) if (p.nodeId) m.set(p.nodeId, [...(m.get(p.nodeId) ?? []), p]);
    return m;
  }, [problems]);
  const engineSetting = graph.engine ?? "auto";
  const engineNotes = useMemo(
    () => nodeEngineNotes(engineSetting, validation.data?.engine, validation.data?.database),
    [engineSetting, validation.data],
  );
  const graphErrors = problems.filter((p) => p.severity === "error");
  const blockedReason =
    graph.nodes.length === 0
      ? "Add nodes to run this pipeline."
      : !validation.data
        ? "Checking the pipeline…"
        : graphErrors.length > 0
          ? `Fix ${graphErrors.length === 1 ? "1 problem" : `${graphErrors.length} problems`} first: ${graphErrors[0]!.message}`
          : null;

  // --- save ---
  const [saveOpen, setSaveOpen] = useState(false);
  const { save, saving, conflict, clearConflict } = useSavePipeline(store, pipeline.id, say);
  const draft = useLocalDraft(store, pipeline);
  const openSave = useCallback(() => setSaveOpen(true), []);
  const savedGraph = useEditor((s) => s.savedGraph);

  // --- run ---
  // The last run replays its events, so the canvas shows what each node produced last time.
  const [runId, setRunId] = useState<string | null>(pipeline.lastRun?.id ?? null);
  const [starting, setStarting] = useState(false);
  const [askParams, setAskParams] = useState(false);
  const [paramsError, setParamsError] = useState<string | null>(null);
  const watch = useRunEvents(runId);
  // Results of the run shown, marked stale where the graph has changed since the version it ran.
  const { nodes: runNodes, behindFrom } = useRunFreshness(pipeline.id, watch, graph);
  const parameters = graph.parameters ?? [];
  const run = async (params: ParameterValues = {}) => {
    setStarting(true);
    setParamsError(null);
    try {
      if (store.getState().dirty && !(await save(""))) return;
      const body = Object.keys(params).length ? { params } : {};
      const r = await api("POST", `/pipelines/${encodeURIComponent(pipeline.id)}/runs`, startRunResponseSchema, { body });
      setRunId(r.runId);
      setAskParams(false);
      void qc.invalidateQueries({ queryKey: ["runs"] });
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      if (askParams) setParamsError(message);
      else say(message);
    } finally {
      setStarting(false);
    }
  };
  // "Run from here": the saved version only, so unsaved changes are a reason, not something saved on the way.
  const runFrom = async (nodeId: string) => {
    setStarting(true);
    try {
      const r = await api("POST", `/pipelines/${encodeURIComponent(pipeline.id)}/runs`, startRunResponseSchema, { body: { fromNode: nodeId, version: baseVersion } });
      setRunId(r.runId);
      void qc.invalidateQueries({ queryKey: ["runs"] });
    } catch (e) {
      say(e instanceof Error ? e.message : String(e));
    } finally {
      setStarting(false);
    }
  };
  const runFromReason =
    runPermission.reason ??
    (dirty
      ? "Save your changes first: Run from here runs the saved version."
      : runId === null
        ? "Run the whole pipeline first: there are no results to reuse yet."
        : watch?.status === "queued" || watch?.status === "running"
          ? "A run of this pipeline is in progress."
          : blockedReason);
  // A pipeline with parameters asks for their values first; defaults are filled in.
  const onRun = () => (parameters.length > 0 ? setAskParams(true) : void run());

  useEditorShortcuts(store, { readOnly: locked, onSave: openSave, onPasteRefused: say });

  const restore = useRestoreVersion();
  const onRestore = async (n: number) => {
    if (dirty && !window.confirm(`Restoring version ${n} replaces your unsaved changes. Continue?`)) return;
    try {
      const p = await restore.mutateAsync({ id: pipeline.id, n, baseVersion: store.getState().baseVersion });
      store.getState().load(p.graph, p.currentVersion);
      setViewing(null);
      say(`Version ${n} restored as version ${p.currentVersion}.`);
    } catch (e) {
      say(e instanceof Error ? e.message : String(e));
    }
  };

  const addFromPalette = (type: string) => {
    const vp = flow.getViewport();
    const el = document.querySelector(".react-flow");
    const rect = el?.getBoundingClientRect();
    const centre = rect ? flow.screenToFlowPosition({ x: rect.left + rect.width / 2, y: rect.top + rect.height / 2 }) : { x: -vp.x, y: -vp.y };
    const g = store.getState().graph;
    const sizes = measuredSizes(flow, g);
    const occupied = occupiedRects(g, sizes);
    // With one node selected: to its right, fed by it when it can be; otherwise in the middle of the view. Either
    // way at the nearest spot clear of every card.
    const after = selectedNodes.length === 1 ? g.nodes.find((n) => n.id === selectedNodes[0]) : undefined;
    if (after) {
      const right = { x: after.position.x + (sizes[after.id]?.width ?? DEFAULT_NODE_SIZE.width) + 40, y: after.position.y };
      const at = freeSpot(right, occupied);
      store.getState().addNodeAfter(type, at, after.id);
      // Past the edge of the view, the view follows the new node.
      if (rect && !inView({ ...at, ...DEFAULT_NODE_SIZE }, vp, rect)) void flow.setCenter(at.x + DEFAULT_NODE_SIZE.width / 2, at.y + DEFAULT_NODE_SIZE.height / 2, { zoom: vp.zoom, duration: 150 });
    } else {
      const want = { x: Math.round((centre.x - 110) / 20) * 20, y: Math.round((centre.y - 40) / 20) * 20 };
      store.getState().addNode(type, freeSpot(want, occupied));
    }
  };

  const fit = useReadableFit();
  const layout = () => {
    const g = store.getState().graph;
    const sizes = Object.fromEntries(
      g.nodes.flatMap((n) => {
        const m = flow.getInternalNode(n.id)?.measured;
        return m?.width && m.height ? [[n.id, { width: m.width, height: m.height }]] : [];
      }),
    );
    store.getState().setPositions(autoLayout(g, sizes));
    // After React Flow has taken in the new positions, not before.
    setTimeout(() => fit(200), 60);
  };

  const preview = useResizable(260, { min: 120, max: 600 });
  const selected = selectedNodes.length === 1 ? selectedNodes[0]! : null;
  const shown = viewStore ?? store;
  const portSchemas = validation.data?.portSchemas ?? NO_SCHEMAS;
  const lineage = useGraphLineage(graph, portSchemas, selected !== null && !readOnly);
  const impact = useSaveImpact(savedGraph, graph, portSchemas, pipeline.id, saveOpen);

  return (
    <div className="-m-8 flex h-screen flex-col">
      <EditorToolbar
        name={pipeline.name}
        locked={locked}
        editReason={edit.reason}
        parameterCount={parameters.length}
        panels={{ history: showHistory, parameters: showParameters, schedules: showSchedules }}
        onTogglePanel={(panel) => ({ history: setShowHistory, parameters: setShowParameters, schedules: setShowSchedules })[panel]((v) => !v)}
        onLayout={layout}
        onSave={openSave}
        saving={saving}
        problems={readOnly ? [] : problems}
        engine={readOnly ? undefined : validation.data?.engine}
        database={readOnly ? undefined : validation.data?.database}
        run={{ blockedReason: readOnly ? "You are viewing an old version." : (runPermission.reason ?? blockedReason), dirty, starting, runId, status: watch?.status ?? null, behindFrom: readOnly ? null : behindFrom, onRun }}
      />
      {!edit.allowed && !readOnly && (
        <div className="border-b border-slate-200 bg-slate-50 px-4 py-1.5 text-sm text-slate-700" role="note" data-testid="view-only">
          View only: {edit.reason}
        </div>
      )}
      {/* Until the first save (which stores the current versions), or for the old version being viewed. */}
      {draft.offer && !readOnly && <DraftOffer offer={draft.offer} currentVersion={pipeline.currentVersion} onRestore={draft.restore} onDiscard={draft.discard} />}
      <MigratedNote notes={readOnly ? viewed.data?.migrated : baseVersion === pipeline.currentVersion ? pipeline.migrated : undefined} />
      {readOnly && (
        <div className="flex items-center gap-3 border-b border-amber-200 bg-amber-50 px-4 py-1.5 text-sm text-amber-900" role="status">
          Viewing version {viewing} (read-only).
          <Button variant="ghost" className="!py-0.5" onClick={() => setViewing(null)}>
            Back to editing
          </Button>
          <PermittedButton action="pipeline.edit" what="restore versions" variant="ghost" className="!py-0.5" onClick={() => viewing !== null && void onRestore(viewing)}>
            Restore this version
          </PermittedButton>
        </div>
      )}
      <div className="flex min-h-0 flex-1">
        {!locked && <Palette onAdd={addFromPalette} />}
        <div className="flex min-w-0 flex-1 flex-col">
          <EditorStoreContext.Provider value={shown}>
            <TracedCanvas portSchemas={portSchemas} size={preview.size} handleProps={preview.handleProps}>
              <Canvas key={viewing ?? "edit"} problemsByNode={readOnly ? new Map() : problemsByNode} engineNotes={readOnly ? NO_NOTES : engineNotes} runNodes={readOnly ? new Map() : runNodes} readOnly={locked} onRefused={say} />
              {graph.nodes.length === 0 && !locked && (
                <p className="pointer-events-none absolute inset-x-0 top-1/3 text-center text-sm text-slate-500">
                  Drag a source from the left onto the canvas, or click it, to start.
                </p>
              )}
            </TracedCanvas>
          </EditorStoreContext.Provider>
        </div>
        {!readOnly && selected && (
          <aside aria-label="Inspector" className="w-80 shrink-0 overflow-y-auto border-l border-slate-200 bg-white">
            <ConnectTo nodeId={selected} disabled={locked} onConnected={say} />
            <RunFromHere reason={runFromReason} starting={starting} onRun={() => void runFrom(selected)} />
            <EngineNote reason={engineNotes.get(selected)} />
            {/* A disabled fieldset disables every control inside: the settings stay readable, not changeable. */}
            <fieldset disabled={!edit.allowed} title={edit.reason ?? undefined} className="m-0 min-w-0 border-0 p-0">
              <InspectorPanel nodeId={selected} problems={problemsByNode.get(selected) ?? []} portSchemas={validation.data?.portSchemas ?? {}} />
            </fieldset>
            <ColumnOrigins lineage={lineage} nodeId={selected} graph={graph} />
          </aside>
        )}
        {showParameters && (
          <SideDrawer title="Parameters" onClose={() => setShowParameters(false)}>
            <ParametersPanel parameters={parameters} onChange={(p) => store.getState().setParameters(p)} problems={problems} readOnly={locked} />
          </SideDrawer>
        )}
        {showSchedules && (
          <SideDrawer title="Schedules" onClose={() => setShowSchedules(false)}>
            <SchedulesPanel pipelineId={pipeline.id} parameters={parameters} />
            <RunAfter pipelineId={pipeline.id} />
            <RunOnUpload pipelineId={pipeline.id} />
            <BackfillForm pipelineId={pipeline.id} parameters={parameters} />
            <section aria-label="Notifications" className="border-t border-slate-200 p-3">
              <h3 className="mb-2 text-sm font-semibold">Notifications</h3>
              <NotificationsPanel pipelineId={pipeline.id} />
            </section>
          </SideDrawer>
        )}
        {showHistory && (
          <HistoryDrawer
            pipelineId={pipeline.id}
            current={baseVersion}
            viewing={viewing}
            onView={setViewing}
            onRestore={(n) => void onRestore(n)}
            onClose={() => {
              setShowHistory(false);
              setViewing(null);
            }}
          />
        )}
      </div>
      {notice && (
        <div role="status" className="fixed right-4 bottom-4 z-50 max-w-md rounded-md bg-slate-900 px-4 py-2 text-sm text-white shadow-lg">
          {notice}
        </div>
      )}
      <SaveDialog
        open={saveOpen}
        saving={saving}
        onClose={() => setSaveOpen(false)}
        impact={impact}
        onSave={(m) => void save(m).then((ok) => ok && setSaveOpen(false))}
      />
      <ConflictDialog
        conflict={conflict}
        onClose={clearConflict}
        onReload={async () => {
          const p = await qc.fetchQuery({ queryKey: pipelineKeys.one(pipeline.id), queryFn: () => fetchPipeline(pipeline.id), staleTime: 0 });
          store.getState().load(p.graph, p.currentVersion);
          clearConflict();
        }}
        onOverwrite={async () => {
          const current = conflict?.current;
          clearConflict();
          setSaveOpen(false);
          if (current !== undefined) await save("", current);
        }}
      />
      <RunParametersDialog
        open={askParams}
        parameters={parameters}
        starting={starting}
        error={paramsError}
        onClose={() => {
          setAskParams(false);
          setParamsError(null);
        }}
        onRun={(values) => void run(values)}
      />
      <UnsavedChangesGuard dirty={dirty} version={baseVersion} onSave={() => save("")} onDiscard={draft.forget} />
      {!locked && <ReconnectNotice />}
    </div>
  );
}

/**
 * The canvas and the preview under it, for whichever graph is on the canvas, with a preview column's lineage traced
 * on the canvas: worked out in the browser from that graph, unsaved edits included.
 */
function TracedCanvas({ portSchemas, size, handleProps, children }: { portSchemas: PortSchemas; size: number; handleProps: ReturnType<typeof useResizable>["handleProps"]; children: [ReactElement<CanvasProps>, ReactNode] }) {
  const graph = useEditor((s) => s.graph);
  const selected = useEditor((s) => (s.selectedNodes.length === 1 ? s.selectedNodes[0]! : null));
  const lineage = useGraphLineage(graph, portSchemas, selected !== null);
  const trace = useColumnTrace(lineage, graph, selected);
  const [canvas, rest] = children;
  return (
    <>
      <div className="relative min-h-0 flex-1 bg-slate-50">
        {cloneElement(canvas, { lineage: trace.highlight })}
        {rest}
      </div>
      <PreviewDock size={size} handleProps={handleProps} trace={trace} />
    </>
  );
}

/**
 * The preview under the canvas reads whichever graph is on the canvas: the one being edited, or an old version being
 * viewed. With no node selected it is a slim bar of one line, so the canvas keeps the room; selecting a node opens
 * it at the height the user last dragged it to.
 */
function PreviewDock({ size, handleProps, trace }: { size: number; handleProps: ReturnType<typeof useResizable>["handleProps"]; trace: ColumnTraceState }) {
  const graph = useEditor((s) => s.graph);
  const selected = useEditor((s) => (s.selectedNodes.length === 1 ? s.selectedNodes[0]! : null));
  if (!selected)
    return (
      <div data-testid="preview-dock" className="shrink-0 border-t border-slate-200 bg-white">
        <PreviewPanel graph={graph} nodeId={null} />
      </div>
    );
  return (
    <>
      <div
        role="separator"
        aria-orientation="horizontal"
        aria-label="Resize preview"
        aria-valuenow={size}
        aria-valuemin={120}
        aria-valuemax={600}
        tabIndex={0}
        {...handleProps}
        className="h-1.5 cursor-row-resize bg-slate-200 hover:bg-cyan-400 focus:bg-cyan-500 focus:outline-none"
      />
      <div data-testid="preview-dock" style={{ height: size }} className="shrink-0 bg-white">
        <PreviewPanel graph={graph} nodeId={selected} trace={trace.view} onTrace={trace.toggle} />
      </div>
    </>
  );
}
