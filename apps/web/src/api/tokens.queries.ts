import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { apiTokenListSchema, createdTokenSchema } from "@sluice/model";
import { api, apiNoContent } from "./client.ts";

const key = ["tokens"] as const;

export const useTokens = () => useQuery({ queryKey: key, queryFn: () => api("GET", "/tokens", apiTokenListSchema) });

function useInvalidating<A, R>(fn: (a: A) => Promise<R>) {
  const qc = useQueryClient();
  return useMutation({ mutationFn: fn, onSettled: () => qc.invalidateQueries({ queryKey: key }) });
}

export const useCreateToken = () => useInvalidating((name: string) => api("POST", "/tokens", createdTokenSchema, { body: { name } }));
export const useRevokeToken = () => useInvalidating((id: string) => apiNoContent("DELETE", `/tokens/${encodeURIComponent(id)}`));
