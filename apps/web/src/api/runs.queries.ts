import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { qualityTrendSchema, runHistorySchema, runDetailSchema, runListSchema, sinkRowsSchema, startRunResponseSchema, type RunStatus, type StartRunRequest } from "@sluice/model";
import { api } from "./client.ts";

export interface RunFilter {
  pipelineId?: string | undefined;
  status?: RunStatus | undefined;
  /** Only runs that finished at or after this instant (ISO 8601). */
  finishedAfter?: string | undefined;
  limit?: number;
  offset?: number;
}

export const runKeys = {
  all: ["runs"] as const,
  list: (f: RunFilter) => ["runs", "list", f] as const,
  one: (id: string) => ["runs", id] as const,
  sinkRows: (id: string, nodeId: string) => ["runs", id, "sinks", nodeId] as const,
  // Under "runs" so that starting, cancelling or retrying a run refreshes the trend with the lists.
  qualityTrend: (perPipeline: number) => ["runs", "quality-trend", perPipeline] as const,
  history: (perPipeline: number, pipelineId: string | undefined) => ["runs", "history", perPipeline, pipelineId ?? null] as const,
};

const active = (s: RunStatus) => s === "queued" || s === "running";

const query = (f: RunFilter) => {
  const q = new URLSearchParams();
  if (f.pipelineId) q.set("pipelineId", f.pipelineId);
  if (f.status) q.set("status", f.status);
  if (f.finishedAfter) q.set("finishedAfter", f.finishedAfter);
  q.set("limit", String(f.limit ?? 50));
  q.set("offset", String(f.offset ?? 0));
  return q.toString();
};

/** Runs, newest first; polls every two seconds while any listed run is queued or running. */
export const useRuns = (f: RunFilter) =>
  useQuery({
    queryKey: runKeys.list(f),
    queryFn: () => api("GET", `/runs?${query(f)}`, runListSchema),
    refetchInterval: (q) => (q.state.data?.runs.some((r) => active(r.status)) ? 2000 : 15_000),
    // A window that moves with the clock (finishedAfter) asks again as it moves: keep the last answer meanwhile.
    ...(f.finishedAfter ? { placeholderData: keepPreviousData } : {}),
  });

export const useRun = (id: string) =>
  useQuery({
    queryKey: runKeys.one(id),
    queryFn: () => api("GET", `/runs/${encodeURIComponent(id)}`, runDetailSchema),
    refetchInterval: (q) => (q.state.data && active(q.state.data.status) ? 1500 : false),
  });

/** The first rows a sink of a finished run wrote, read back from its target once (a refresh reads it again). */
export const useSinkRows = (runId: string, nodeId: string, limit = 20) =>
  useQuery({
    queryKey: runKeys.sinkRows(runId, nodeId),
    queryFn: () => api("GET", `/runs/${encodeURIComponent(runId)}/sinks/${encodeURIComponent(nodeId)}/rows?limit=${limit}`, sinkRowsSchema),
    staleTime: Infinity,
  });

/** Each pipeline's last `perPipeline` runs that evaluated quality rules, newest first. */
export const useQualityTrend = (perPipeline = 10) =>
  useQuery({
    queryKey: runKeys.qualityTrend(perPipeline),
    queryFn: () => api("GET", `/quality/trend?runs=${perPipeline}`, qualityTrendSchema),
    refetchInterval: 15_000,
  });

/** Each pipeline's last `perPipeline` started runs, oldest first (one pipeline when `pipelineId` is given). */
export const useRunHistory = (perPipeline: number, pipelineId?: string) =>
  useQuery({
    queryKey: runKeys.history(perPipeline, pipelineId),
    queryFn: () => api("GET", `/run-history?runs=${perPipeline}${pipelineId ? `&pipelineId=${encodeURIComponent(pipelineId)}` : ""}`, runHistorySchema),
    refetchInterval: 15_000,
  });

function useRunMutation<A, R>(fn: (a: A) => Promise<R>) {
  const qc = useQueryClient();
  return useMutation({ mutationFn: fn, onSettled: () => qc.invalidateQueries({ queryKey: runKeys.all }) });
}

export const useStartRun = () =>
  useRunMutation(({ pipelineId, body }: { pipelineId: string; body?: StartRunRequest }) =>
    api("POST", `/pipelines/${encodeURIComponent(pipelineId)}/runs`, startRunResponseSchema, { body: body ?? {} }),
  );

export const useCancelRun = () => useRunMutation((id: string) => api("POST", `/runs/${encodeURIComponent(id)}/cancel`, runDetailSchema.partial(), { body: {} }));

export const useRetryRun = () => useRunMutation((id: string) => api("POST", `/runs/${encodeURIComponent(id)}/retry`, startRunResponseSchema, { body: {} }));
/** Resumes a failed run (docs/resume.md): on its own version, or on the pipeline's current one. */
export const useResumeRun = () =>
  useRunMutation(({ id, version }: { id: string; version: "same" | "current" }) =>
    api("POST", `/runs/${encodeURIComponent(id)}/resume`, startRunResponseSchema, { body: { version } }),
  );
