import { describe, expect, it } from "vitest";
import type { NodeRunInfo, PipelineGraph } from "@sluice/model";
import { lineageKeys, markStale, staleNodes } from "./run-freshness.ts";

/**
 * people ─▶ adults ─▶ out
 *        └▶ top ────▶ out2
 * plus a join fed by both branches, so a change on one side reaches it.
 */
const ran: PipelineGraph = {
  formatVersion: 1,
  nodes: [
    { id: "people", type: "inline", position: { x: 0, y: 0 }, config: { columns: [{ name: "age", type: "string" }], rows: [["1"]] } },
    { id: "adults", type: "limit", position: { x: 300, y: 0 }, config: { count: 10, skip: 0 } },
    { id: "top", type: "limit", position: { x: 300, y: 200 }, config: { count: 2, skip: 0 } },
    { id: "out", type: "file-sink", position: { x: 600, y: 0 }, config: { name: "ages", format: "csv" } },
    { id: "out2", type: "file-sink", position: { x: 600, y: 200 }, config: { name: "top", format: "csv" } },
    { id: "both", type: "union", position: { x: 600, y: 400 }, config: {} },
  ],
  edges: [
    { id: "e1", source: "people", target: "adults" },
    { id: "e2", source: "adults", target: "out" },
    { id: "e3", source: "people", target: "top" },
    { id: "e4", source: "top", target: "out2" },
    { id: "e5", source: "adults", target: "both" },
    { id: "e6", source: "top", target: "both" },
  ],
};

const edit = (f: (g: PipelineGraph) => void): PipelineGraph => {
  const g = structuredClone(ran);
  f(g);
  return g;
};
const node = (g: PipelineGraph, id: string) => g.nodes.find((n) => n.id === id)!;
const sorted = (s: Set<string>) => [...s].sort();

describe("which nodes' run results still hold after edits", () => {
  it("none are stale in the graph that ran, nor after moving or relabelling nodes or renaming edges", () => {
    expect(sorted(staleNodes(ran, ran))).toEqual([]);
    const moved = edit((g) => {
      node(g, "top").position = { x: 999, y: -40 };
      node(g, "adults").label = "Adults only";
      g.edges[0]!.id = "renamed";
    });
    expect(sorted(staleNodes(ran, moved))).toEqual([]);
  });

  it("a changed setting makes the node and everything downstream stale; upstream and other branches stay", () => {
    const changed = edit((g) => {
      node(g, "top").config = { count: 1, skip: 0 };
    });
    expect(sorted(staleNodes(ran, changed))).toEqual(["both", "out2", "top"]);
  });

  it("a change at the source reaches every node below it", () => {
    const changed = edit((g) => {
      node(g, "people").config = { columns: [{ name: "age", type: "string" }], rows: [["1"], ["2"]] };
    });
    expect(sorted(staleNodes(ran, changed))).toEqual(["adults", "both", "out", "out2", "people", "top"]);
  });

  it("settings written in another key order, or an unnamed port spelled out, are the same", () => {
    const same = edit((g) => {
      node(g, "top").config = { skip: 0, count: 2 };
      node(g, "people").config = { rows: [["1"]], columns: [{ type: "string", name: "age" }] };
      g.edges[0] = { ...g.edges[0]!, sourcePort: "out", targetPort: "in" };
    });
    expect(sorted(staleNodes(ran, same))).toEqual([]);
  });

  it("rewiring, removing an input or reordering a union's inputs makes the targets stale", () => {
    const rewired = edit((g) => {
      g.edges[1] = { id: "e2", source: "top", target: "out" };
    });
    expect(sorted(staleNodes(ran, rewired))).toEqual(["out"]);
    const cut = edit((g) => {
      g.edges = g.edges.filter((e) => e.id !== "e1");
    });
    expect(sorted(staleNodes(ran, cut))).toEqual(["adults", "both", "out"]);
    const swapped = edit((g) => {
      g.edges = [...g.edges.filter((e) => e.id !== "e5"), g.edges.find((e) => e.id === "e5")!];
    });
    expect(sorted(staleNodes(ran, swapped))).toEqual(["both"]);
  });

  it("a node added since the run is stale (it has no result), a node replaced under the same id too", () => {
    const added = edit((g) => {
      g.nodes.push({ id: "new", type: "limit", position: { x: 0, y: 0 }, config: { count: 1, skip: 0 } });
      node(g, "adults").type = "sort";
    });
    expect(sorted(staleNodes(ran, added))).toEqual(["adults", "both", "new", "out"]);
  });

  it("a cycle does not hang the walk", () => {
    const loop = edit((g) => {
      g.edges.push({ id: "back", source: "out2", target: "people" });
    });
    expect(lineageKeys(loop).size).toBe(ran.nodes.length);
  });
});

describe("marking a run's results", () => {
  it("marks only the stale nodes' results with the version the run used", () => {
    const info = (nodeId: string): NodeRunInfo => ({ nodeId, ranIn: "duckdb", status: "succeeded", rowsIn: 3, rowsOut: 2, durationMs: 5, error: null });
    const marked = markStale(new Map([["people", info("people")], ["top", info("top")]]), new Set(["top", "out2"]), 3);
    expect(marked.get("people")).toEqual(info("people"));
    expect(marked.get("top")).toEqual({ ...info("top"), staleFrom: 3 });
    expect(marked.has("out2")).toBe(false);
  });
});
