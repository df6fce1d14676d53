import { Graph, layout } from "@dagrejs/dagre";
import type { ConnectionInfo, WorkspaceLineage } from "@sluice/model";
import { postgresNamespace, SLUICE_FILES_NAMESPACE } from "@sluice/pipeline";

type Dataset = WorkspaceLineage["datasets"][number];
export interface DatasetUser {
  pipelineId: string;
  pipelineName: string;
  version: number;
  access: "read" | "write";
}

export const pipelineNodeId = (id: string) => `p:${id}`;
export const datasetNodeId = (d: { namespace: string; name: string }) => `d:${d.namespace}\u0000${d.name}`;

export interface LineageGraphNode {
  id: string;
  kind: "pipeline" | "dataset";
  position: { x: number; y: number };
  pipeline?: WorkspaceLineage["pipelines"][number];
  dataset?: Dataset;
}

export const PIPELINE_SIZE = { width: 220, height: 56 };
export const DATASET_SIZE = { width: 220, height: 56 };

/**
 * The workspace's pipelines and datasets as one graph, laid out left to right as data flows: a dataset a pipeline
 * reads is left of it, one it writes right of it, so pipeline A → table → pipeline B reads as a chain. One edge per
 * pipeline and dataset and direction, however many of its nodes read or write it.
 */
export function workspaceGraph(l: WorkspaceLineage): { nodes: LineageGraphNode[]; edges: { id: string; source: string; target: string }[] } {
  const edges = new Map<string, { id: string; source: string; target: string }>();
  for (const e of l.edges) {
    const p = pipelineNodeId(e.pipelineId);
    const d = datasetNodeId(e);
    const [source, target] = e.access === "read" ? [d, p] : [p, d];
    const id = `${source}\u0001${target}`;
    edges.set(id, { id, source, target });
  }
  const g = new Graph();
  g.setGraph({ rankdir: "LR", nodesep: 30, ranksep: 80, marginx: 20, marginy: 20 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const p of l.pipelines) g.setNode(pipelineNodeId(p.id), { ...PIPELINE_SIZE });
  for (const d of l.datasets) g.setNode(datasetNodeId(d), { ...DATASET_SIZE });
  for (const e of edges.values()) g.setEdge(e.source, e.target);
  layout(g);
  const at = (id: string, size: { width: number; height: number }) => {
    const n = g.node(id);
    return { x: n.x - size.width / 2, y: n.y - size.height / 2 };
  };
  return {
    nodes: [
      ...l.pipelines.map((p) => ({ id: pipelineNodeId(p.id), kind: "pipeline" as const, position: at(pipelineNodeId(p.id), PIPELINE_SIZE), pipeline: p })),
      ...l.datasets.map((d) => ({ id: datasetNodeId(d), kind: "dataset" as const, position: at(datasetNodeId(d), DATASET_SIZE), dataset: d })),
    ],
    edges: [...edges.values()],
  };
}

/** The pipelines that read or write a dataset, once per pipeline and access, by name. */
export function usersOf(l: WorkspaceLineage, d: { namespace: string; name: string }): DatasetUser[] {
  const names = new Map(l.pipelines.map((p) => [p.id, p.name]));
  const seen = new Map<string, DatasetUser>();
  for (const e of l.edges) {
    if (e.namespace !== d.namespace || e.name !== d.name) continue;
    seen.set(`${e.pipelineId} ${e.access}`, { pipelineId: e.pipelineId, pipelineName: names.get(e.pipelineId) ?? e.pipelineId, version: e.version, access: e.access });
  }
  return [...seen.values()].sort((a, b) => a.pipelineName.localeCompare(b.pipelineName) || a.access.localeCompare(b.access));
}

/** An uploaded file's dataset (named `<file id>/<file name>` in sluice://files) and who uses it. */
export function fileUsers(l: WorkspaceLineage, fileId: string): DatasetUser[] {
  return l.datasets.filter((d) => d.namespace === SLUICE_FILES_NAMESPACE && d.name.startsWith(`${fileId}/`)).flatMap((d) => usersOf(l, d));
}

/** A PostgreSQL connection's tables that pipelines read or write, each with its users. */
export function connectionTables(l: WorkspaceLineage, c: ConnectionInfo): { dataset: Dataset; users: DatasetUser[] }[] {
  if (c.kind !== "postgres") return [];
  const ns = postgresNamespace({ host: c.settings.host, port: c.settings.port, database: c.settings.database });
  const own = `sluice://connections/${c.id}`;
  return l.datasets
    .filter((d) => d.namespace === own || (d.namespace === ns && d.name.startsWith(`${c.settings.database}.`)))
    .map((d) => ({ dataset: d, users: usersOf(l, d) }));
}
