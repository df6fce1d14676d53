import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { PipelineGraph } from "@sluice/model";
import { compileGraph } from "@sluice/pipeline";
import { createConnectors } from "./connectors/connectors.ts";
import { executePipeline } from "./executor.ts";
import { PreviewService } from "./preview.ts";
import { engineFolders, environment, eventLog, recordingConnectors } from "./testing/engine-fixtures.ts";

let f: ReturnType<typeof engineFolders>;
beforeEach(() => {
  f = engineFolders("became-null");
});
afterEach(() => f.remove());

const AMOUNT = "Amount (EUR)";
/** 200 amounts written with a decimal comma, and a column that converts, retyped with the default onError: null. */
const graph = (retype: Record<string, unknown> = {}): PipelineGraph => ({
  formatVersion: 1,
  nodes: [
    {
      id: "src",
      type: "inline",
      position: { x: 0, y: 0 },
      config: { columns: [{ name: "id", type: "string" }, { name: AMOUNT, type: "string" }], rows: Array.from({ length: 200 }, (_, i) => [String(i + 1), `${i + 400},19`]) },
    },
    { id: "types", type: "retype", typeVersion: 2, position: { x: 1, y: 0 }, config: { columns: [{ column: "id", to: "integer" }, { column: AMOUNT, to: "double" }], ...retype } },
    { id: "out", type: "file-sink", position: { x: 2, y: 0 }, config: { name: "amounts", format: "csv" } },
  ],
  edges: [
    { id: "e1", source: "src", target: "types" },
    { id: "e2", source: "types", target: "out" },
  ],
});

describe("values a conversion turns into nulls", () => {
  it("are counted per column in the preview and are a warning on the node, at the column's field", async () => {
    const service = new PreviewService({ engine: f.engine, workDir: f.work, connectors: recordingConnectors(), connection: async () => Promise.reject(new Error("none")) });
    try {
      const p = await service.preview({ graph: graph(), nodeId: "types", env: environment() });
      expect(p.becameNull).toEqual([
        { column: "id", field: "columns.0.column", values: 200, nulled: 0 },
        { column: AMOUNT, field: "columns.1.column", values: 200, nulled: 200 },
      ]);
      expect(p.problems).toEqual([
        { severity: "warning", code: "VALUES_BECAME_NULL", message: "200 of 200 values of Amount (EUR) became null: they do not convert.", nodeId: "types", field: "columns.1.column" },
      ]);
      const fixed = await service.preview({ graph: graph({ decimalSeparator: ",", thousandsSeparator: "." }), nodeId: "types", env: environment() });
      expect(fixed.becameNull?.map((c) => c.nulled)).toEqual([0, 0]);
      expect(fixed.problems).toEqual([]);
      // Dropping or rejecting the rows is not nulling: nothing to count.
      expect((await service.preview({ graph: graph({ onError: "drop" }), nodeId: "types", env: environment() })).becameNull).toBeUndefined();
    } finally {
      await service.close();
    }
  });

  it("are a warning line in the run's log", async () => {
    const compiled = compileGraph(graph(), environment());
    if (!compiled.ok) throw new Error(JSON.stringify(compiled.issues));
    const log = eventLog();
    const r = await executePipeline(compiled.value, {
      engine: f.engine,
      workDir: path.join(f.work, "run-1"),
      connectors: createConnectors({ http: {}, outputDir: path.join(f.outputs, "run-1") }),
      connection: async () => Promise.reject(new Error("none")),
      runId: "run-1",
      onEvent: log.onEvent,
    });
    expect(r.ok).toBe(true);
    const warnings = log.events.filter((e) => e.type === "log" && e.level === "warn");
    expect(warnings).toEqual([{ type: "log", level: "warn", nodeId: "types", message: "200 of 200 values of Amount (EUR) became null: they do not convert." }]);
  });
});
