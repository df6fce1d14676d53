import { describe, expect, it } from "vitest";
import { validateGraph } from "./validate-graph.ts";
import { emptyEnv } from "../testing/duckdb-harness.ts";
import { edge, fileSink, graph, inlineSource, node } from "../testing/graph-builders.ts";

const check = (g: unknown) => validateGraph(g, emptyEnv);
const where = (r: ReturnType<typeof check>) => r.problems.map((p) => [p.code, p.nodeId ?? p.edgeId ?? null, p.field ?? null]);

describe("one mistake, one problem", () => {
  it("does not blame the node below a node of unknown type", () => {
    const r = check(graph([inlineSource("a"), node("x", "teleport"), node("s", "select"), fileSink("o")], [edge("e1", "a", "x"), edge("e2", "x", "s"), edge("e3", "s", "o")]));
    expect(where(r)).toEqual([["UNKNOWN_NODE_TYPE", "x", "type"]]);
    expect(Object.keys(r.schemas)).toEqual(["a"]);
  });

  it("does not report a missing input when the edge into it names a wrong port", () => {
    const r = check(graph([inlineSource("a"), node("s", "select"), fileSink("o")], [edge("e1", "a", "s", { targetPort: "left" }), edge("e2", "s", "o")]));
    expect(where(r)).toEqual([["EDGE_UNKNOWN_PORT", "s", "targetPort"]]);
  });

  it("does not infer below an edge from a wrong output port", () => {
    const r = check(graph([inlineSource("a"), node("s", "select"), fileSink("o")], [edge("e1", "a", "s", { sourcePort: "rejects" }), edge("e2", "s", "o")]));
    expect(where(r)).toEqual([["EDGE_UNKNOWN_PORT", "a", "sourcePort"]]);
    expect(Object.keys(r.schemas)).toEqual(["a"]);
  });

  it("does not infer below a node with a config problem, but still checks that node's own config", () => {
    const r = check(
      graph(
        [inlineSource("a"), node("s", "select", { mode: "sideways" }), node("t", "select", { columns: "nope" }), fileSink("o")],
        [edge("e1", "a", "s"), edge("e2", "s", "t"), edge("e3", "t", "o")],
      ),
    );
    expect(where(r)).toEqual([
      ["INVALID_CONFIG", "s", "mode"],
      ["INVALID_CONFIG", "t", "columns"],
    ]);
  });

  it("fills config defaults before inferring", () => {
    const r = check(graph([inlineSource("a"), node("s", "select", { mode: "drop" }), fileSink("o")], [edge("e1", "a", "s"), edge("e2", "s", "o")]));
    expect(r.valid).toBe(true);
    expect(r.schemas.s?.map((c) => c.name)).toEqual(["id", "name"]);
  });
});

describe("a partly malformed graph", () => {
  it("reports the malformed node and still checks everything else", () => {
    const broken = { id: "b", type: "select", position: { x: "left" }, config: {} };
    const r = check(
      graph(
        [inlineSource("a"), broken, node("s", "select"), node("u", "select", { mode: 3 }), fileSink("o")],
        [edge("e1", "a", "b"), edge("e2", "b", "s"), edge("e3", "s", "o")],
      ),
    );
    expect(r.valid).toBe(false);
    expect(where(r)).toEqual([
      ["INVALID_GRAPH", "b", "nodes.1.position.x"],
      ["INVALID_GRAPH", "b", "nodes.1.position.y"],
      ["PORT_INPUT_MISSING", "u", null],
      ["INVALID_CONFIG", "u", "mode"],
    ]);
    expect(r.schemas.a).toBeDefined();
  });

  it("reports a malformed edge without blaming the node it points to", () => {
    const r = check(graph([inlineSource("a"), fileSink("o")], [{ id: "bad id", source: "a", target: "o" }]));
    expect(where(r)).toEqual([["INVALID_GRAPH", null, "edges.0.id"]]);
    const r2 = check(graph([inlineSource("a"), fileSink("o")], [{ id: "e1", source: "a", target: "o", sourcePort: 7 }]));
    expect(where(r2)).toEqual([["INVALID_GRAPH", "e1", "edges.0.sourcePort"]]);
  });

  it("stops at a malformed document", () => {
    for (const doc of [null, [], "graph", { formatVersion: 1, nodes: {}, edges: [] }]) {
      const r = check(doc);
      expect(r.valid).toBe(false);
      expect(r.problems.every((p) => p.code === "INVALID_GRAPH")).toBe(true);
      expect(r.problems.length).toBeGreaterThan(0);
    }
  });
});
