import { Bar, CartesianGrid, Cell, ComposedChart, Legend, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { RunHistory } from "@sluice/model";
import { formatDateTime } from "../lib/format-time.ts";
import { formatCompact, formatCount, formatDuration } from "../lib/format-duration.ts";
import { describeHistory, historyPoints, type HistoryPoint } from "./run-history-points.ts";

const FAILED = "#dc2626";

/**
 * One pipeline's recent runs: rows written as bars, duration as a line, oldest on the left. A failed run is a red
 * bar and a red cross on the line, and the table under the chart says the same in words for screen readers.
 */
export function RunHistoryChart({ pipeline }: { pipeline: RunHistory["pipelines"][number] }) {
  const points = historyPoints(pipeline.runs);
  const summary = describeHistory(pipeline.pipelineName, points);
  return (
    <figure className="rounded-lg border border-slate-200 bg-white p-3" data-testid="run-history-chart" aria-label={summary}>
      <figcaption className="mb-1 truncate text-sm font-medium">{pipeline.pipelineName}</figcaption>
      <div className="h-44" aria-hidden="true">
        <ResponsiveContainer width="100%" height="100%">
          {/* Not focusable: the table below is the chart for keyboards and screen readers (aria-hidden content must not take focus). */}
          <ComposedChart data={points} margin={{ top: 4, right: 4, bottom: 0, left: 0 }} accessibilityLayer={false}>
            <CartesianGrid stroke="#e2e8f0" vertical={false} />
            <XAxis dataKey="label" tick={{ fontSize: 10, fill: "#475569" }} interval="preserveStartEnd" />
            <YAxis yAxisId="rows" tick={{ fontSize: 10, fill: "#475569" }} width={44} tickFormatter={formatCompact} label={{ value: "rows", angle: -90, position: "insideLeft", fontSize: 10, fill: "#475569" }} />
            <YAxis yAxisId="seconds" orientation="right" tick={{ fontSize: 10, fill: "#475569" }} width={40} tickFormatter={formatCompact} label={{ value: "s", angle: -90, position: "insideRight", fontSize: 10, fill: "#475569" }} />
            <Tooltip content={<PointTooltip />} />
            <Legend wrapperStyle={{ fontSize: 11 }} />
            {/* A few runs (or one) would otherwise be bars as wide as the chart. */}
            <Bar yAxisId="rows" dataKey="rows" name="Rows written" fill="#0891b2" maxBarSize={32} isAnimationActive={false}>
              {points.map((p) => (
                <Cell key={p.runId} fill={p.failed ? FAILED : "#0891b2"} />
              ))}
            </Bar>
            <Line yAxisId="seconds" dataKey="seconds" name="Duration (s)" stroke="#334155" isAnimationActive={false} dot={<FailureDot />} />
          </ComposedChart>
        </ResponsiveContainer>
      </div>
      <details className="mt-1 text-xs text-slate-600">
        <summary className="cursor-pointer">Runs as a table</summary>
        <table className="mt-1 w-full text-left">
          <caption className="sr-only">Recent runs of {pipeline.pipelineName}, oldest first</caption>
          <thead>
            <tr>
              <th scope="col">Started</th>
              <th scope="col">Status</th>
              <th scope="col">Duration</th>
              <th scope="col">Rows written</th>
            </tr>
          </thead>
          <tbody>
            {points.map((p) => (
              <tr key={p.runId} data-status={p.status}>
                <td>{formatDateTime(p.startedAt)}</td>
                <td>{p.status}</td>
                <td>{formatDuration(p.durationMs)}</td>
                <td>{formatCount(p.rowsWritten)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}

/** The line's point: a red cross for a failed run (recharts passes the point's position and data). */
function FailureDot(props: { cx?: number; cy?: number; payload?: HistoryPoint }) {
  const { cx, cy, payload } = props;
  if (cx === undefined || cy === undefined || !payload) return null;
  if (!payload.failed) return <circle cx={cx} cy={cy} r={2.5} fill="#334155" />;
  return (
    <g data-testid="run-history-failure" stroke={FAILED} strokeWidth={2.5}>
      <line x1={cx - 4} y1={cy - 4} x2={cx + 4} y2={cy + 4} />
      <line x1={cx - 4} y1={cy + 4} x2={cx + 4} y2={cy - 4} />
    </g>
  );
}

function PointTooltip(props: { active?: boolean; payload?: readonly { payload?: HistoryPoint }[] }) {
  const p = props.active ? props.payload?.[0]?.payload : undefined;
  if (!p) return null;
  return (
    <div className="rounded border border-slate-200 bg-white px-2 py-1 text-xs shadow">
      <div>{formatDateTime(p.startedAt)}</div>
      <div className={p.failed ? "font-medium text-red-700" : ""}>{p.status}</div>
      <div>{formatDuration(p.durationMs)}, {formatCount(p.rowsWritten)} rows written</div>
    </div>
  );
}
