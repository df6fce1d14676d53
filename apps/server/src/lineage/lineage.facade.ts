import { loadPipeline, columnLineage, datasetOf, DATASET_PORT, type ColumnLineage, type ColumnRef, type ConnectionAddress, type DatasetEnvironment, type DataFileInfo } from "@sluice/pipeline";
import type { DatasetUsage, PipelineGraph, PipelineLineage, WorkspaceLineage } from "@sluice/model";
import type { ConnectionRepository } from "../connections/connection.repository.ts";
import type { DataFileRepository } from "../files/data-file.repository.ts";
import type { PipelineRepository } from "../pipelines/pipeline.repository.ts";
import type { ValidationFacade } from "../pipelines/validation.facade.ts";

export interface LineageFacadeDeps {
  pipelines: Pick<PipelineRepository, "get" | "list" | "version">;
  files: Pick<DataFileRepository, "getMany">;
  connections: Pick<ConnectionRepository, "list">;
  validation: Pick<ValidationFacade, "environment">;
}

const refKey = (r: ColumnRef) => `${r.nodeId}\u0000${r.port}\u0000${r.column}`;

/**
 * Every column some sink's dataset comes from, directly or not (traceColumn's links, indirect ones included): one walk
 * upstream from all the sinks' dataset columns at once, each column visited once. A source's dataset column reaches a
 * sink exactly when it is in this set. Tracing each column of each source downstream on its own, as before, cost
 * sources × columns × the whole lineage, synchronously on the event loop: twenty file sources of one 300-column file
 * (a 100 kB graph) kept GET /api/datasets/:name/usage, and the whole server, busy for 53 s.
 */
export function reachingSinks(lineage: ColumnLineage): Set<string> {
  const reached = new Set<string>();
  const queue: ColumnRef[] = [];
  const visit = (r: ColumnRef) => {
    const k = refKey(r);
    if (reached.has(k)) return;
    reached.add(k);
    queue.push(r);
  };
  const originsOf = (r: ColumnRef) => {
    const port = lineage.nodes[r.nodeId]?.ports[r.port];
    return port ? [...(port.columns[r.column] ?? []), ...port.rows] : [];
  };
  // A sink's dataset columns are where the walk starts, not what it found: only their origins count as reaching.
  for (const [nodeId, node] of Object.entries(lineage.nodes)) {
    for (const column of Object.keys(node.ports[DATASET_PORT]?.columns ?? {})) {
      for (const o of originsOf({ nodeId, port: DATASET_PORT, column })) visit(o.from);
    }
  }
  for (let i = 0; i < queue.length; i++) for (const o of originsOf(queue[i]!)) visit(o.from);
  return reached;
}

/**
 * Lineage as the API answers it: column-level for one version of a pipeline, and the workspace's pipelines and the
 * datasets they read and write (cross-pipeline). Everything is named by @sluice/pipeline's datasetOf, as OpenLineage
 * events are, and looked up in the one workspace.
 */
