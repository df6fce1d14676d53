import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { PipelineGraph } from "@sluice/model";
import { compileGraph } from "@sluice/pipeline";
import { createConnectors } from "./connectors/connectors.ts";
import { executePipeline, type ExecuteOptions } from "./executor.ts";
import type { ChecksEvent } from "./execution-events.ts";
import { engineFolders, environment, eventLog } from "./testing/engine-fixtures.ts";

let f: ReturnType<typeof engineFolders>;
beforeEach(() => {
  f = engineFolders("checks");
});
afterEach(() => f.remove());

const rows = Array.from({ length: 30 }, (_, i) => [i + 1, i % 10 === 0 ? null : `c${i % 3}`, i * 10]);
/** src → early sink (written before the check in graph order) and src → check → late sink. */
const pipeline = (rules: object[]): PipelineGraph => ({
  formatVersion: 1,
  nodes: [
    { id: "src", type: "inline", position: { x: 0, y: 0 }, config: { columns: [{ name: "id", type: "integer" }, { name: "cat", type: "string" }, { name: "amount", type: "integer" }], rows } },
    { id: "early", type: "file-sink", position: { x: 1, y: 0 }, config: { name: "early", format: "csv" } },
    { id: "qa", type: "check", position: { x: 1, y: 1 }, config: { rules } },
    { id: "late", type: "file-sink", position: { x: 2, y: 1 }, config: { name: "late", format: "csv" } },
  ],
  edges: [
    { id: "e1", source: "src", target: "early" },
    { id: "e2", source: "src", target: "qa" },
    { id: "e3", source: "qa", target: "late" },
  ],
});

function run(rules: object[], o: Partial<ExecuteOptions> = {}) {
  const c = compileGraph(pipeline(rules), environment());
  if (!c.ok) throw new Error(JSON.stringify(c.issues));
  return executePipeline(c.value, {
    engine: f.engine,
    workDir: path.join(f.work, "run-1"),
    connectors: createConnectors({ http: {}, outputDir: f.outputs }),
    connection: async () => {
      throw new Error("no connections here");
    },
    runId: "run-1",
    onEvent: () => undefined,
    ...o,
  });
}

describe("quality checks in a run", () => {
  it("a failing 'fail' rule stops the run before any sink writes, with counts and 20 samples in input order", async () => {
    const log = eventLog();
    const r = await run(
      [
        { kind: "not_null", columns: ["cat"], severity: "warn" },
        { kind: "range", column: "amount", max: 50 },
        { kind: "row_count", min: 1 },
      ],
      { onEvent: log.onEvent },
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.code).toBe("CHECK_FAILED");
    expect(r.error).toBe(`Check data quality (qa): A quality rule failed, so nothing was written: "amount at most 50" (24 of 30 rows fail).`);
    // Sinks run after every transform: neither the sink before the check nor the one after it wrote.
    expect(existsSync(path.join(f.outputs, "early.csv"))).toBe(false);
    expect(existsSync(path.join(f.outputs, "late.csv"))).toBe(false);
    expect(log.statuses("early")).toEqual([]);

    const checks = log.events.filter((e): e is ChecksEvent => e.type === "checks");
    expect(checks).toHaveLength(1);
    const [nulls, range, count] = checks[0]!.results;
    expect(nulls).toMatchObject({ rule: "cat not null", severity: "warn", passed: false, failingRows: 3, rowsChecked: 30, message: "3 of 30 rows fail" });
    expect(nulls!.samples).toEqual([{ id: 1, cat: null, amount: 0 }, { id: 11, cat: null, amount: 100 }, { id: 21, cat: null, amount: 200 }]);
    expect(range).toMatchObject({ passed: false, failingRows: 24 });
    expect(range!.samples).toHaveLength(20);
    expect(range!.samples[0]).toEqual({ id: 7, cat: "c0", amount: 60 });
    expect(count).toMatchObject({ kind: "row_count", passed: true, failingRows: 0, message: "30 rows" });
  });

  it("warnings alone let the run write everything", async () => {
    const r = await run([{ kind: "unique", columns: ["cat"], severity: "warn" }, { kind: "row_count", max: 10, severity: "warn" }]);
    expect(r, JSON.stringify(r)).toMatchObject({ ok: true, rowsWritten: 60 });
    expect(readFileSync(path.join(f.outputs, "late.csv"), "utf8").split("\n")).toHaveLength(32);
    expect(r.nodes.find((n) => n.nodeId === "qa")).toMatchObject({ status: "succeeded", rowsIn: 30, rowsOut: 30 });
  });
});
