import { describe, expect, it } from "vitest";
import type { CheckResult } from "@sluice/model";
import { describeTrendRun, groupByNode, ruleStatus } from "./check-status.ts";

const result = (nodeId: string, ruleIndex: number, over: Partial<CheckResult> = {}): CheckResult => ({
  nodeId,
  ruleIndex,
  rule: `rule ${ruleIndex}`,
  kind: "not_null",
  severity: "fail",
  passed: true,
  failingRows: 0,
  rowsChecked: 3,
  message: "all 3 rows pass",
  samples: [],
  ...over,
});

describe("rule results for people", () => {
  it("a failed rule is a warning or a failure by its severity", () => {
    expect(ruleStatus({ passed: true, severity: "fail" })).toBe("passed");
    expect(ruleStatus({ passed: false, severity: "warn" })).toBe("warning");
    expect(ruleStatus({ passed: false, severity: "fail" })).toBe("failed");
  });

  it("groups by node in order of appearance, rules by their index", () => {
    const groups = groupByNode([result("b", 1), result("a", 0), result("b", 0)]);
    expect(groups.map((g) => [g.nodeId, g.rules.map((r) => r.ruleIndex)])).toEqual([
      ["b", [0, 1]],
      ["a", [0]],
    ]);
  });

  it("describes a trend square with its outcome, counts and date", () => {
    const date = () => "1 May";
    expect(describeTrendRun({ runId: "r", createdAt: "", outcome: "failed", rules: 3, failedRules: 1 }, date)).toBe("failed: 1 of 3 rules failed, 1 May");
    expect(describeTrendRun({ runId: "r", createdAt: "", outcome: "passed", rules: 1, failedRules: 0 }, date)).toBe("passed: all 1 rule, 1 May");
  });
});
