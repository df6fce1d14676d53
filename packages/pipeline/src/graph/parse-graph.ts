import { error, nodeIdSchema, pipelineGraphSchema, type Issue, type PipelineGraph } from "@sluice/model";

export interface ParsedGraph {
  /** The nodes and edges that have the right shape; undefined when the document as a whole does not. */
  graph: PipelineGraph | undefined;
  /** One INVALID_GRAPH per zod issue, `field` = its JSON path. */
  issues: Issue[];
  /** Ids of nodes that are present but malformed, so edges to them are not reported as dangling. */
  unreadableNodes: string[];
  /** Nodes that a malformed edge points into: their inputs are unknown, not missing. */
  unreadableEdgeTargets: string[];
}

const pathOf = (path: PropertyKey[]) => path.map(String).join(".");

/** A readable string property of a list entry, e.g. the id of a malformed node. */
function entryProp(input: unknown, list: "nodes" | "edges", at: number, prop: "id" | "target"): string | undefined {
  if (typeof input !== "object" || input === null || !(list in input)) return undefined;
  const entries: unknown = (input as Record<string, unknown>)[list];
  const entry: unknown = Array.isArray(entries) ? entries[at] : undefined;
  if (typeof entry !== "object" || entry === null) return undefined;
  const parsed = nodeIdSchema.safeParse((entry as Record<string, unknown>)[prop]);
  return parsed.success ? parsed.data : undefined;
}

/**
 * Parses a graph with the model's zod schema. When only some nodes or edges are malformed, the rest is kept
 * so that every other problem can still be reported in the same pass; a malformed document as a whole
 * (wrong formatVersion, nodes not a list, too many nodes) stops there.
 */
export function parseGraph(input: unknown): ParsedGraph {
  const parsed = pipelineGraphSchema.safeParse(input);
  if (parsed.success) return { graph: parsed.data, issues: [], unreadableNodes: [], unreadableEdgeTargets: [] };

  const bad = { nodes: new Set<number>(), edges: new Set<number>() };
  let structural = false;
  const issues = parsed.error.issues.map((i) => {
    const field = pathOf(i.path);
    const [list, at] = i.path;
    let where = {};
    if ((list === "nodes" || list === "edges") && typeof at === "number") {
      bad[list].add(at);
      const id = entryProp(input, list, at, "id");
      if (id !== undefined) where = list === "nodes" ? { nodeId: id } : { edgeId: id };
    } else structural = true;
    return error("INVALID_GRAPH", `${field || "graph"}: ${i.message}`, { ...where, field });
  });
  const none = { graph: undefined, issues, unreadableNodes: [], unreadableEdgeTargets: [] };
  if (structural) return none;

  // Only entries were malformed: parse the document again without them.
  const raw = input as Record<string, unknown[]>;
  const rest = pipelineGraphSchema.safeParse({
    ...raw,
    nodes: raw.nodes?.filter((_, i) => !bad.nodes.has(i)),
    edges: raw.edges?.filter((_, i) => !bad.edges.has(i)),
  });
  if (!rest.success) return none;
  const ids = (list: "nodes" | "edges", prop: "id" | "target", indexes: Set<number>) =>
    [...indexes].flatMap((at) => entryProp(input, list, at, prop) ?? []);
  return {
    graph: rest.data,
    issues,
    unreadableNodes: ids("nodes", "id", bad.nodes),
    unreadableEdgeTargets: ids("edges", "target", bad.edges),
  };
}
