import { describe, expect, it } from "vitest";
import { topologicalOrder } from "./topological-order.ts";
import { edge, fileSink, graph, inlineSource, node } from "../testing/graph-builders.ts";

const pick = (id: string) => node(id, "select", { mode: "drop" });

describe("topologicalOrder", () => {
  it("puts every node after its inputs, breaking ties by file order", () => {
    const g = graph(
      [fileSink("o"), pick("b"), pick("a"), inlineSource("src"), node("u", "union")],
      [edge("e1", "src", "a"), edge("e2", "src", "b"), edge("e3", "a", "u"), edge("e4", "b", "u"), edge("e5", "u", "o")],
    );
    expect(topologicalOrder(g)).toEqual({ ok: true, value: ["src", "b", "a", "u", "o"] });
  });

  it("orders nodes that are not connected in file order", () => {
    expect(topologicalOrder(graph([pick("z"), inlineSource("y"), fileSink("x")]))).toEqual({ ok: true, value: ["z", "y", "x"] });
  });

  it("names the nodes of each cycle, and only those", () => {
    const g = graph(
      [inlineSource("src"), pick("a"), pick("b"), pick("c"), pick("d"), pick("self"), fileSink("o")],
      [edge("e1", "a", "b"), edge("e2", "b", "c"), edge("e3", "c", "a"), edge("e4", "c", "d"), edge("e5", "d", "o"), edge("e6", "self", "self")],
    );
    const r = topologicalOrder(g);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues.map((i) => [i.code, i.nodeId])).toEqual([
      ["CYCLE", "a"],
      ["CYCLE", "b"],
      ["CYCLE", "c"],
      ["CYCLE", "self"],
    ]);
    expect(r.issues[0]!.message).toContain('Nodes "a", "b", "c" form a cycle');
    expect(r.issues[3]!.message).toContain('"self" is connected to itself');
  });

  it("follows edges to nodes of unknown type too", () => {
    const r = topologicalOrder(graph([pick("a"), node("x", "teleport")], [edge("e1", "a", "x"), edge("e2", "x", "a")]));
    expect(!r.ok && r.issues.map((i) => i.nodeId)).toEqual(["a", "x"]);
  });
});
