import type { RunHistory } from "@sluice/model";

type Run = RunHistory["pipelines"][number]["runs"][number];

export interface HistoryPoint extends Run {
  /** The x axis label: the run's start, short. */
  label: string;
  /** Rows written, 0 when none were counted (a bar of nothing rather than a gap). */
  rows: number;
  /** Duration in seconds, null while running (a gap in the line). */
  seconds: number | null;
  failed: boolean;
}

const short = new Intl.DateTimeFormat(undefined, { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" });

/** The chart's points, in the API's order (oldest first). */
export function historyPoints(runs: Run[]): HistoryPoint[] {
  return runs.map((r) => ({
    ...r,
    label: short.format(new Date(r.startedAt)),
    rows: r.rowsWritten ?? 0,
    seconds: r.durationMs === null ? null : Math.round(r.durationMs / 100) / 10,
    failed: r.status === "failed",
  }));
}

/** The chart in one sentence, for its accessible name. */
export function describeHistory(pipelineName: string, points: HistoryPoint[]): string {
  const failed = points.filter((p) => p.failed).length;
  const total = points.reduce((n, p) => n + p.rows, 0);
  return `Run history of ${pipelineName}: ${points.length} recent run${points.length === 1 ? "" : "s"}, ${failed} failed, ${total.toLocaleString()} rows written in all`;
}
