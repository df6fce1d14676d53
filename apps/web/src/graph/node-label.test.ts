import { describe, expect, it } from "vitest";
import type { PipelineGraph } from "@sluice/model";
import { nodeLabel } from "./node-label.ts";

const graph: PipelineGraph = {
  formatVersion: 1,
  nodes: [
    { id: "file_2", type: "file", position: { x: 0, y: 0 }, config: {} },
    { id: "join", type: "join", label: "Add customer", position: { x: 0, y: 0 }, config: {} },
  ],
  edges: [],
};

describe("nodeLabel", () => {
  it("is the node's label, or its type's name when it has none, never its internal id", () => {
    expect(nodeLabel(graph, "join")).toBe("Add customer");
    expect(nodeLabel(graph, "file_2")).toBe("File");
  });

  it("falls back to the id for a node the graph does not have", () => {
    expect(nodeLabel(graph, "gone")).toBe("gone");
    expect(nodeLabel(undefined, "gone")).toBe("gone");
  });
});
