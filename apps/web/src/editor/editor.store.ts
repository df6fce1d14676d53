import { createStore } from "zustand/vanilla";
import { emptyGraph, type PipelineEngine, type PipelineGraph, type PipelineParameter } from "@sluice/model";
import { checkConnection, getNodeDefinition, type ConnectionCheck, type ProposedEdge } from "@sluice/pipeline";
import { canonicalJson } from "./canonical-json.ts";
import { connectNewNode, type LooseEnd } from "./connect-new-node.ts";
import { freeShift, occupiedRects } from "./free-spot.ts";
import { addEdge, addNode, extractFragment, pasteFragment, removeElements, updateNode } from "./graph-edits.ts";
import { applyReconnect, reconnectOffer, type ReconnectOffer } from "./reconnect.ts";
import type { NewNodeConfig } from "./new-node-defaults.ts";

/** Quick edits of one field (typing in the inspector) within this window become one undo step. */
const COALESCE_MS = 1000;
const HISTORY_LIMIT = 200;

export interface EditorState {
  graph: PipelineGraph;
  /** The version the graph was loaded from or last saved as: the baseVersion of the next save. */
  baseVersion: number;
  /** The graph as last loaded or saved; `dirty` says whether the graph differs from it in anything a save stores. */
  savedGraph: PipelineGraph;
  dirty: boolean;
  selectedNodes: string[];
  selectedEdges: string[];
  past: PipelineGraph[];
  future: PipelineGraph[];
  /** What the last edit touched and when, so typing coalesces into one undo step. */
  lastEdit: { key: string; at: number } | null;
  /** Offered after deleting a node from the middle of a chain, while the graph is still the one the delete left. */
  reconnectOffer: (ReconnectOffer & { after: PipelineGraph }) | null;
  /** Settings new nodes start with beyond their type's defaults (the workspace's only connection, say). */
  newNodeConfig: NewNodeConfig | null;
}

export interface EditorActions {
  load(graph: PipelineGraph, version: number): void;
  /** `saved` is the graph the save sent (edits made while it was on its way stay unsaved). */
  markSaved(version: number, saved?: PipelineGraph): void;
  /** A local draft taken back: its graph, to be saved on top of the version it was based on. */
  restoreDraft(graph: PipelineGraph, baseVersion: number): void;
  addNode(type: string, position: { x: number; y: number }): string;
  setNewNodeConfig(fn: NewNodeConfig | null): void;
  /** Adds a node fed by the first output of `afterId` that can feed it (if any), as one undo step: clicking a palette entry with a node selected. */
  addNodeAfter(type: string, position: { x: number; y: number }, afterId: string): string;
  /** Adds a node connected to the handle a connection was dropped from, as one undo step; null if it cannot connect. */
  addConnectedNode(type: string, position: { x: number; y: number }, end: LooseEnd): string | null;
  updateConfig(id: string, config: Record<string, unknown>): void;
  updateLabel(id: string, label: string): void;
  /** Replaces the pipeline's parameter declarations (typing in one coalesces like config edits). */
  setParameters(parameters: PipelineParameter[]): void;
  /** Where runs execute; "auto" is stored as no setting, so choosing it back leaves the graph as it was. */
  setEngine(engine: PipelineEngine): void;
  /** During a drag positions change many times; `start` marks the one undo step the drag makes. */
  moveNodes(moves: { id: string; position: { x: number; y: number } }[], start: boolean): void;
  setPositions(positions: Record<string, { x: number; y: number }>): void;
  connect(edge: ProposedEdge): ConnectionCheck;
  select(nodes: string[], edges?: string[]): void;
  deleteSelection(): void;
  /** Takes the reconnect offer: the edges join the delete's undo step. */
  reconnect(): void;
  dismissReconnect(): void;
  removeEdges(ids: string[]): void;
  duplicateSelection(): void;
  copySelection(): PipelineGraph | null;
  /** Adds a copy of the fragment next to where it was, clear of every node (sizes: measured cards, where known). */
  paste(fragment: PipelineGraph, sizes?: Record<string, { width: number; height: number }>): void;
  undo(): void;
  redo(): void;
}

export type EditorStore = ReturnType<typeof createEditorStore>;

