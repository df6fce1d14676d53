import type { PipelineEdge, PipelineGraph, PipelineNode } from "@sluice/model";
import { getNodeDefinition } from "@sluice/pipeline";

/** Pure edits of a pipeline graph; the editor store adds selection and undo around them. */

const structuredCopy = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

/** `filter`, `filter_2`, … : readable in files and SQL step names, unique in the graph. */
export function newNodeId(graph: PipelineGraph, type: string, taken: Set<string> = new Set()): string {
  const used = new Set([...graph.nodes.map((n) => n.id), ...taken]);
  const base = type.replace(/[^A-Za-z0-9_-]/g, "_").slice(0, 56) || "node";
  if (!used.has(base)) return base;
  for (let i = 2; ; i++) if (!used.has(`${base}_${i}`)) return `${base}_${i}`;
}

export function newEdgeId(graph: PipelineGraph, taken: Set<string> = new Set()): string {
  const used = new Set([...graph.edges.map((e) => e.id), ...taken]);
  for (let i = graph.edges.length + 1; ; i++) if (!used.has(`e${i}`)) return `e${i}`;
}

/** `settings` (new-node-defaults.ts: the workspace's only connection, say) go over the type's defaultConfig. */
export function addNode(graph: PipelineGraph, type: string, position: { x: number; y: number }, settings?: Record<string, unknown>): { graph: PipelineGraph; id: string } {
  const def = getNodeDefinition(type);
  if (!def) throw new Error(`unknown node type ${type}`);
  const id = newNodeId(graph, type);
  const config = { ...(structuredCopy(def.defaultConfig ?? {}) as Record<string, unknown>), ...settings };
  // A new node is at its type's current version; saying so keeps a later load from reading it as version 1.
  const node: PipelineNode = { id, type, typeVersion: def.version, position, config };
  return { graph: { ...graph, nodes: [...graph.nodes, node] }, id };
}

export function updateNode(graph: PipelineGraph, id: string, patch: Partial<Pick<PipelineNode, "config" | "label" | "position">>): PipelineGraph {
  return { ...graph, nodes: graph.nodes.map((n) => (n.id === id ? { ...n, ...patch } : n)) };
}

export function addEdge(graph: PipelineGraph, e: Omit<PipelineEdge, "id">): PipelineGraph {
  return { ...graph, edges: [...graph.edges, { id: newEdgeId(graph), ...e }] };
}

/** Removes nodes with every edge touching them, and the given edges. */
export function removeElements(graph: PipelineGraph, nodeIds: Iterable<string>, edgeIds: Iterable<string> = []): PipelineGraph {
  const nodes = new Set(nodeIds);
  const edges = new Set(edgeIds);
  return {
    ...graph,
    nodes: graph.nodes.filter((n) => !nodes.has(n.id)),
    edges: graph.edges.filter((e) => !edges.has(e.id) && !nodes.has(e.source) && !nodes.has(e.target)),
  };
}

/** The selected nodes and the edges between them: what copy puts on the clipboard, as a pipeline file. */
export function extractFragment(graph: PipelineGraph, nodeIds: Iterable<string>): PipelineGraph {
  const ids = new Set(nodeIds);
  return {
    formatVersion: graph.formatVersion,
    nodes: structuredCopy(graph.nodes.filter((n) => ids.has(n.id))),
    edges: structuredCopy(graph.edges.filter((e) => ids.has(e.source) && ids.has(e.target))),
  };
}

/**
 * Adds a fragment (copied from this or another pipeline) under fresh ids, shifted so the copy does not hide
 * the original; edges that pointed outside the fragment are dropped.
 */
export function pasteFragment(graph: PipelineGraph, fragment: PipelineGraph, offset = { x: 40, y: 40 }): { graph: PipelineGraph; ids: string[] } {
  const rename = new Map<string, string>();
  const taken = new Set<string>();
  const nodes = fragment.nodes.map((n) => {
    const id = newNodeId(graph, n.id.replace(/_\d+$/, ""), taken);
    taken.add(id);
    rename.set(n.id, id);
    return { ...structuredCopy(n), id, position: { x: n.position.x + offset.x, y: n.position.y + offset.y } };
  });
  const takenEdges = new Set<string>();
  const edges: PipelineEdge[] = [];
  for (const e of fragment.edges) {
    const source = rename.get(e.source);
    const target = rename.get(e.target);
    if (!source || !target) continue;
    const id = newEdgeId(graph, takenEdges);
    takenEdges.add(id);
    edges.push({ ...e, id, source, target });
  }
  return { graph: { ...graph, nodes: [...graph.nodes, ...nodes], edges: [...graph.edges, ...edges] }, ids: nodes.map((n) => n.id) };
}
