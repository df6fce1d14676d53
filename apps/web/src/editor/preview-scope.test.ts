import { describe, expect, it } from "vitest";
import type { PipelineGraph } from "@sluice/model";
import { previewScope } from "./preview-scope.ts";

const n = (id: string, x = 0) => ({ id, type: "filter", position: { x, y: 0 }, config: { id } });
const g: PipelineGraph = {
  formatVersion: 1,
  nodes: [n("a"), n("b"), n("c"), n("d")],
  edges: [
    { id: "1", source: "a", target: "b" },
    { id: "2", source: "b", target: "c" },
    { id: "3", source: "d", target: "c" },
  ],
};

describe("previewScope", () => {
  it("keeps the node and its ancestors only", () => {
    expect(previewScope(g, "b")!.nodes.map((x) => x.id)).toEqual(["a", "b"]);
    expect(previewScope(g, "c")!.edges).toHaveLength(3);
    expect(previewScope(g, "zz")).toBeNull();
  });
  it("ignores positions and downstream edits, so the key only changes when the preview would", () => {
    const moved: PipelineGraph = { ...g, nodes: g.nodes.map((x) => ({ ...x, position: { x: 99, y: 9 }, label: "renamed" })) };
    expect(JSON.stringify(previewScope(moved, "b"))).toBe(JSON.stringify(previewScope(g, "b")));
    const downstream: PipelineGraph = { ...g, nodes: g.nodes.map((x) => (x.id === "c" ? { ...x, config: { changed: true } } : x)) };
    expect(JSON.stringify(previewScope(downstream, "b"))).toBe(JSON.stringify(previewScope(g, "b")));
  });
});
