import { Link } from "react-router-dom";
import type { QualityTrend as Trend } from "@sluice/model";
import { useQualityTrend } from "../api/runs.queries.ts";
import { ErrorBanner } from "../components/error-banner.tsx";
import { PageSection } from "../components/data-table.tsx";
import { formatDateTime } from "../lib/format-time.ts";
import { describeTrendRun } from "./check-status.ts";

const RUNS = 10;
const square = { passed: "bg-emerald-500", warned: "bg-amber-400", failed: "bg-red-600" } as const;

/** The dashboard's quality trend: per pipeline, its last runs with checks as squares, oldest on the left. */
export function QualityTrend() {
  const trend = useQualityTrend(RUNS);
  // Stay out of the way while loading; the runs table below is what the page is for.
  if (trend.isPending) return null;
  return (
    <div className="mb-6">
      <PageSection title="Data quality">
        {trend.error ? (
          <ErrorBanner error={trend.error} />
        ) : trend.data.pipelines.length === 0 ? (
          <p className="text-sm text-slate-500">No run has checked data quality yet: add a "Check data quality" node to a pipeline to see its trend here.</p>
        ) : (
          <ul className="divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white text-sm">
            {trend.data.pipelines.map((p) => (
              <TrendRow key={p.pipelineId} pipeline={p} />
            ))}
          </ul>
        )}
      </PageSection>
    </div>
  );
}

function TrendRow({ pipeline: p }: { pipeline: Trend["pipelines"][number] }) {
  const latest = p.runs[0];
  // The API gives newest first; a trend reads left to right in time.
  const runs = [...p.runs].reverse();
  return (
    <li className="flex items-center gap-3 px-3 py-2" data-testid="quality-trend-row">
      <Link to={`/pipelines/${p.pipelineId}`} className="w-56 truncate hover:underline">
        {p.pipelineName}
      </Link>
      <span className="flex gap-1" role="list" aria-label={`Recent quality outcomes of ${p.pipelineName}, oldest first`}>
        {runs.map((r) => {
          const text = describeTrendRun(r, formatDateTime);
          return (
            <span role="listitem" key={r.runId}>
              <Link
                to={`/runs/${r.runId}`}
                title={text}
                aria-label={text}
                data-outcome={r.outcome}
                className={`block h-4 w-4 rounded-sm ${square[r.outcome]} hover:ring-2 hover:ring-slate-400 focus:ring-2 focus:ring-cyan-600 focus:outline-none`}
              />
            </span>
          );
        })}
      </span>
      {latest && (
        <span className="text-xs text-slate-500">
          latest: {latest.outcome}
          {latest.failedRules > 0 ? ` (${latest.failedRules} of ${latest.rules} rules failed)` : ""}
        </span>
      )}
    </li>
  );
}
