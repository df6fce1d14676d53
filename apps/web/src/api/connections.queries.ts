import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { connectionListSchema, connectionSchema, connectionTestResultSchema, type CreateConnectionRequest, type UpdateConnectionRequest } from "@sluice/model";
import { api, apiNoContent } from "./client.ts";
import { announceChange } from "./cross-tab.ts";

const path = (id: string) => `/connections/${encodeURIComponent(id)}`;

/**
 * Saved connections, for the connections page and the editor's Postgres source and sink pickers (one cache key).
 * Asked again whenever the window regains focus (someone may have added one elsewhere) and when another tab announces
 * a change (cross-tab.ts).
 */
export const useConnections = (enabled = true) =>
  useQuery({ queryKey: ["connections"], queryFn: () => api("GET", "/connections", connectionListSchema), enabled, staleTime: 10_000, refetchOnWindowFocus: "always" });

function useInvalidating<A, R>(fn: (a: A) => Promise<R>) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSettled: () => {
      announceChange("connections");
      return qc.invalidateQueries({ queryKey: ["connections"] });
    },
  });
}

export const useCreateConnection = () => useInvalidating((body: CreateConnectionRequest) => api("POST", "/connections", connectionSchema, { body }));
export const useUpdateConnection = () => useInvalidating(({ id, body }: { id: string; body: UpdateConnectionRequest }) => api("PUT", path(id), connectionSchema, { body }));
export const useDeleteConnection = () => useInvalidating((id: string) => apiNoContent("DELETE", path(id)));
export const useTestConnection = () => useMutation({ mutationFn: (id: string) => api("POST", `${path(id)}/test`, connectionTestResultSchema, { body: {} }) });
