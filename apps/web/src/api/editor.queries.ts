import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { previewResponseSchema, validateResponseSchema, type PipelineGraph, type PreviewResponse } from "@sluice/model";
import { api } from "./client.ts";

export type NodePreview = PreviewResponse;

/**
 * Problems and columns of the graph being edited. Keyed on the graph's JSON: an edit asks again, and the
 * previous answer stays on screen meanwhile so node outlines do not flicker.
 */
export function useGraphValidation(graph: PipelineGraph, enabled = true) {
  const json = JSON.stringify(graph);
  return useQuery({
    queryKey: ["validate", json],
    queryFn: ({ signal }) => api("POST", "/pipelines/validate", validateResponseSchema, { body: { graph }, signal }),
    placeholderData: keepPreviousData,
    staleTime: 60_000,
    enabled,
  });
}

/** Rows at one node of an unsaved graph; `scope` is the node and what is upstream of it (see previewScope). */
export function useNodePreview(scope: PipelineGraph | null, nodeId: string | null, port: string | undefined, limit = 1000) {
  const json = scope ? JSON.stringify(scope) : null;
  return useQuery({
    queryKey: ["preview", nodeId, port ?? null, limit, json],
    queryFn: ({ signal }) => api("POST", "/preview", previewResponseSchema, { body: { graph: scope, nodeId, port, limit }, signal }),
    enabled: scope !== null && nodeId !== null,
    placeholderData: keepPreviousData,
    staleTime: 30_000,
    retry: false,
  });
}
