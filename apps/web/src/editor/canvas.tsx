import { useCallback, useMemo, useState, type DragEvent, type KeyboardEvent } from "react";
import {
  Background,
  ReactFlow,
  useReactFlow,
  type Connection,
  type Edge,
  type EdgeChange,
  type FinalConnectionState,
  type IsValidConnection,
  type NodeChange,
} from "@xyflow/react";
import type { Issue, NodeRunInfo } from "@sluice/model";
import { checkConnection } from "@sluice/pipeline";
import { CanvasControls } from "../graph/canvas-controls.tsx";
import { flowEdges, flowNodes } from "../graph/flow-elements.ts";
import { nodeTypes, type PipelineFlowNode } from "../graph/pipeline-node.tsx";
import { ConnectTargetsContext } from "../graph/connect-target.ts";
import { useConnectTargetsWhileDragging } from "./connect-targets.ts";
import { useEditor, useEditorStore } from "./editor-context.ts";
import { freeSpot, occupiedRects } from "./free-spot.ts";
import { KeepSelectedInView } from "./keep-in-view.ts";
import { measuredSizes } from "./measured-sizes.ts";
import { PALETTE_MIME } from "./palette.tsx";
import { useConnectDrop } from "./use-connect-drop.tsx";
import type { NodeHighlight } from "../lineage/trace-view.ts";

export interface CanvasProps {
  problemsByNode: Map<string, Issue[]>;
  /** Why a node cannot run in the database, where that was an option (engine-status.ts). */
  engineNotes: ReadonlyMap<string, string>;
  runNodes: Map<string, NodeRunInfo>;
  readOnly: boolean;
  onRefused(message: string): void;
  /** The path of a column traced from the preview, per node. */
  lineage?: ReadonlyMap<string, NodeHighlight> | undefined;
}

const toPorts = (c: Connection | Edge) => ({
  source: c.source,
  sourcePort: c.sourceHandle ?? "out",
  target: c.target,
  targetPort: c.targetHandle ?? "in",
});

