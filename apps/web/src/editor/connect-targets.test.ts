import { describe, expect, it } from "vitest";
import type { PipelineGraph } from "@sluice/model";
import { handleKey } from "../graph/connect-target.ts";
import { connectTargets } from "./connect-targets.ts";

const graph: PipelineGraph = {
  formatVersion: 1,
  nodes: [
    { id: "a", type: "inline", position: { x: 0, y: 0 }, config: {} },
    { id: "b", type: "filter", position: { x: 0, y: 0 }, config: {} },
    { id: "j", type: "join", position: { x: 0, y: 0 }, config: {} },
    { id: "s", type: "sort", position: { x: 0, y: 0 }, config: {} },
  ],
  edges: [
    { id: "e1", source: "a", target: "j", targetPort: "left" },
    { id: "e2", source: "b", target: "s" },
  ],
};

describe("connectTargets", () => {
  it("from an output: free inputs that would not make a loop", () => {
    const t = connectTargets(graph, { nodeId: "s", port: "out", side: "source" });
    // b feeds s, so s → b is a loop; j's left is taken; s cannot feed itself; a has no input.
    expect([...t.handles].sort()).toEqual([handleKey("j", "right")]);
    expect([...t.nodes]).toEqual(["j"]);
  });

  it("from an input: outputs of nodes that would not make a loop", () => {
    const t = connectTargets(graph, { nodeId: "b", port: "in", side: "target" });
    expect([...t.nodes].sort()).toEqual(["a", "j"]);
  });
});
