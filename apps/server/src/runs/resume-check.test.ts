import { describe, expect, it } from "vitest";
import type { PipelineGraph } from "@sluice/model";
import { changedReusedNodes } from "./resume-check.ts";

const graph = (over: { retype?: object; srcTable?: string; edgeFrom?: string } = {}): PipelineGraph =>
  ({
    formatVersion: 1,
    nodes: [
      { id: "a", type: "inline", label: "Orders", position: { x: 0, y: 0 }, config: { table: over.srcTable ?? "orders" } },
      { id: "b", type: "inline", position: { x: 0, y: 0 }, config: {} },
      { id: "r", type: "retype", position: { x: 0, y: 0 }, config: over.retype ?? { onError: "fail" } },
    ],
    edges: [{ id: "e1", source: over.edgeFrom ?? "a", target: "r" }],
  }) as unknown as PipelineGraph;

describe("changedReusedNodes", () => {
  it("is empty when only re-run nodes changed, or nodes moved", () => {
    const moved = graph({ retype: { onError: "null" } });
    moved.nodes[0]!.position = { x: 50, y: 50 };
    expect(changedReusedNodes(graph(), moved, new Set(["a", "b"]))).toEqual([]);
  });
  it("names a reused node whose config, type or inputs changed, or that is gone", () => {
    expect(changedReusedNodes(graph(), graph({ srcTable: "orders2" }), new Set(["a"]))).toEqual(["Orders"]);
    expect(changedReusedNodes(graph(), graph({ edgeFrom: "b" }), new Set(["r"]))).toEqual(["r"]);
    const gone = graph();
    gone.nodes.splice(1, 1);
    expect(changedReusedNodes(graph(), gone, new Set(["b"]))).toEqual(["b"]);
  });
});
