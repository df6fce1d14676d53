import { analyzeGraph, columnLineage, getNodeDefinition, type ConnectionAddress } from "@sluice/pipeline";
import type { RunPlan } from "../runs/run-observer.ts";
import { sinkColumnLineage } from "./column-lineage-facet.ts";
import { FACET_URLS, type Dataset, type SchemaField } from "./openlineage.types.ts";

/** The datasets a run reads and writes, with their facets: what its START and its last event carry. */
export interface RunDatasets {
  inputs: Dataset[];
  outputs: Dataset[];
}

const schemaFacet = (producer: string, columns: readonly { name: string; type?: string | undefined }[]) => ({
  _producer: producer,
  _schemaURL: FACET_URLS.schema,
  fields: columns.map((c, i): SchemaField => ({ name: c.name, ...(c.type ? { type: c.type } : {}), ordinal_position: i + 1 })),
});

/** The PostgreSQL connections a graph names, for their addresses to be looked up before naming its tables. */
export function connectionIdsOf(plan: Pick<RunPlan, "graph">): string[] {
  const ids = plan.graph.nodes.map((n) => (n.config as { connectionId?: unknown }).connectionId);
  return [...new Set(ids.filter((id): id is string => typeof id === "string" && id !== ""))];
}

/**
 * Sources' datasets as inputs with the columns read (schema facet); sinks' as outputs with the columns written and,
 * per column, where it comes from (column lineage facet). Datasets are named by @sluice/pipeline's datasetOf, as
 * everywhere else in Sluice; a node with no dataset (inline rows, a query source) adds none. One dataset read or
 * written by several nodes is listed once.
 */
export function runDatasets(plan: RunPlan, addresses: ReadonlyMap<string, ConnectionAddress>, producer: string): RunDatasets {
  const env = { ...plan.env, connection: (id: string) => addresses.get(id) };
  const lineage = columnLineage(plan.graph, env, { params: plan.params });
  const analysis = analyzeGraph(plan.graph, env, { params: plan.params });
  const inputs = new Map<string, Dataset>();
  const outputs = new Map<string, Dataset>();
  for (const [nodeId, node] of Object.entries(lineage.nodes)) {
    const dataset = node.dataset;
    if (!dataset) continue;
    const key = `${dataset.namespace}\u0000${dataset.name}`;
    const def = getNodeDefinition(node.type);
    if (dataset.access === "read") {
      const columns = analysis.portSchemas.get(nodeId)?.[def?.outputs[0]?.name ?? ""] ?? [];
      if (!inputs.has(key)) inputs.set(key, { namespace: dataset.namespace, name: dataset.name, facets: { schema: schemaFacet(producer, columns) } });
      continue;
    }
    const written = Object.keys(node.ports.dataset?.columns ?? {});
    const edge = analysis.index?.incoming.get(nodeId)?.get(def?.inputs[0]?.name ?? "")?.[0];
    const upstream = edge?.sourcePort === undefined ? [] : (analysis.portSchemas.get(edge.edge.source)?.[edge.sourcePort] ?? []);
    const columns = written.map((name) => upstream.find((c) => c.name === name) ?? { name, type: undefined });
    const facet = sinkColumnLineage(lineage, nodeId);
    outputs.set(key, {
      namespace: dataset.namespace,
      name: dataset.name,
      facets: {
        schema: schemaFacet(producer, columns),
        ...(facet ? { columnLineage: { _producer: producer, _schemaURL: FACET_URLS.columnLineage, ...facet } } : {}),
      },
    });
  }
  return { inputs: [...inputs.values()], outputs: [...outputs.values()] };
}
