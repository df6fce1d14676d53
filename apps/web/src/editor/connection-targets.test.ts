import { describe, expect, it } from "vitest";
import { emptyGraph, type PipelineGraph } from "@sluice/model";
import { connectionChoices, filterChoices } from "./connection-targets.ts";
import { addEdge, addNode } from "./graph-edits.ts";

/** inline → retype → join (left); customers (inline_2) not yet connected; a sink at the end. */
function graph(): PipelineGraph {
  let g = emptyGraph();
  for (const type of ["inline", "retype", "join", "inline", "file-sink"]) g = addNode(g, type, { x: 0, y: 0 }).graph;
  g = addEdge(g, { source: "inline", sourcePort: "out", target: "retype", targetPort: "in" });
  g = addEdge(g, { source: "retype", sourcePort: "out", target: "join", targetPort: "left" });
  return { ...g, nodes: g.nodes.map((n) => (n.id === "join" ? { ...n, label: "Add customer" } : n)) };
}

describe("connection choices for the keyboard", () => {
  it("offers each other node's free inputs, named with their port when there are several, and never a loop or a full input", () => {
    const to = connectionChoices(graph(), "inline_2").filter((c) => c.direction === "to");
    expect(to.map((c) => c.text)).toEqual(["Add customer: right input", "File output"]);
    expect(to[0]!.edge).toEqual({ source: "inline_2", sourcePort: "out", target: "join", targetPort: "right" });
    // Not retype (its one input is taken), nor join's left input; an inline table has no input at all.
    const fromRetype = connectionChoices(graph(), "retype").filter((c) => c.direction === "to");
    expect(fromRetype.map((c) => c.text)).toEqual([
      "Add customer: right input (from converted rows)",
      "File output (from converted rows)",
      "Add customer: right input (from rows that failed)",
      "File output (from rows that failed)",
    ]);
    // join back into retype would be a loop (and retype's input is full anyway); only the sink is left.
    expect(connectionChoices(graph(), "join").filter((c) => c.direction === "to").map((c) => c.edge.target)).toEqual(["file-sink"]);
  });

  it("never offers a loop, even into an input that takes more", () => {
    let g = addNode(addNode(emptyGraph(), "union", { x: 0, y: 0 }).graph, "filter", { x: 0, y: 0 }).graph;
    g = addEdge(g, { source: "union", sourcePort: "out", target: "filter", targetPort: "in" });
    expect(connectionChoices(g, "union").map((c) => c.edge)).toEqual([]);
    expect(connectionChoices(g, "filter")).toEqual([]);
  });

  it("offers what could feed the node's inputs, with the source's port when it has several", () => {
    const from = connectionChoices(graph(), "join").filter((c) => c.direction === "from");
    expect(from.map((c) => c.text)).toEqual([
      "Inline table (into right)",
      "Change types: converted rows (into right)",
      "Change types: rows that failed (into right)",
      "Inline table (into right)",
    ]);
    expect(from.map((c) => c.edge.source)).toEqual(["inline", "retype", "retype", "inline_2"]);
  });

  it("filters by every word typed, in any order and case", () => {
    const all = connectionChoices(graph(), "inline_2");
    expect(filterChoices(all, "RIGHT customer").map((c) => c.text)).toEqual(["Add customer: right input"]);
    expect(filterChoices(all, "")).toEqual(all);
  });
});
