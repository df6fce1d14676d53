import { Link } from "react-router-dom";
import type { RunSummary } from "@sluice/model";
import { DataTable } from "../components/data-table.tsx";
import { RunStatusBadge } from "../components/run-status-badge.tsx";
import { formatDateTime } from "../lib/format-time.ts";
import { formatCount, formatDuration } from "../lib/format-duration.ts";

/** Runs as the dashboard and the home page list them. */
export function RunsTable({ runs, showPipeline = true }: { runs: RunSummary[]; showPipeline?: boolean }) {
  return (
    <DataTable
      columns={[
        { label: "Run" },
        ...(showPipeline ? [{ label: "Pipeline" }] : []),
        { label: "Version" },
        { label: "Status" },
        { label: "Trigger" },
        { label: "Started" },
        { label: "Duration", numeric: true },
        { label: "Rows written", numeric: true },
      ]}
    >
          {runs.map((r) => (
            <tr key={r.id} data-testid="run-row" className="hover:bg-slate-50">
              <td className="px-3 py-2">
                <Link to={`/runs/${r.id}`} className="font-mono text-xs text-cyan-800 hover:underline" aria-label={`Run ${r.id.slice(0, 8)} of ${r.pipelineName}`}>
                  {r.id.slice(0, 8)}
                </Link>
              </td>
              {showPipeline && (
                <td className="max-w-64 truncate px-3 py-2">
                  <Link to={`/pipelines/${r.pipelineId}`} className="hover:underline">
                    {r.pipelineName}
                  </Link>
                </td>
              )}
              <td className="px-3 py-2">v{r.versionNumber}</td>
              <td className="px-3 py-2">
                <RunStatusBadge status={r.status} />
                {r.cancelRequested && r.status === "running" && <span className="ml-1 text-xs text-slate-500">cancelling…</span>}
              </td>
              <td className="px-3 py-2 text-slate-600">{r.backfill ? `${r.trigger} ${r.backfill.slot}` : r.trigger}</td>
              <td className="px-3 py-2 text-slate-600">{formatDateTime(r.startedAt ?? r.createdAt)}</td>
              <td className="px-3 py-2 text-right tabular-nums">{formatDuration(r.durationMs)}</td>
              <td className="px-3 py-2 text-right tabular-nums" data-testid="rows-written">
                {formatCount(r.rowsWritten)}
              </td>
            </tr>
          ))}
    </DataTable>
  );
}
