import type { NodeRunInfo, PipelineGraph } from "@sluice/model";
import { getNodeDefinition } from "@sluice/pipeline";

/**
 * A node's result in a run as the canvas shows it. `staleFrom` is the version the run used, set once the node or
 * anything upstream of it differs from that version: the result no longer describes what the node would give.
 */
export type ShownNodeRun = NodeRunInfo & { staleFrom?: number };

/** JSON with object keys sorted at every depth: settings written in another key order read the same. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v === null || typeof v !== "object" || Array.isArray(v)) return v;
    const o = v as Record<string, unknown>;
    return Object.fromEntries(
      Object.keys(o)
        .sort()
        .map((k) => [k, o[k]]),
    );
  });
}

/** cyrb53: a short hash, so a node's key does not hold the whole text of everything upstream (diamonds repeat it). */
function hash(text: string): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36);
}

/**
 * A node's settings as a short key. Settings are replaced, never changed in place, so the key is kept per settings
 * object: dragging a node (a new graph every frame, the same settings) does not serialise them again.
 */
const configKeys = new WeakMap<object, string>();
function configKey(config: Record<string, unknown>): string {
  let key = configKeys.get(config);
  if (key === undefined) {
    key = hash(canonicalJson(config));
    configKeys.set(config, key);
  }
  return key;
}

/** An edge's port as the graph means it: an unnamed one is the node's only port, or its main one. */
function portOf(type: string | undefined, given: string | undefined, side: "inputs" | "outputs"): string {
  if (given !== undefined) return given;
  const ports = (type !== undefined ? getNodeDefinition(type)?.[side] : undefined) ?? [];
  return ports.length === 1 ? ports[0]!.name : side === "inputs" ? "in" : "out";
}

/**
 * Per node, a key for what its output depends on: its type and settings, and for each input (by port, in the
 * graph's order within a port, as a union reads them) the port it reads and the key of the node feeding it. Two
 * graphs give a node the same key exactly when it and everything upstream are alike; positions, labels and edge
 * ids do not count. On a cycle the walk stops where it began (such a graph does not run).
 */
export function lineageKeys(graph: PipelineGraph): Map<string, string> {
  const nodes = new Map(graph.nodes.map((n) => [n.id, n]));
  const keys = new Map<string, string>();
  const visiting = new Set<string>();
  const keyOf = (id: string): string => {
    const known = keys.get(id);
    if (known !== undefined) return known;
    const node = nodes.get(id);
    if (!node) return "missing";
    if (visiting.has(id)) return "cycle";
    visiting.add(id);
    const inputs = graph.edges
      .filter((e) => e.target === id)
      .map((e) => [portOf(node.type, e.targetPort, "inputs"), portOf(nodes.get(e.source)?.type, e.sourcePort, "outputs"), keyOf(e.source)])
      .sort((a, b) => (a[0]! < b[0]! ? -1 : a[0]! > b[0]! ? 1 : 0));
    visiting.delete(id);
    const key = hash(JSON.stringify([node.type, configKey(node.config), inputs]));
    keys.set(id, key);
    return key;
  };
  for (const n of graph.nodes) keyOf(n.id);
  return keys;
}

/** The nodes of `now` whose result in a run of `ran` no longer holds: they, or something upstream, changed. */
export function staleNodes(ran: PipelineGraph, now: PipelineGraph): Set<string> {
  const before = lineageKeys(ran);
  const after = lineageKeys(now);
  return new Set(now.nodes.filter((n) => after.get(n.id) !== before.get(n.id)).map((n) => n.id));
}

/** A run's node results with the stale ones marked as from the run of `version`. */
export function markStale(runNodes: ReadonlyMap<string, NodeRunInfo>, stale: ReadonlySet<string>, version: number): Map<string, ShownNodeRun> {
  return new Map([...runNodes].map(([id, info]) => [id, stale.has(id) ? { ...info, staleFrom: version } : info]));
}