export function createEditorStore(now: () => number = Date.now) {
  return createStore<EditorState & EditorActions>()((set, get) => {
    // The saved graph's canonical text, kept so each edit serializes only the graph being edited.
    let savedJson = canonicalJson(emptyGraph());
    const isDirty = (graph: PipelineGraph) => canonicalJson(graph) !== savedJson;
    /** Applies an edit as one undo step (or merges it into the previous one when `coalesceKey` repeats quickly). */
    const settingsFor = (type: string) => get().newNodeConfig?.(type, get().graph);
    const edit = (next: PipelineGraph, coalesceKey?: string, extra: Partial<EditorState> = {}) => {
      const s = get();
      const t = now();
      const merge = coalesceKey !== undefined && s.lastEdit?.key === coalesceKey && t - s.lastEdit.at < COALESCE_MS;
      set({
        graph: next,
        past: merge ? s.past : [...s.past, s.graph].slice(-HISTORY_LIMIT),
        future: [],
        dirty: isDirty(next),
        lastEdit: coalesceKey === undefined ? null : { key: coalesceKey, at: t },
        reconnectOffer: null,
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
      savedGraph: emptyGraph(),
      dirty: false,
      selectedNodes: [],
      selectedEdges: [],
      past: [],
      future: [],
      lastEdit: null,
      reconnectOffer: null,
      newNodeConfig: null,

      load: (graph, version) => {
        savedJson = canonicalJson(graph);
        set({ graph, savedGraph: graph, baseVersion: version, dirty: false, past: [], future: [], selectedNodes: [], selectedEdges: [], lastEdit: null, reconnectOffer: null });
      },
      markSaved: (version, saved = get().graph) => {
        savedJson = canonicalJson(saved);
        set((s) => ({ baseVersion: version, savedGraph: saved, dirty: isDirty(s.graph), lastEdit: null }));
      },
      restoreDraft: (graph, baseVersion) => {
        edit(graph, undefined, { baseVersion, selectedNodes: [], selectedEdges: [] });
      },

      addNode: (type, position) => {
        const r = addNode(get().graph, type, position, settingsFor(type));
        edit(r.graph, undefined, { selectedNodes: [r.id], selectedEdges: [] });
        return r.id;
      },
      setNewNodeConfig: (fn) => set({ newNodeConfig: fn }),
      addNodeAfter: (type, position, afterId) => {
        const graph = get().graph;
        const after = graph.nodes.find((n) => n.id === afterId);
        const outputs = (after && getNodeDefinition(after.type)?.outputs) ?? [];
        for (const p of outputs) {
          const r = connectNewNode(graph, type, position, { nodeId: afterId, port: p.name, side: "source" }, settingsFor(type));
          if (!r) continue;
          edit(r.graph, undefined, { selectedNodes: [r.id], selectedEdges: [] });
          return r.id;
        }
        return get().addNode(type, position);
      },
      addConnectedNode: (type, position, end) => {
        const r = connectNewNode(get().graph, type, position, end, settingsFor(type));
        if (!r) return null;
        edit(r.graph, undefined, { selectedNodes: [r.id], selectedEdges: [] });
        return r.id;
      },
      updateConfig: (id, config) => edit(updateNode(get().graph, id, { config }), `config:${id}`),
      setParameters: (parameters) => edit({ ...get().graph, parameters }, "parameters"),
      setEngine: (engine) => {
        const { engine: was, ...rest } = get().graph;
        if ((was ?? "auto") === engine) return;
        edit(engine === "auto" ? rest : { ...rest, engine });
      },
      updateLabel: (id, label) => edit(updateNode(get().graph, id, { label: label === "" ? undefined : label }), `label:${id}`),
      moveNodes: (moves, start) => {
        let g = get().graph;
        for (const m of moves) g = updateNode(g, m.id, { position: m.position });
        if (start) edit(g);
        else set({ graph: g, dirty: isDirty(g) });
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
        const after = removeElements(s.graph, s.selectedNodes, s.selectedEdges);
        const offer = reconnectOffer(s.graph, after, s.selectedNodes);
        edit(after, undefined, { selectedNodes: [], selectedEdges: [], reconnectOffer: offer && { ...offer, after } });
      },
      reconnect: () => {
        const s = get();
        const offer = s.reconnectOffer;
        // Only onto the very graph the delete left: anything done since makes the offer stale.
        if (!offer || s.graph !== offer.after) return set({ reconnectOffer: null });
        const next = applyReconnect(s.graph, offer);
        set({ graph: next, dirty: isDirty(next), future: [], lastEdit: null, reconnectOffer: null });
      },
      dismissReconnect: () => set({ reconnectOffer: null }),
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
      paste: (fragment, sizes = {}) => {
        if (fragment.nodes.length === 0) return;
        const graph = get().graph;
        // Next to the original (40 px down and right), or the nearest place where the whole copy is clear.
        const offset = freeShift(occupiedRects(fragment, sizes), occupiedRects(graph, sizes), { x: 40, y: 40 });
        const r = pasteFragment(graph, fragment, offset);
        edit(r.graph, undefined, { selectedNodes: r.ids, selectedEdges: [] });
      },
      undo: () => {
        const s = get();
        const prev = s.past.at(-1);
        if (!prev) return;
        set({ graph: prev, past: s.past.slice(0, -1), future: [s.graph, ...s.future], dirty: isDirty(prev), lastEdit: null, reconnectOffer: null, ...keepSelection(prev, s) });
      },
      redo: () => {
        const s = get();
        const next = s.future[0];
        if (!next) return;
        set({ graph: next, past: [...s.past, s.graph], future: s.future.slice(1), dirty: isDirty(next), lastEdit: null, reconnectOffer: null, ...keepSelection(next, s) });
      },
    };
  });
}
