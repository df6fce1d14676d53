import { useSearchParams } from "react-router-dom";
import { runStatusSchema, type RunStatus } from "@sluice/model";
import { usePipelines } from "../api/pipelines.queries.ts";
import { useRuns } from "../api/runs.queries.ts";
import { Button } from "../components/button.tsx";
import { EmptyState } from "../components/empty-state.tsx";
import { ErrorBanner } from "../components/error-banner.tsx";
import { Spinner } from "../components/spinner.tsx";
import { QualityTrend } from "../runs/quality-trend.tsx";
import { RunHistorySection } from "../runs/run-history.tsx";
import { BackfillGroups } from "../runs/backfill-groups.tsx";
import { RunsTable } from "../runs/runs-table.tsx";
import { offsetParam, pageRange } from "../lib/page-range.ts";
import { formatCount } from "../lib/format-duration.ts";

const PAGE = 50;
const selectClass = "rounded-md border border-slate-300 bg-white px-2 py-1 text-sm focus:ring-2 focus:ring-cyan-600/30 focus:outline-none";

/** Every run, newest first, filtered by pipeline and status (kept in the URL, so a filtered view can be shared). */
export function RunsPage() {
  const [params, setParams] = useSearchParams();
  const pipelineId = params.get("pipeline") ?? undefined;
  const parsedStatus = runStatusSchema.safeParse(params.get("status"));
  const status: RunStatus | undefined = parsedStatus.success ? parsedStatus.data : undefined;
  const offset = offsetParam(params.get("offset"));
  const runs = useRuns({ pipelineId, status, limit: PAGE, offset });
  const pipelines = usePipelines();
  const set = (key: string, value: string | undefined) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    if (key !== "offset") next.delete("offset");
    setParams(next);
  };
  const total = runs.data?.total ?? 0;
  return (
    <div className="max-w-6xl">
      <h1 className="mb-4 text-2xl font-semibold">Runs</h1>
      <QualityTrend />
      <RunHistorySection pipelineId={pipelineId} />
      <BackfillGroups pipelineId={pipelineId} />
      <div className="mb-4 flex flex-wrap items-center gap-3">
        <label className="flex items-center gap-2 text-sm text-slate-700">
          Pipeline
          <select className={selectClass} value={pipelineId ?? ""} onChange={(e) => set("pipeline", e.target.value || undefined)}>
            <option value="">All pipelines</option>
            {pipelines.data?.pipelines.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
        </label>
        <label className="flex items-center gap-2 text-sm text-slate-700">
          Status
          <select className={selectClass} value={status ?? ""} onChange={(e) => set("status", e.target.value || undefined)}>
            <option value="">Any status</option>
            {runStatusSchema.options.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
        {runs.isFetching && !runs.isPending && <span className="text-xs text-slate-500">refreshing…</span>}
      </div>
      {runs.isPending ? (
        <Spinner label="Loading runs" />
      ) : runs.error ? (
        <ErrorBanner error={runs.error} action={<Button onClick={() => void runs.refetch()}>Try again</Button>} />
      ) : runs.data.runs.length === 0 && offset > 0 && total > 0 ? (
        <EmptyState title={`No runs on this page: ${formatCount(total)} in all`}>
          <Button onClick={() => set("offset", undefined)}>First page</Button>
        </EmptyState>
      ) : runs.data.runs.length === 0 ? (
        <EmptyState title={pipelineId || status ? "No runs match these filters" : "No runs yet"}>
          {pipelineId || status ? "Clear a filter to see more." : "Open a pipeline and press Run; its runs appear here."}
        </EmptyState>
      ) : (
        <>
          <RunsTable runs={runs.data.runs} />
          <div className="mt-3 flex items-center justify-between text-sm text-slate-600">
            <span>
              {pageRange(offset, runs.data.runs.length, total)}
            </span>
            <span className="flex gap-2">
              <Button disabled={offset === 0} onClick={() => set("offset", String(Math.max(0, offset - PAGE)))}>
                Newer
              </Button>
              <Button disabled={offset + PAGE >= total} onClick={() => set("offset", String(offset + PAGE))}>
                Older
              </Button>
            </span>
          </div>
        </>
      )}
    </div>
  );
}
