import { describe, expect, it } from "vitest";
import { relationName, type CompiledNodeStep } from "@sluice/pipeline";
import { nonDrivingSources, rowCapOf, stepKeys, type SamplingPolicy } from "./preview-keys.ts";
import { loadStep, queryStep, rangeSql } from "./testing/engine-fixtures.ts";

const join = (id: string, left: string, right: string): CompiledNodeStep => ({
  ...queryStep(id, () => "SELECT 1"),
  inputRelations: { left: [relationName(left, "out")], right: [relationName(right, "out")] },
});
const policy = (o: Partial<SamplingPolicy> = {}): SamplingPolicy => ({ sourceRows: undefined, loadRows: 100, nonDrivingLoadRows: 1000, nonDriving: new Set(), ...o });

describe("preview keys", () => {
  const a = queryStep("a", () => rangeSql(5));
  const b = queryStep("b", ([x]) => `SELECT * FROM ${x}`, { inputs: ["a"] });
  const c = queryStep("c", ([x]) => `SELECT * FROM ${x} WHERE i > 1`, { inputs: ["b"] });

  it("change for an edited node and everything downstream of it, and nothing upstream", () => {
    const before = stepKeys({ steps: [a, b, c] }, new Map(), policy());
    expect(stepKeys({ steps: [a, b, c] }, new Map(), policy())).toEqual(before);
    const b2 = queryStep("b", ([x]) => `SELECT i * 2 AS i, "__sluice_row" FROM ${x}`, { inputs: ["a"] });
    const after = stepKeys({ steps: [a, b2, c] }, new Map(), policy());
    expect([after.get("a") === before.get("a"), after.get("b") === before.get("b"), after.get("c") === before.get("c")]).toEqual([true, false, false]);
    const stamped = stepKeys({ steps: [a, b, c] }, new Map([["a", "f1:10:123"]]), policy());
    expect(stamped.get("a")).not.toBe(before.get("a"));
    const sampled = stepKeys({ steps: [a, b, c] }, new Map(), policy({ sourceRows: 10 }));
    expect(sampled.get("c")).not.toBe(before.get("c"));
  });

  it("never cut the sources behind a join's other side", () => {
    const steps = [queryStep("l", () => rangeSql(5)), queryStep("r", () => rangeSql(5)), queryStep("r2", ([x]) => `SELECT * FROM ${x}`, { inputs: ["r"] }), join("j", "l", "r2")];
    const nonDriving = nonDrivingSources({ steps });
    expect([...nonDriving]).toEqual(["r"]);
    const p = policy({ sourceRows: 10, nonDriving });
    expect(steps.map((s) => rowCapOf(s, p) ?? null)).toEqual([10, null, null, null]);
    expect(rowCapOf(loadStep("r", []), p)).toBe(1000);
    expect(rowCapOf(loadStep("x", []), p)).toBe(100);
  });
});
