import { describe, expect, it } from "vitest";
import type { NodeRunInfo, PipelineGraph } from "@sluice/model";
import { nodeRows } from "./node-rows.ts";

const graph: PipelineGraph = {
  formatVersion: 1,
  nodes: [
    { id: "out", type: "file-sink", position: { x: 600, y: 0 }, config: { name: "o", format: "csv" } },
    { id: "src", type: "inline", position: { x: 0, y: 0 }, config: { columns: [{ name: "a", type: "string" }], rows: [] } },
    { id: "top", type: "limit", position: { x: 300, y: 0 }, config: { count: 1, skip: 0 } },
  ],
  edges: [
    { id: "e1", source: "src", target: "top" },
    { id: "e2", source: "top", target: "out" },
  ],
};
const running: NodeRunInfo = { nodeId: "src", ranIn: null, status: "running", rowsIn: null, rowsOut: null, durationMs: null, error: null };

describe("nodeRows", () => {
  it("lists every node of the version in graph order, those not started without a result", () => {
    expect(nodeRows(graph, [running])).toEqual([
      { nodeId: "src", info: running },
      { nodeId: "top", info: null },
      { nodeId: "out", info: null },
    ]);
  });
  it("lists the reported nodes until the version has loaded", () => {
    expect(nodeRows(undefined, [running])).toEqual([{ nodeId: "src", info: running }]);
  });
});
