import { useMemo } from "react";
import type { Column, Issue, PipelineGraph } from "@sluice/model";
import { getNodeDefinition } from "@sluice/pipeline";
import { useEditor } from "./editor-context.ts";
import { NodeInspector } from "./inspector/node-inspector.tsx";

/** Per input port, the columns arriving over each edge, in edge order: what the inspector's column pickers offer. */
export function inputColumns(graph: PipelineGraph, nodeId: string, portSchemas: Record<string, Record<string, Column[]>>): Record<string, Column[][]> {
  const out: Record<string, Column[][]> = {};
  for (const e of graph.edges) {
    if (e.target !== nodeId) continue;
    const port = e.targetPort ?? "in";
    (out[port] ??= []).push(portSchemas[e.source]?.[e.sourcePort ?? "out"] ?? []);
  }
  return out;
}

export function InspectorPanel({ nodeId, problems, portSchemas }: { nodeId: string; problems: Issue[]; portSchemas: Record<string, Record<string, Column[]>> }) {
  const graph = useEditor((s) => s.graph);
  const updateConfig = useEditor((s) => s.updateConfig);
  const updateLabel = useEditor((s) => s.updateLabel);
  const node = graph.nodes.find((n) => n.id === nodeId);
  const definition = node ? getNodeDefinition(node.type) : undefined;
  const inputs = useMemo(() => inputColumns(graph, nodeId, portSchemas), [graph, nodeId, portSchemas]);
  if (!node) return null;
  if (!definition) return <p className="p-3 text-sm text-red-700">This node's type “{node.type}” is unknown to this version of Sluice.</p>;
  return (
    <NodeInspector
      key={node.id}
      node={node}
      definition={definition}
      inputs={inputs}
      problems={problems}
      graph={graph}
      onConfigChange={(config) => updateConfig(node.id, config)}
      onLabelChange={(label) => updateLabel(node.id, label)}
    />
  );
}
