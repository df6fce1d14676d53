import { describe, expect, it } from "vitest";
import type { ExecutionPlan, PlannedStep } from "./execution-plan.ts";
import { planReuse } from "./stored-outputs.ts";

/** A plan of steps by id, each reading the outputs ("<id>.out") of the ids it names. */
function plan(steps: [string, string[]][]): ExecutionPlan {
  return {
    steps: steps.map(([id, inputs], index) => ({
      index,
      step: { nodeId: id, label: id, relations: { out: `${id}.out` }, inputRelations: { in: inputs.map((i) => `${i}.out`) } },
    })) as unknown as PlannedStep[],
    finishedBy: new Map(),
  };
}

// a, b: sources; v: a view over a (never stored); j joins v and b; s1 sinks j, s2 sinks b.
const p = plan([["a", []], ["b", []], ["v", ["a"]], ["j", ["v", "b"]], ["s1", ["j"]], ["s2", ["b"]]]);
const storedAll = (rel: string) => rel !== "v.out";

describe("planReuse", () => {
  it("runs again what did not succeed and all downstream; reads back stored inputs and recomputes a view from its own", () => {
    const r = planReuse(p, new Set(["a", "b", "v", "s2"]), storedAll);
    // v was streamed (no file): it runs again from a's stored rows; a committed sink off the failed path is reused.
    expect([...r.reused].sort()).toEqual(["a", "b", "s2"]);
    expect([...r.load].sort()).toEqual(["a.out", "b.out"]);
  });
  it("reuses nothing that is missing: a source whose file is gone is read again", () => {
    const r = planReuse(p, new Set(["a", "b", "v"]), (rel) => rel === "b.out");
    expect([...r.reused].sort()).toEqual(["b"]);
    expect([...r.load]).toEqual(["b.out"]);
  });
});
