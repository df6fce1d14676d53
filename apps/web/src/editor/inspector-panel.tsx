import { useMemo } from "react";
import type { Column, Issue, PipelineGraph } from "@sluice/model";
import { getNodeDefinition } from "@sluice/pipeline";
import { ConfigJsonEditor } from "./config-json-editor.tsx";
import { useEditor } from "./editor-context.ts";

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
    <div className="space-y-3 p-3" key={node.id}>
      <div>
        <h2 className="text-sm font-semibold">{definition.label}</h2>
        <p className="text-xs text-slate-500">{definition.description}</p>
      </div>
      <label className="block text-xs font-medium text-slate-600">
        Label
        <input
          value={node.label ?? ""}
          placeholder={definition.label}
          onChange={(e) => updateLabel(node.id, e.target.value)}
          className="mt-1 w-full rounded-md border border-slate-300 px-2 py-1 text-sm focus:ring-2 focus:ring-cyan-600/30 focus:outline-none"
        />
      </label>
      {problems.length > 0 && (
        <ul className="space-y-1 rounded-md bg-red-50 p-2 text-xs text-red-800">
          {problems.map((p, i) => (
            <li key={i}>{p.message}</li>
          ))}
        </ul>
      )}
      {Object.entries(inputs).map(([port, cols]) => (
        <p key={port} className="text-xs text-slate-500">
          {port}: {cols.flat().map((c) => `${c.name} (${c.type})`).join(", ") || "no columns yet"}
        </p>
      ))}
      <ConfigJsonEditor config={node.config} onChange={(c) => updateConfig(node.id, c)} />
    </div>
  );
}
