import { describe, expect, it } from "vitest";
import { createEditorStore } from "./editor.store.ts";

const setup = () => {
  let t = 0;
  const store = createEditorStore(() => t);
  const tick = (ms: number) => (t += ms);
  return { store, s: () => store.getState(), tick };
};

describe("editor store", () => {
  it("undoes and redoes every kind of edit in order", () => {
    const { s, tick } = setup();
    s().addNode("inline", { x: 0, y: 0 });
    s().addNode("filter", { x: 200, y: 0 });
    expect(s().connect({ source: "inline", sourcePort: "out", target: "filter", targetPort: "in" })).toEqual({ ok: true });
    tick(5000);
    s().updateLabel("filter", "Only paid");
    s().select(["inline"]);
    s().deleteSelection();
    expect(s().graph.nodes.map((n) => n.id)).toEqual(["filter"]);
    expect(s().graph.edges).toEqual([]);

    s().undo();
    expect(s().graph.nodes.map((n) => n.id)).toEqual(["inline", "filter"]);
    expect(s().graph.edges).toHaveLength(1);
    s().undo();
    expect(s().graph.nodes[1]!.label).toBeUndefined();
    s().undo();
    expect(s().graph.edges).toHaveLength(0);
    s().redo();
    s().redo();
    expect(s().graph.nodes[1]!.label).toBe("Only paid");
    expect(s().future).toHaveLength(1);
    s().addNode("sort", { x: 0, y: 0 });
    expect(s().future).toHaveLength(0);
  });

  it("turns quick typing in one field into one undo step", () => {
    const { s, tick } = setup();
    s().addNode("limit", { x: 0, y: 0 });
    for (const n of [1, 12, 120]) {
      s().updateConfig("limit", { count: n });
      tick(200);
    }
    tick(2000);
    s().updateConfig("limit", { count: 5 });
    s().undo();
    expect(s().graph.nodes[0]!.config).toEqual({ count: 120 });
    s().undo();
    expect(s().graph.nodes[0]!.config).not.toEqual({ count: 1 });
    expect(s().graph.nodes).toHaveLength(1);
  });

  it("refuses a connection that would make a loop, without an undo step", () => {
    const { s } = setup();
    s().addNode("inline", { x: 0, y: 0 });
    s().addNode("filter", { x: 0, y: 0 });
    s().addNode("sort", { x: 0, y: 0 });
    s().connect({ source: "filter", sourcePort: "out", target: "sort", targetPort: "in" });
    const before = s().past.length;
    expect(s().connect({ source: "sort", sourcePort: "out", target: "filter", targetPort: "in" })).toMatchObject({ ok: false, code: "CYCLE" });
    expect(s().past.length).toBe(before);
  });

  it("a drag is one undo step", () => {
    const { s } = setup();
    s().addNode("inline", { x: 0, y: 0 });
    s().moveNodes([{ id: "inline", position: { x: 5, y: 5 } }], true);
    s().moveNodes([{ id: "inline", position: { x: 50, y: 50 } }], false);
    s().moveNodes([{ id: "inline", position: { x: 90, y: 90 } }], false);
    s().undo();
    expect(s().graph.nodes[0]!.position).toEqual({ x: 0, y: 0 });
  });

  it("duplicates the selection and selects the copies; load clears history and dirt", () => {
    const { s } = setup();
    s().addNode("inline", { x: 0, y: 0 });
    s().duplicateSelection();
    expect(s().selectedNodes).toEqual(["inline_2"]);
    expect(s().dirty).toBe(true);
    s().load(s().graph, 3);
    expect(s()).toMatchObject({ dirty: false, past: [], baseVersion: 3 });
  });
});
