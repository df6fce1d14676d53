import { useQueries, useQuery } from "@tanstack/react-query";
import { datasetUsageSchema, workspaceLineageSchema, type DatasetUsage } from "@sluice/model";
import { api, ApiError } from "./client.ts";

/** The workspace's pipelines and the datasets they read and write, as one graph (GET /api/lineage). */
export const useWorkspaceLineage = () => useQuery({ queryKey: ["lineage"], queryFn: () => api("GET", "/lineage", workspaceLineageSchema), staleTime: 10_000 });

/** Which pipelines read or write a dataset; a dataset nobody uses is an empty list, not an error. */
export async function fetchDatasetUsage(dataset: { namespace: string; name: string }): Promise<DatasetUsage> {
  try {
    return await api("GET", `/datasets/${encodeURIComponent(dataset.name)}/usage?namespace=${encodeURIComponent(dataset.namespace)}`, datasetUsageSchema);
  } catch (e) {
    if (e instanceof ApiError && e.code === "DATASET_NOT_FOUND") return { datasets: [] };
    throw e;
  }
}

const usageKey = (d: { namespace: string; name: string }) => ["lineage", "usage", d.namespace, d.name];

export const useDatasetUsage = (dataset: { namespace: string; name: string } | null) =>
  useQuery({ queryKey: usageKey(dataset ?? { namespace: "", name: "" }), queryFn: () => fetchDatasetUsage(dataset!), enabled: dataset !== null });

/** The usage of several datasets at once (the save dialog's impact check), fresh each time it is asked. */
export const useDatasetUsages = (datasets: readonly { namespace: string; name: string }[]) =>
  useQueries({ queries: datasets.map((d) => ({ queryKey: usageKey(d), queryFn: () => fetchDatasetUsage(d), staleTime: 0 })) });
