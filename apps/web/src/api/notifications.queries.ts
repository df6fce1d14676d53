import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { createdNotificationChannelSchema, notificationChannelListSchema, notificationTestResultSchema, notificationChannelSchema, type CreateNotificationChannelRequest, type UpdateNotificationChannelRequest } from "@sluice/model";
import { api, apiNoContent } from "./client.ts";

const key = ["notification-channels"] as const;

/** The workspace's channels, or one pipeline's (its own only; workspace-wide ones apply to it too). */
export const useNotificationChannels = (pipelineId?: string) =>
  useQuery({
    queryKey: [...key, pipelineId ?? "all"],
    queryFn: () => api("GET", `/notification-channels${pipelineId ? `?pipelineId=${encodeURIComponent(pipelineId)}` : ""}`, notificationChannelListSchema),
  });

function useInvalidating<A, R>(fn: (a: A) => Promise<R>) {
  const qc = useQueryClient();
  return useMutation({ mutationFn: fn, onSettled: () => qc.invalidateQueries({ queryKey: key }) });
}

export const useCreateNotificationChannel = () =>
  useInvalidating((body: CreateNotificationChannelRequest) => api("POST", "/notification-channels", createdNotificationChannelSchema, { body }));
export const useUpdateNotificationChannel = () =>
  useInvalidating(({ id, body }: { id: string; body: UpdateNotificationChannelRequest }) => api("PUT", `/notification-channels/${encodeURIComponent(id)}`, notificationChannelSchema, { body }));
export const useDeleteNotificationChannel = () => useInvalidating((id: string) => apiNoContent("DELETE", `/notification-channels/${encodeURIComponent(id)}`));
export const useTestNotificationChannel = () =>
  useInvalidating((id: string) => api("POST", `/notification-channels/${encodeURIComponent(id)}/test`, notificationTestResultSchema));
