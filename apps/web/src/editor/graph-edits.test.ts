import { describe, expect, it } from "vitest";
import { emptyGraph, type PipelineGraph } from "@sluice/model";
import { addEdge, addNode, extractFragment, newNodeId, pasteFragment, removeElements } from "./graph-edits.ts";

const twoNodes = (): PipelineGraph => {
  let g = addNode(emptyGraph(), "inline", { x: 0, y: 0 }).graph;
  g = addNode(g, "filter", { x: 200, y: 0 }).graph;
  return addEdge(g, { source: "inline", sourcePort: "out", target: "filter", targetPort: "in" });
};

describe("graph edits", () => {
  it("names nodes after their type and keeps ids unique", () => {
    const g = twoNodes();
    expect(g.nodes.map((n) => n.id)).toEqual(["inline", "filter"]);
    expect(newNodeId(g, "filter")).toBe("filter_2");
    expect(addNode(g, "filter", { x: 0, y: 0 }).id).toBe("filter_2");
  });
  it("gives a new node its type's default config, not a shared object", () => {
    const a = addNode(emptyGraph(), "filter", { x: 0, y: 0 }).graph;
    const b = addNode(a, "filter", { x: 0, y: 0 }).graph;
    expect(b.nodes[0]!.config).toEqual(b.nodes[1]!.config);
    expect(b.nodes[0]!.config).not.toBe(b.nodes[1]!.config);
  });
  it("removing a node removes its edges", () => {
    const g = removeElements(twoNodes(), ["inline"]);
    expect(g.nodes.map((n) => n.id)).toEqual(["filter"]);
    expect(g.edges).toEqual([]);
  });
  it("copy and paste keeps inner edges, drops outer ones, renames and shifts", () => {
    const g = twoNodes();
    const onlyFilter = extractFragment(g, ["filter"]);
    expect(onlyFilter.edges).toEqual([]);
    const both = extractFragment(g, ["inline", "filter"]);
    const pasted = pasteFragment(g, both);
    expect(pasted.ids).toEqual(["inline_2", "filter_2"]);
    expect(pasted.graph.nodes.find((n) => n.id === "filter_2")!.position).toEqual({ x: 240, y: 40 });
    expect(pasted.graph.edges.at(-1)).toMatchObject({ source: "inline_2", target: "filter_2" });
    expect(new Set(pasted.graph.edges.map((e) => e.id)).size).toBe(pasted.graph.edges.length);
  });
});
