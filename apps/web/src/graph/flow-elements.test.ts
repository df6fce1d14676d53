import { describe, expect, it } from "vitest";
import type { NodeRunInfo, PipelineGraph } from "@sluice/model";
import { nodeCatalog } from "@sluice/pipeline";
import { flowEdges, flowNodes } from "./flow-elements.ts";

const graph: PipelineGraph = {
  formatVersion: 1,
  nodes: [
    { id: "src", type: "inline", position: { x: 0, y: 0 }, config: {} },
    { id: "typed", type: "retype", position: { x: 300, y: 0 }, config: {} },
    { id: "odd", type: "no-such-type", position: { x: 600, y: 0 }, config: {} },
  ],
  edges: [
    { id: "e1", source: "src", target: "typed" },
    { id: "e2", source: "typed", sourcePort: "rejects", target: "odd" },
  ],
};

const run = (nodeId: string, status: NodeRunInfo["status"], rowsOut: number | null) => ({ nodeId, status, rowsOut }) as NodeRunInfo;

describe("a graph as React Flow elements", () => {
  it("draws every node with its definition, problems, run status, selection and measured size", () => {
    const problem = { severity: "error" as const, code: "X", message: "x", nodeId: "typed" };
    const nodes = flowNodes(graph.nodes, {
      runNodes: new Map([["src", run("src", "succeeded", 1200)]]),
      problemsByNode: new Map([["typed", [problem]]]),
      selectedNodes: ["typed"],
      measured: { src: { width: 220, height: 84 } },
    });
    expect(nodes.map((n) => [n.id, n.type, n.selected, n.data.definition?.type, n.data.problems.length, n.data.run?.status])).toEqual([
      ["src", "pipeline", false, "inline", 0, "succeeded"],
      ["typed", "pipeline", true, "retype", 1, undefined],
      ["odd", "pipeline", false, undefined, 0, undefined],
    ]);
    expect(nodes[0]?.measured).toEqual({ width: 220, height: 84 });
    // Named for screen readers, as the card reads: label and type.
    expect(flowNodes([{ ...graph.nodes[1]!, label: "Amounts" }, graph.nodes[0]!, graph.nodes[2]!], { runNodes: new Map() }).map((n) => n.ariaLabel)).toEqual([
      "Amounts, Change types",
      "Inline table",
      "Unknown type no-such-type",
    ]);
    expect(nodes[1]).not.toHaveProperty("measured");
  });

  it("labels an edge with the rows its source passed, animates it while its target runs, and draws rejects in red", () => {
    const edges = flowEdges(graph.edges, { runNodes: new Map([["src", run("src", "succeeded", 1200)], ["typed", run("typed", "running", null)]]) });
    expect(edges[0]).toMatchObject({ id: "e1", sourceHandle: "out", targetHandle: "in", label: `${(1200).toLocaleString()} rows`, animated: true, selected: false });
    expect(edges[1]).toMatchObject({ id: "e2", sourceHandle: "rejects", animated: false, style: { stroke: "#ef4444" } });
    expect(edges[1]).not.toHaveProperty("label");
  });

  it("draws an edge's rows grey and italic when its source's result is from before the graph changed", () => {
    const stale = { ...run("src", "succeeded", 1200), staleFrom: 3 };
    const [edge] = flowEdges(graph.edges, { runNodes: new Map([["src", stale]]) });
    expect(edge).toMatchObject({ label: `${(1200).toLocaleString()} rows`, className: "run-stale", labelStyle: { fontStyle: "italic" } });
    const [fresh] = flowEdges(graph.edges, { runNodes: new Map([["src", run("src", "succeeded", 1200)]]) });
    expect(fresh).not.toHaveProperty("className");
  });

  it("labels only the edges of the output a run counts: a retype's rows that failed are not its converted rows", () => {
    const edges = flowEdges(graph.edges, { runNodes: new Map([["typed", run("typed", "succeeded", 950)]]) });
    expect(edges[1]).toMatchObject({ id: "e2", sourceHandle: "rejects" });
    expect(edges[1]).not.toHaveProperty("label");
    const main = flowEdges([{ id: "e3", source: "typed", sourcePort: "out", target: "odd" }], { runNodes: new Map([["typed", run("typed", "succeeded", 950)]]) });
    expect(main[0]).toMatchObject({ label: `${(950).toLocaleString()} rows` });
    // rowsOut is the count of a node's first output: every type names it "out".
    expect(nodeCatalog.filter((d) => d.outputs.length > 0 && d.outputs[0]!.name !== "out").map((d) => d.type)).toEqual([]);
  });
});
