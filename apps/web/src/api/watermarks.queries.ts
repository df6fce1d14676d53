import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { runWatermarksSchema } from "@sluice/model";
import { api, apiNoContent } from "./client.ts";

/** Under "runs": starting or retrying a run refreshes them with the run lists. */
const key = (runId: string) => ["runs", runId, "watermarks"] as const;

/** What each incremental source of a run read, and the pipeline's watermarks now; polled while the run is on. */
export const useRunWatermarks = (runId: string, active: boolean) =>
  useQuery({
    queryKey: key(runId),
    queryFn: () => api("GET", `/runs/${encodeURIComponent(runId)}/watermarks`, runWatermarksSchema),
    refetchInterval: active ? 2000 : false,
  });

/** Forgets where a source has read up to: its next run reads every row again. */
export function useResetWatermark(runId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ pipelineId, nodeId }: { pipelineId: string; nodeId: string }) =>
      apiNoContent("DELETE", `/pipelines/${encodeURIComponent(pipelineId)}/watermarks/${encodeURIComponent(nodeId)}`),
    onSettled: () => qc.invalidateQueries({ queryKey: key(runId) }),
  });
}
