import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { apiTokenListSchema, createdTokenSchema, type CreateTokenRequest } from "@sluice/model";
import { api, apiNoContent } from "./client.ts";

const key = ["tokens"] as const;

/** Only owners may list tokens; others do not ask. */
export const useTokens = (enabled = true) => useQuery({ queryKey: key, queryFn: () => api("GET", "/tokens", apiTokenListSchema), enabled });

function useInvalidating<A, R>(fn: (a: A) => Promise<R>) {
  const qc = useQueryClient();
  return useMutation({ mutationFn: fn, onSettled: () => qc.invalidateQueries({ queryKey: key }) });
}

export const useCreateToken = () => useInvalidating((body: CreateTokenRequest) => api("POST", "/tokens", createdTokenSchema, { body }));
export const useRevokeToken = () => useInvalidating((id: string) => apiNoContent("DELETE", `/tokens/${encodeURIComponent(id)}`));
