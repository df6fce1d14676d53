import type { RunHistory } from "@sluice/model";
import { formatCount } from "../lib/format-duration.ts";

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
const withSeconds = new Intl.DateTimeFormat(undefined, { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", second: "2-digit" });

const duplicated = (labels: string[]) => {
  const seen = new Map<string, number>();
  for (const l of labels) seen.set(l, (seen.get(l) ?? 0) + 1);
  return (l: string) => (seen.get(l) ?? 0) > 1;
};

/**
 * Each run's x axis label, all distinct (the axis is by category, and equal labels read as one run): the start to
 * the minute, to the second for runs sharing a minute, and a "#n" after runs sharing even the second.
 */
export function historyLabels(startedAt: string[]): string[] {
  const minutes = startedAt.map((s) => short.format(new Date(s)));
  const sharedMinute = duplicated(minutes);
  const labels = startedAt.map((s, i) => (sharedMinute(minutes[i]!) ? withSeconds.format(new Date(s)) : minutes[i]!));
  const sharedSecond = duplicated(labels);
  const count = new Map<string, number>();
  return labels.map((l) => {
    if (!sharedSecond(l)) return l;
    const n = (count.get(l) ?? 0) + 1;
    count.set(l, n);
    return `${l} #${n}`;
  });
}

/** The chart's points, in the API's order (oldest first). */
export function historyPoints(runs: Run[]): HistoryPoint[] {
  const labels = historyLabels(runs.map((r) => r.startedAt));
  return runs.map((r, i) => ({
    ...r,
    label: labels[i]!,
    rows: r.rowsWritten ?? 0,
    seconds: r.durationMs === null ? null : Math.round(r.durationMs / 100) / 10,
    failed: r.status === "failed",
  }));
}

/** The chart in one sentence, for its accessible name. */
export function describeHistory(pipelineName: string, points: HistoryPoint[]): string {
  const failed = points.filter((p) => p.failed).length;
  const total = points.reduce((n, p) => n + p.rows, 0);
  return `Run history of ${pipelineName}: ${points.length} recent run${points.length === 1 ? "" : "s"}, ${failed} failed, ${formatCount(total)} rows written in all`;
}
