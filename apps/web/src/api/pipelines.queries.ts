import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import {
  pipelineDetailSchema,
  pipelineListSchema,
  pipelineVersionListSchema,
  pipelineVersionSchema,
  type CreatePipelineRequest,
  type UpdatePipelineRequest,
} from "@sluice/model";
import { api, apiNoContent } from "./client.ts";

/** Every pipeline query key starts with "pipelines", so invalidating that prefix refreshes lists, details and histories. */
export const pipelineKeys = {
  all: ["pipelines"] as const,
  one: (id: string) => ["pipelines", id] as const,
  versions: (id: string) => ["pipelines", id, "versions"] as const,
};

const path = (id: string) => `/pipelines/${encodeURIComponent(id)}`;

export const fetchPipeline = (id: string) => api("GET", path(id), pipelineDetailSchema);

export const usePipelines = () => useQuery({ queryKey: pipelineKeys.all, queryFn: () => api("GET", "/pipelines", pipelineListSchema) });

export const usePipeline = (id: string) => useQuery({ queryKey: pipelineKeys.one(id), queryFn: () => fetchPipeline(id) });

export const usePipelineVersions = (id: string) =>
  useQuery({ queryKey: pipelineKeys.versions(id), queryFn: () => api("GET", `${path(id)}/versions`, pipelineVersionListSchema) });

function useInvalidating<A, R>(mutationFn: (a: A) => Promise<R>) {
  const qc = useQueryClient();
  return useMutation({ mutationFn, onSettled: () => qc.invalidateQueries({ queryKey: pipelineKeys.all }) });
}

/** One version, read-only; versions never change, so the answer is cached for good. */
export const usePipelineVersion = (id: string, n: number | null) =>
  useQuery({
    queryKey: [...pipelineKeys.versions(id), n],
    queryFn: () => api("GET", `${path(id)}/versions/${n}`, pipelineVersionSchema),
    enabled: n !== null,
    staleTime: Infinity,
  });

export const useRestoreVersion = () =>
  useInvalidating(({ id, n, baseVersion }: { id: string; n: number; baseVersion: number }) =>
    api("POST", `${path(id)}/versions/${n}/restore`, pipelineDetailSchema, { body: { baseVersion, message: `Restored version ${n}` } }),
  );

export const useCreatePipeline = () => useInvalidating((body: CreatePipelineRequest) => api("POST", "/pipelines", pipelineDetailSchema, { body }));

export const useUpdatePipeline = () =>
  useInvalidating(({ id, body }: { id: string; body: UpdatePipelineRequest }) => api("PUT", path(id), pipelineDetailSchema, { body }));

export const useDuplicatePipeline = () =>
  useInvalidating((id: string) => api("POST", `${path(id)}/duplicate`, pipelineDetailSchema, { body: {} }));

export const useDeletePipeline = () => useInvalidating((id: string) => apiNoContent("DELETE", path(id)));
