import { describe, expect, it } from "vitest";
import { describeHistory, historyPoints } from "./run-history-points.ts";

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
});
