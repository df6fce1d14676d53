import type { PipelineGraph } from "@sluice/model";

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

/**
 * The graph with a stable key order, so pipeline files diff cleanly in git: formatVersion; parameters as name, type,
 * default, description; engine (left out when "auto"); nodes as id, type, typeVersion, label,
 * position, config (config keys sorted), edges as id, source, sourcePort, target, targetPort.
 */
export function canonicalizeGraph(graph: PipelineGraph): PipelineGraph {
  return {
    formatVersion: graph.formatVersion,
    // No parameters and an empty list mean the same; files keep the shorter form.
    ...(graph.parameters?.length
      ? {
          parameters: graph.parameters.map((p) => ({
            name: p.name,
            type: p.type,
            default: p.default,
            ...(p.description !== undefined ? { description: p.description } : {}),
          })),
        }
      : {}),
    // "auto" is the default; files keep the shorter form.
    ...(graph.engine !== undefined && graph.engine !== "auto" ? { engine: graph.engine } : {}),
    nodes: graph.nodes.map((n) => ({
      id: n.id,
      type: n.type,
      ...(n.typeVersion !== undefined ? { typeVersion: n.typeVersion } : {}),
      ...(n.label !== undefined ? { label: n.label } : {}),
      position: { x: n.position.x, y: n.position.y },
      config: sortKeys(n.config) as Record<string, unknown>,
    })),
    edges: graph.edges.map((e) => ({
      id: e.id,
      source: e.source,
      ...(e.sourcePort !== undefined ? { sourcePort: e.sourcePort } : {}),
      target: e.target,
      ...(e.targetPort !== undefined ? { targetPort: e.targetPort } : {}),
    })),
  };
}