export function Canvas({ problemsByNode, engineNotes, runNodes, readOnly, onRefused, lineage }: CanvasProps) {
  const store = useEditorStore();
  const graph = useEditor((s) => s.graph);
  const selectedNodes = useEditor((s) => s.selectedNodes);
  const selectedEdges = useEditor((s) => s.selectedEdges);
  const flow = useReactFlow();
  // While a connection is dragged, the handles that would take it light up; dropped on empty canvas, it opens a palette.
  const { targets: connectTargets, start: onConnectStart, end: endConnectDrag } = useConnectTargetsWhileDragging();
  const { open: openConnectPalette, popup: connectPalette } = useConnectDrop(readOnly, onRefused);
  // Fit a loaded graph into view once; an empty canvas stays put, so the first dropped node lands where it was dropped.
  const [fitOnInit] = useState(() => store.getState().graph.nodes.length > 0);
  // React Flow measures nodes itself; keeping the sizes lets the minimap and fit view work on controlled nodes.
  const [measured, setMeasured] = useState<Record<string, { width: number; height: number }>>({});

  const nodes = useMemo(
    () => flowNodes(graph.nodes, { selectedNodes, measured, problemsByNode, engineNotes, runNodes, lineage }),
    [graph.nodes, selectedNodes, measured, problemsByNode, engineNotes, runNodes, lineage],
  );
  const edges = useMemo(() => flowEdges(graph.edges, { selectedEdges, runNodes }), [graph.edges, selectedEdges, runNodes]);

  const onNodesChange = useCallback(
    (changes: NodeChange<PipelineFlowNode>[]) => {
      const sizes: Record<string, { width: number; height: number }> = {};
      const moves: { id: string; position: { x: number; y: number } }[] = [];
      let selection: Set<string> | null = null;
      for (const c of changes) {
        if (c.type === "dimensions" && c.dimensions) sizes[c.id] = c.dimensions;
        else if (c.type === "position" && c.position && !readOnly) moves.push({ id: c.id, position: c.position });
        else if (c.type === "select") {
          selection ??= new Set(store.getState().selectedNodes);
          if (c.selected) selection.add(c.id);
          else selection.delete(c.id);
        }
      }
      if (Object.keys(sizes).length > 0) setMeasured((m) => ({ ...m, ...sizes }));
      if (moves.length > 0) store.getState().moveNodes(moves, false);
      if (selection) store.getState().select([...selection], store.getState().selectedEdges);
    },
    [store, readOnly],
  );

  const onEdgesChange = useCallback(
    (changes: EdgeChange[]) => {
      let selection: Set<string> | null = null;
      for (const c of changes) {
        if (c.type === "select") {
          selection ??= new Set(store.getState().selectedEdges);
          if (c.selected) selection.add(c.id);
          else selection.delete(c.id);
        }
      }
      if (selection) store.getState().select(store.getState().selectedNodes, [...selection]);
    },
    [store],
  );

  const isValidConnection = useCallback<IsValidConnection>((c) => checkConnection(store.getState().graph, toPorts(c)).ok, [store]);

  const onConnect = useCallback(
    (c: Connection) => {
      const r = store.getState().connect(toPorts(c));
      if (!r.ok) onRefused(r.message);
    },
    [store, onRefused],
  );

  // React Flow drops an invalid connection silently; say why instead.
  const onConnectEnd = useCallback(
    (e: MouseEvent | TouchEvent, s: FinalConnectionState) => {
      endConnectDrag();
      if (openConnectPalette(e, s)) return;
      if (s.isValid || !s.fromHandle || !s.toHandle) return;
      const [from, to] = s.fromHandle.type === "source" ? [s.fromHandle, s.toHandle] : [s.toHandle, s.fromHandle];
      const r = checkConnection(store.getState().graph, {
        source: from.nodeId,
        sourcePort: from.id ?? "out",
        target: to.nodeId,
        targetPort: to.id ?? "in",
      });
      if (!r.ok) onRefused(r.message);
    },
    [store, onRefused, endConnectDrag, openConnectPalette],
  );

  // React Flow moves the selected nodes with the arrow keys when one of them has the focus: each press is one undo
  // step, as a drag is (its position changes alone would join the edit before).
  const onArrowKey = useCallback(
    (e: KeyboardEvent) => {
      if (!readOnly && e.key.startsWith("Arrow") && e.target instanceof Element && e.target.closest(".react-flow__node.selected")) store.getState().moveNodes([], true);
    },
    [store, readOnly],
  );

  const onDrop = useCallback(
    (e: DragEvent) => {
      const type = e.dataTransfer.getData(PALETTE_MIME);
      if (!type || readOnly) return;
      e.preventDefault();
      const p = flow.screenToFlowPosition({ x: e.clientX, y: e.clientY });
      // Where it was let go, or the nearest free spot when that is on another card (it hid the card under it).
      const graph = store.getState().graph;
      store.getState().addNode(type, freeSpot({ x: Math.round(p.x / 20) * 20, y: Math.round(p.y / 20) * 20 }, occupiedRects(graph, measuredSizes(flow, graph))));
    },
    [flow, store, readOnly],
  );

  return (
    <div className="h-full w-full" onDragOver={(e) => e.dataTransfer.types.includes(PALETTE_MIME) && e.preventDefault()} onDrop={onDrop} onKeyDownCapture={onArrowKey}>
      <ConnectTargetsContext.Provider value={connectTargets}>
      <ReactFlow<PipelineFlowNode>
        aria-label="Pipeline canvas"
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onNodeDragStart={() => !readOnly && store.getState().moveNodes([], true)}
        onConnect={onConnect}
        onConnectStart={onConnectStart}
        onConnectEnd={onConnectEnd}
        isValidConnection={isValidConnection}
        nodesDraggable={!readOnly}
        nodesConnectable={!readOnly}
        // Deleting goes through the store (one undo step, edges included), from the editor's key handler.
        deleteKeyCode={null}
        snapToGrid
        snapGrid={[20, 20]}
        minZoom={0.2}
        proOptions={{ hideAttribution: true }}
      >
        <Background gap={20} />
        <CanvasControls fitOnLoad={fitOnInit} />
        <KeepSelectedInView />
      </ReactFlow>
      </ConnectTargetsContext.Provider>
      {connectPalette}
    </div>
  );
}
