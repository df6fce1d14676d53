import { describe, expect, it } from "vitest";
import { describeHistory, historyLabels, historyPoints } from "./run-history-points.ts";

const run = (o: Partial<Parameters<typeof historyPoints>[0][number]>) => ({
  runId: "r",
  status: "succeeded" as const,
  startedAt: "2026-12-06T10:00:00.000Z",
  durationMs: 1250,
  rowsWritten: 10,
  ...o,
});

describe("historyPoints", () => {
  it("keeps the API's order, marks failures, counts no rows as 0 and a running run's duration as a gap", () => {
    const points = historyPoints([run({ runId: "a" }), run({ runId: "b", status: "failed", rowsWritten: null }), run({ runId: "c", status: "running", durationMs: null })]);
    expect(points.map((p) => [p.runId, p.failed, p.rows, p.seconds])).toEqual([
      ["a", false, 10, 1.3],
      ["b", true, 0, 1.3],
      ["c", false, 10, null],
    ]);
  });

  it("sums the chart up in one sentence", () => {
    const points = historyPoints([run({ rowsWritten: 1500 }), run({ status: "failed", rowsWritten: null })]);
    expect(describeHistory("Orders", points)).toBe(`Run history of Orders: 2 recent runs, 1 failed, ${(1500).toLocaleString()} rows written in all`);
    expect(describeHistory("One", historyPoints([run({})]))).toBe("Run history of One: 1 recent run, 0 failed, 10 rows written in all");
  });

  it("gives runs distinct x axis labels: to the minute, to the second when runs share a minute, numbered when they share the second", () => {
    const labels = historyLabels(["2026-12-07T00:08:05.000Z", "2026-12-07T00:08:40.000Z", "2026-12-07T00:08:40.500Z", "2026-12-07T00:15:00.000Z"]);
    expect(new Set(labels).size).toBe(4);
    expect(labels[0]).not.toBe(labels[1]);
    expect(labels[1]).toMatch(/ #1$/);
    expect(labels[2]).toMatch(/ #2$/);
    // A run alone in its minute keeps the short label.
    expect(labels[3]).toBe(historyLabels(["2026-12-07T00:15:00.000Z"])[0]);
    expect(labels[0]!.length).toBeGreaterThan(labels[3]!.length);
    expect(historyPoints([run({ runId: "a" }), run({ runId: "b", startedAt: "2026-12-06T10:00:30.000Z" })]).map((p) => p.label)).toHaveLength(2);
  });
});
