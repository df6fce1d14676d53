import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { scheduleListSchema, scheduleSchema, type CreateScheduleRequest, type UpdateScheduleRequest } from "@sluice/model";
import { api, apiNoContent } from "./client.ts";

const key = (pipelineId: string) => ["schedules", pipelineId] as const;

export const useSchedules = (pipelineId: string) =>
  useQuery({
    queryKey: key(pipelineId),
    queryFn: () => api("GET", `/pipelines/${encodeURIComponent(pipelineId)}/schedules`, scheduleListSchema),
    // Slots are recorded as they fall due (workers check every 5 s): the panel follows while a schedule is on.
    refetchInterval: (q) => (q.state.data?.schedules.some((s) => s.enabled) ? 5000 : false),
  });

function useInvalidating<A, R>(pipelineId: string, fn: (a: A) => Promise<R>) {
  const qc = useQueryClient();
  return useMutation({ mutationFn: fn, onSettled: () => qc.invalidateQueries({ queryKey: key(pipelineId) }) });
}

export const useCreateSchedule = (pipelineId: string) =>
  useInvalidating(pipelineId, (body: CreateScheduleRequest) => api("POST", `/pipelines/${encodeURIComponent(pipelineId)}/schedules`, scheduleSchema, { body }));
export const useUpdateSchedule = (pipelineId: string) =>
  useInvalidating(pipelineId, ({ id, body }: { id: string; body: UpdateScheduleRequest }) => api("PUT", `/schedules/${encodeURIComponent(id)}`, scheduleSchema, { body }));
export const useDeleteSchedule = (pipelineId: string) => useInvalidating(pipelineId, (id: string) => apiNoContent("DELETE", `/schedules/${encodeURIComponent(id)}`));
