import { createStore } from "zustand/vanilla";
import { emptyGraph, type PipelineGraph, type PipelineParameter } from "@sluice/model";
import { checkConnection, type ConnectionCheck, type ProposedEdge } from "@sluice/pipeline";
import { addEdge, addNode, extractFragment, pasteFragment, removeElements, updateNode } from "./graph-edits.ts";

/** Quick edits of one field (typing in the inspector) within this window become one undo step. */
const COALESCE_MS = 1000;
const HISTORY_LIMIT = 200;

export interface EditorState {
  graph: PipelineGraph;
  /** The version the graph was loaded from or last saved as: the baseVersion of the next save. */
  baseVersion: number;
  dirty: boolean;
  selectedNodes: string[];
  selectedEdges: string[];
  past: PipelineGraph[];
  future: PipelineGraph[];
  /** What the last edit touched and when, so typing coalesces into one undo step. */
  lastEdit: { key: string; at: number } | null;
}

export interface EditorActions {
  load(graph: PipelineGraph, version: number): void;
  markSaved(version: number, graph?: PipelineGraph): void;
  addNode(type: string, position: { x: number; y: number }): string;
  updateConfig(id: string, config: Record<string, unknown>): void;
  updateLabel(id: string, label: string): void;
  /** Replaces the pipeline's parameter declarations (typing in one coalesces like config edits). */
  setParameters(parameters: PipelineParameter[]): void;
  /** During a drag positions change many times; `start` marks the one undo step the drag makes. */
  moveNodes(moves: { id: string; position: { x: number; y: number } }[], start: boolean): void;
  setPositions(positions: Record<string, { x: number; y: number }>): void;
  connect(edge: ProposedEdge): ConnectionCheck;
  select(nodes: string[], edges?: string[]): void;
  deleteSelection(): void;
  removeEdges(ids: string[]): void;
  duplicateSelection(): void;
  copySelection(): PipelineGraph | null;
  paste(fragment: PipelineGraph): void;
  undo(): void;
  redo(): void;
}

export type EditorStore = ReturnType<typeof createEditorStore>;

export function createEditorStore(now: () => number = Date.now) {
  return createStore<EditorState & EditorActions>()((set, get) => {
    /** Applies an edit as one undo step (or merges it into the previous one when `coalesceKey` repeats quickly). */
    const edit = (next: PipelineGraph, coalesceKey?: string, extra: Partial<EditorState> = {}) => {
      const s = get();
      const t = now();
      const merge = coalesceKey !== undefined && s.lastEdit?.key === coalesceKey && t - s.lastEdit.at < COALESCE_MS;
      set({
        graph: next,
        past: merge ? s.past : [...s.past, s.graph].slice(-HISTORY_LIMIT),
        future: [],
        dirty: true,
        lastEdit: coalesceKey === undefined ? null : { key: coalesceKey, at: t },
        ...extra,
      });
    };
    const keepSelection = (graph: PipelineGraph, s: Pick<EditorState, "selectedNodes" | "selectedEdges">) => ({
      selectedNodes: s.selectedNodes.filter((id) => graph.nodes.some((n) => n.id === id)),
      selectedEdges: s.selectedEdges.filter((id) => graph.edges.some((e) => e.id === id)),
    });

    return {
      graph: emptyGraph(),
      baseVersion: 1,
      dirty: false,
      selectedNodes: [],
      selectedEdges: [],
      past: [],
      future: [],
      lastEdit: null,

      load: (graph, version) =>
        set({ graph, baseVersion: version, dirty: false, past: [], future: [], selectedNodes: [], selectedEdges: [], lastEdit: null }),
      markSaved: (version, graph) => set((s) => ({ baseVersion: version, dirty: false, graph: graph ?? s.graph, lastEdit: null })),

      addNode: (type, position) => {
        const r = addNode(get().graph, type, position);
        edit(r.graph, undefined, { selectedNodes: [r.id], selectedEdges: [] });
        return r.id;
      },
      updateConfig: (id, config) => edit(updateNode(get().graph, id, { config }), `config:${id}`),
      setParameters: (parameters) => edit({ ...get().graph, parameters }, "parameters"),
      updateLabel: (id, label) => edit(updateNode(get().graph, id, { label: label === "" ? undefined : label }), `label:${id}`),
      moveNodes: (moves, start) => {
        let g = get().graph;
        for (const m of moves) g = updateNode(g, m.id, { position: m.position });
        if (start) edit(g);
        else set({ graph: g, dirty: true });
      },
      setPositions: (positions) => {
        let g = get().graph;
        for (const [id, position] of Object.entries(positions)) g = updateNode(g, id, { position });
        edit(g);
      },
      connect: (e) => {
        const check = checkConnection(get().graph, e);
        if (check.ok) edit(addEdge(get().graph, e));
        return check;
      },
      select: (nodes, edges = []) => set({ selectedNodes: nodes, selectedEdges: edges }),
      deleteSelection: () => {
        const s = get();
        if (s.selectedNodes.length === 0 && s.selectedEdges.length === 0) return;
        edit(removeElements(s.graph, s.selectedNodes, s.selectedEdges), undefined, { selectedNodes: [], selectedEdges: [] });
      },
      removeEdges: (ids) => {
        if (ids.length === 0) return;
        const g = removeElements(get().graph, [], ids);
        edit(g, undefined, keepSelection(g, get()));
      },
      duplicateSelection: () => {
        const fragment = get().copySelection();
        if (fragment) get().paste(fragment);
      },
      copySelection: () => {
        const s = get();
        return s.selectedNodes.length === 0 ? null : extractFragment(s.graph, s.selectedNodes);
      },
      paste: (fragment) => {
        if (fragment.nodes.length === 0) return;
        const r = pasteFragment(get().graph, fragment);
        edit(r.graph, undefined, { selectedNodes: r.ids, selectedEdges: [] });
      },
      undo: () => {
        const s = get();
        const prev = s.past.at(-1);
        if (!prev) return;
        set({ graph: prev, past: s.past.slice(0, -1), future: [s.graph, ...s.future], dirty: true, lastEdit: null, ...keepSelection(prev, s) });
      },
      redo: () => {
        const s = get();
        const next = s.future[0];
        if (!next) return;
        set({ graph: next, past: [...s.past, s.graph], future: s.future.slice(1), dirty: true, lastEdit: null, ...keepSelection(next, s) });
      },
    };
  });
}
