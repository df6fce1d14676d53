import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import {
  pipelineDetailSchema,
  pipelineListSchema,
  pipelineVersionListSchema,
  type CreatePipelineRequest,
  type UpdatePipelineRequest,
} from "@sluice/model";
import { api } from "./client.ts";

const keys = { all: ["pipelines"] as const, one: (id: string) => ["pipelines", id] as const, versions: (id: string) => ["pipelines", id, "versions"] as const };

export const usePipelines = () => useQuery({ queryKey: keys.all, queryFn: () => api("GET", "/pipelines", pipelineListSchema) });
export const usePipeline = (id: string) => useQuery({ queryKey: keys.one(id), queryFn: () => api("GET", `/pipelines/${id}`, pipelineDetailSchema) });
export const usePipelineVersions = (id: string) =>
  useQuery({ queryKey: keys.versions(id), queryFn: () => api("GET", `/pipelines/${id}/versions`, pipelineVersionListSchema) });

function useInvalidating<A, R>(fn: (a: A) => Promise<R>) {
  const qc = useQueryClient();
  return useMutation({ mutationFn: fn, onSuccess: () => qc.invalidateQueries({ queryKey: keys.all }) });
}

export const useCreatePipeline = () => useInvalidating((body: CreatePipelineRequest) => api("POST", "/pipelines", pipelineDetailSchema, body));
export const useUpdatePipeline = () =>
  useInvalidating(({ id, body }: { id: string; body: UpdatePipelineRequest }) => api("PUT", `/pipelines/${id}`, pipelineDetailSchema, body));
export const useDuplicatePipeline = () => useInvalidating((id: string) => api("POST", `/pipelines/${id}/duplicate`, pipelineDetailSchema, {}));
export const useDeletePipeline = () => useInvalidating((id: string) => api("DELETE", `/pipelines/${id}`, null));
