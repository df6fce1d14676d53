import { useMutation, useQueryClient } from "@tanstack/react-query";
import { connectionSchema, connectionTestResultSchema, type CreateConnectionRequest, type UpdateConnectionRequest } from "@sluice/model";
import { useConnectionOptions } from "../editor/inspector/picker-options.ts";
import { api, apiNoContent } from "./client.ts";

const path = (id: string) => `/connections/${encodeURIComponent(id)}`;

export const useConnections = () => useConnectionOptions(true);

function useInvalidating<A, R>(fn: (a: A) => Promise<R>) {
  const qc = useQueryClient();
  return useMutation({ mutationFn: fn, onSettled: () => qc.invalidateQueries({ queryKey: ["connections"] }) });
}

export const useCreateConnection = () => useInvalidating((body: CreateConnectionRequest) => api("POST", "/connections", connectionSchema, { body }));
export const useUpdateConnection = () => useInvalidating(({ id, body }: { id: string; body: UpdateConnectionRequest }) => api("PUT", path(id), connectionSchema, { body }));
export const useDeleteConnection = () => useInvalidating((id: string) => apiNoContent("DELETE", path(id)));
export const useTestConnection = () => useMutation({ mutationFn: (id: string) => api("POST", `${path(id)}/test`, connectionTestResultSchema, { body: {} }) });
