import { describe, expect, it } from "vitest";
import { MAX_VIEW_DEPTH, planExecution } from "./execution-plan.ts";
import { queryStep, rangeSql, sinkStep } from "./testing/engine-fixtures.ts";

const src = queryStep("src", () => rangeSql(3));
const step = (id: string, ...inputs: string[]) => queryStep(id, (rels) => `SELECT * FROM ${rels.join(", ")}`, { inputs });
const sink = (id: string, input: string) => sinkStep(id, input, [{ name: "i", type: "bigint" }]);

describe("planExecution", () => {
  it("streams a step into its only query reader, and keeps sources and sink inputs as tables", () => {
    const plan = planExecution({ steps: [src, step("a", "src"), step("b", "a"), sink("out", "b")] }, "auto");
    expect(plan.steps.map((p) => [p.step.nodeId, p.storage.out ?? "-", p.fused])).toEqual([
      ["src", "table", false],
      ["a", "view", true],
      ["b", "table", false],
      ["out", "-", false],
    ]);
    expect(plan.finishedBy.get(1)).toBe(2);
    // "src" is really read when "b" computes the view "a"; "a" and "src" go then, "b" after the sink.
    expect(plan.steps.map((p) => p.dropAfter)).toEqual([[], [], ['"s_src_out"', '"s_a_out"'], ['"s_b_out"']]);
  });

  it("stores a conversion that counts the values it nulled instead of streaming it, and says it was stored only to count", () => {
    const base = step("conv", "src");
    const conv = { ...base, step: { ...(base.step as Extract<typeof base.step, { kind: "query" }>), becameNull: { counts: "SELECT 0", port: "out", input: '"s_src_out"', columns: [] } } };
    const plan = planExecution({ steps: [src, conv, step("b", "conv"), sink("out", "b")] }, "auto");
    expect(plan.steps.map((p) => p.storage.out ?? "-")).toEqual(["table", "table", "table", "-"]);
    expect(plan.steps.map((p) => p.storedToCount)).toEqual([[], ['"s_conv_out"'], [], []]);
    // A reader of several steps would store it anyway: then it is a node output like any other.
    const shared = planExecution({ steps: [src, conv, step("b", "conv"), step("c", "conv"), sink("o1", "b"), sink("o2", "c")] }, "auto");
    expect(shared.steps[1]?.storedToCount).toEqual([]);
  });

  it("stores the views a step reads when, with them, its statement would nest more than MAX_VIEW_DEPTH SELECTs", () => {
    // Each step nests `n` SELECTs of its own over its input.
    const deep = (id: string, input: string, n: number) => queryStep(id, (rels) => "SELECT * FROM (".repeat(n - 1) + `SELECT * FROM ${rels[0]}` + ") AS x".repeat(n - 1), { inputs: [input] });
    const per = Math.floor(MAX_VIEW_DEPTH / 2) + 1;
    const plan = planExecution({ steps: [src, deep("a", "src", per), deep("b", "a", per), deep("c", "b", per), deep("d", "c", per), sink("out", "d")] }, "auto");
    // a and b together nest past the bound, so a is stored and b streams; c would again, so b is stored; and so on.
    expect(plan.steps.map((p) => p.storage.out ?? "-")).toEqual(["table", "table", "table", "table", "table", "-"]);
    const shallow = planExecution({ steps: [src, deep("a", "src", 10), deep("b", "a", 10), deep("c", "b", 10), sink("out", "c")] }, "auto");
    expect(shallow.steps.map((p) => p.storage.out ?? "-")).toEqual(["table", "view", "view", "table", "-"]);
  });

  it("stores a step that may change the row count, so every node reports exact rows", () => {
    const filter = queryStep("f", (rels) => `SELECT * FROM ${rels[0]} WHERE i > 0`, { inputs: ["src"], keepsRowCount: false });
    const plan = planExecution({ steps: [src, filter, step("b", "f"), sink("out", "b")] }, "auto");
    expect(plan.steps.map((p) => p.storage.out ?? "-")).toEqual(["table", "table", "table", "-"]);
  });

  it("stores a step read by several steps once, as a table", () => {
    const plan = planExecution({ steps: [src, step("a", "src"), step("b", "a"), step("c", "a"), sink("o1", "b"), sink("o2", "c")] }, "auto");
    expect(plan.steps.map((p) => p.storage.out ?? "-")).toEqual(["table", "table", "table", "table", "-", "-"]);
    expect(plan.steps[3]?.dropAfter).toEqual(['"s_a_out"']);
  });

  it("follows a chain of views to where it is finally computed", () => {
    const plan = planExecution({ steps: [src, step("a", "src"), step("b", "a"), step("c", "b"), sink("out", "c")] }, "auto");
    expect(plan.steps.map((p) => p.fused)).toEqual([false, true, true, false, false]);
    expect([plan.finishedBy.get(1), plan.finishedBy.get(2)]).toEqual([3, 3]);
    expect(plan.steps[3]?.dropAfter).toEqual(['"s_src_out"', '"s_a_out"', '"s_b_out"']);
  });

  it("keeps every step a table under the tables policy, and drops what nothing reads right away", () => {
    const plan = planExecution({ steps: [src, step("a", "src"), step("b", "a"), step("lonely", "src")] }, "tables");
    expect(plan.steps.every((p) => p.storage.out === "table" && !p.fused)).toBe(true);
    expect(plan.steps.map((p) => p.dropAfter)).toEqual([[], [], ['"s_a_out"', '"s_b_out"'], ['"s_src_out"', '"s_lonely_out"']]);
  });

  it("lets a per-row projection over stored rows be computed by each of its readers, sinks included", () => {
    const month = queryStep("m", (rels) => `SELECT *, i * 2 AS j FROM ${rels[0]}`, { inputs: ["src"], recompute: "projection" });
    const plan = planExecution({ steps: [src, month, step("g", "m"), sink("o1", "m"), sink("o2", "m")] }, "auto");
    expect(plan.steps.map((p) => p.storage.out ?? "-")).toEqual(["table", "view", "table", "-", "-"]);
    // Finished where it is last computed; its input is kept until then.
    expect(plan.finishedBy.get(1)).toBe(4);
    expect(plan.steps[4]?.dropAfter).toEqual(['"s_src_out"', '"s_m_out"']);
    expect(plan.steps.map((p) => p.cheapInput)).toEqual([false, false, false, true, true]);
  });

  it("counts a row filter over stored rows with a quick pass instead of storing it, but not over a view", () => {
    const filter = (id: string, input: string) => queryStep(id, (rels) => `SELECT * FROM ${rels[0]} WHERE i > 0`, { inputs: [input], keepsRowCount: false, recompute: "row-filter" });
    const overTable = planExecution({ steps: [src, filter("f", "src"), step("b", "f"), sink("out", "b")] }, "auto");
    expect(overTable.steps.map((p) => p.storage.out ?? "-")).toEqual(["table", "view", "table", "-"]);
    const overView = planExecution({ steps: [src, step("a", "src"), filter("f", "a"), step("b", "f"), sink("out", "b")] }, "auto");
    expect(overView.steps.map((p) => p.storage.out ?? "-")).toEqual(["table", "view", "table", "table", "-"]);
    // Two readers would each run the filter: stored.
    const shared = planExecution({ steps: [src, filter("f", "src"), step("b", "f"), step("c", "f")] }, "auto");
    expect(shared.steps[1]?.storage.out).toBe("table");
  });
});
