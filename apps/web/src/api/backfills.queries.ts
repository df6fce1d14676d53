import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { backfillListSchema, backfillSchema, retryBackfillResponseSchema, type StartBackfillRequest } from "@sluice/model";
import { api } from "./client.ts";
import { runKeys } from "./runs.queries.ts";

// Under "runs", so starting, cancelling or retrying any run refreshes the groups with the lists.
const key = (pipelineId: string | undefined) => [...runKeys.all, "backfills", pipelineId ?? "all"] as const;

/** The newest backfills (of one pipeline when given); polls every two seconds while a slot is queued or running. */
export const useBackfills = (pipelineId: string | undefined) =>
  useQuery({
    queryKey: key(pipelineId),
    queryFn: () => api("GET", `/backfills${pipelineId ? `?pipelineId=${encodeURIComponent(pipelineId)}` : ""}`, backfillListSchema),
    refetchInterval: (q) => (q.state.data?.backfills.some((b) => b.counts.queued + b.counts.running > 0) ? 2000 : 15_000),
  });

export function useStartBackfill(pipelineId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: StartBackfillRequest) => api("POST", `/pipelines/${encodeURIComponent(pipelineId)}/backfills`, backfillSchema, { body }),
    onSettled: () => qc.invalidateQueries({ queryKey: runKeys.all }),
  });
}

export function useRetryFailedSlots() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api("POST", `/backfills/${encodeURIComponent(id)}/retry-failed`, retryBackfillResponseSchema),
    onSettled: () => qc.invalidateQueries({ queryKey: runKeys.all }),
  });
}