export function lineageFacade(d: LineageFacadeDeps) {
  /** PostgreSQL connections' addresses (never users or passwords), for naming tables as postgres://host:port. */
  async function addresses(workspaceId: string): Promise<Map<string, ConnectionAddress>> {
    const list = await d.connections.list(workspaceId);
    return new Map(list.flatMap((c) => ("host" in c.settings ? [[c.id, { host: c.settings.host, port: c.settings.port, database: c.settings.database }] as const] : [])));
  }

  async function fileInfos(workspaceId: string, graphs: PipelineGraph[]): Promise<Map<string, Pick<DataFileInfo, "id" | "name">>> {
    const ids = graphs.flatMap((g) => g.nodes.flatMap((n) => (n.type === "file" && typeof n.config.fileId === "string" ? [n.config.fileId] : [])));
    const files = await d.files.getMany(workspaceId, [...new Set(ids)]);
    return new Map(files.map((f) => [f.id, { id: f.id, name: f.name }]));
  }

  /** The workspace's pipelines at their current versions, loaded (migrated) so their configs read as the catalog's. */
  async function currentGraphs(workspaceId: string) {
    const list = await d.pipelines.list(workspaceId);
    const versions = await Promise.all(list.map(async (p) => ({ p, v: await d.pipelines.version(workspaceId, p.id, p.currentVersion) })));
    return versions.flatMap(({ p, v }) => {
      const loaded = v ? loadPipeline(v.graph) : undefined;
      return loaded?.ok ? [{ id: p.id, name: p.name, version: p.currentVersion, graph: loaded.graph }] : [];
    });
  }

  async function workspaceLineage(workspaceId: string): Promise<WorkspaceLineage> {
    return (await collect(workspaceId)).lineage;
  }

  /** The columns one node uses of its dataset: a source's that reach any sink (directly or not), a sink's it writes. */
  function columnsUsed(lineage: ColumnLineage, reaching: ReadonlySet<string>, nodeId: string, access: "read" | "write"): string[] | null {
    const node = lineage.nodes[nodeId];
    if (!node) return null;
    if (access === "write") return Object.keys(node.ports[DATASET_PORT]?.columns ?? {});
    const columns = Object.values(node.ports.out?.columns ?? {}).flatMap((list) => list.filter((o) => o.from.port === DATASET_PORT).map((o) => o.from.column));
    return [...new Set(columns)].filter((column) => reaching.has(refKey({ nodeId, port: DATASET_PORT, column })));
  }

  async function collect(workspaceId: string) {
    const pipelines = await currentGraphs(workspaceId);
    const [files, conns] = await Promise.all([fileInfos(workspaceId, pipelines.map((p) => p.graph)), addresses(workspaceId)]);
    const env: DatasetEnvironment = {
      file: (id) => {
        const f = files.get(id);
        return f && { ...f, path: "", format: "csv", columns: [] };
      },
      connection: (id) => conns.get(id),
    };
    const datasets = new Map<string, WorkspaceLineage["datasets"][number]>();
    const edges: WorkspaceLineage["edges"] = [];
    for (const p of pipelines) {
      for (const n of p.graph.nodes) {
        const ds = datasetOf(n, env);
        if (!ds) continue;
        const { access, ...dataset } = ds;
        datasets.set(`${ds.namespace}\u0000${ds.name}`, dataset);
        edges.push({ pipelineId: p.id, version: p.version, access, nodeId: n.id, namespace: ds.namespace, name: ds.name });
      }
    }
    const byName = (a: { namespace: string; name: string }, b: { namespace: string; name: string }) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name);
    const lineage: WorkspaceLineage = { pipelines: pipelines.map(({ id, name, version }) => ({ id, name, version })), datasets: [...datasets.values()].sort(byName), edges };
    return { lineage, graphs: new Map(pipelines.map((p) => [p.id, p.graph])), conns };
  }

  return {
    /** Column lineage of a version (the current one by default); not_found / version_not_found otherwise. */
    async pipelineLineage(workspaceId: string, pipelineId: string, version: number | undefined) {
      const p = await d.pipelines.get(workspaceId, pipelineId);
      if (!p) return { kind: "not_found" } as const;
      const n = version ?? p.currentVersion;
      const v = await d.pipelines.version(workspaceId, pipelineId, n);
      if (!v) return { kind: "version_not_found", version: n } as const;
      const loaded = loadPipeline(v.graph);
      const graph = loaded.ok ? loaded.graph : v.graph;
      const [env, conns] = await Promise.all([d.validation.environment(workspaceId, graph), addresses(workspaceId)]);
      const lineage = columnLineage(graph, { ...env, connection: (id) => conns.get(id) });
      const body: PipelineLineage = { pipelineId, version: n, ...lineage };
      return { kind: "ok", body } as const;
    },
    workspaceLineage,
    /** Each dataset of that name (in `namespace`, when given) with the pipelines that read or write it; empty when none does. */
    async datasetUsage(workspaceId: string, name: string, namespace: string | undefined): Promise<DatasetUsage> {
      const { lineage: all, graphs, conns } = await collect(workspaceId);
      const names = new Map(all.pipelines.map((p) => [p.id, p.name]));
      const datasets = all.datasets.filter((ds) => ds.name === name && (namespace === undefined || ds.namespace === namespace));
      // Column lineage only of the pipelines that use these datasets: it asks their sources for their columns.
      const users = [...new Set(all.edges.filter((e) => datasets.some((ds) => e.namespace === ds.namespace && e.name === ds.name)).map((e) => e.pipelineId))];
      const lineages = new Map(
        await Promise.all(
          users.map(async (id) => {
            const graph = graphs.get(id)!;
            const env = await d.validation.environment(workspaceId, graph);
            const lineage = columnLineage(graph, { ...env, connection: (c) => conns.get(c) });
            return [id, { lineage, reaching: reachingSinks(lineage) }] as const;
          }),
        ),
      );
      const usedBy = (pipelineId: string, nodeId: string, access: "read" | "write") => {
        const l = lineages.get(pipelineId)!;
        return columnsUsed(l.lineage, l.reaching, nodeId, access);
      };
      return {
        datasets: datasets.map((ds) => ({
          ...ds,
          usedBy: all.edges
            .filter((e) => e.namespace === ds.namespace && e.name === ds.name)
            .map(({ pipelineId, version, access, nodeId }) => ({ pipelineId, pipelineName: names.get(pipelineId) ?? "", version, access, nodeId, columns: usedBy(pipelineId, nodeId, access) })),
        })),
      };
    },
  };
}

export type LineageFacade = ReturnType<typeof lineageFacade>;
