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

  it("is clean again when undo returns to the saved graph, and after a save of what is shown", () => {
    const { s } = setup();
    s().addNode("inline", { x: 0, y: 0 });
    s().markSaved(2);
    expect(s().dirty).toBe(false);
    s().updateLabel("inline", "People");
    expect(s().dirty).toBe(true);
    s().undo();
    expect(s().dirty).toBe(false);
    s().redo();
    expect(s().dirty).toBe(true);
    s().undo();
    // A drag that ends where it started changes nothing a save would store.
    s().moveNodes([{ id: "inline", position: { x: 40, y: 0 } }], true);
    expect(s().dirty).toBe(true);
    s().moveNodes([{ id: "inline", position: { x: 0, y: 0 } }], false);
    expect(s().dirty).toBe(false);
  });

  it("stays dirty after a save when edits were made while it was on its way", () => {
    const { s } = setup();
    s().addNode("inline", { x: 0, y: 0 });
    const sent = s().graph;
    s().updateLabel("inline", "People");
    s().markSaved(2, sent);
    expect(s()).toMatchObject({ dirty: true, baseVersion: 2 });
    s().undo();
    expect(s().dirty).toBe(false);
  });

  it("offers to reconnect the neighbours of a node deleted from a chain, as part of the delete's undo step", () => {
    const { s } = setup();
    for (const t of ["inline", "filter", "sort"]) s().addNode(t, { x: 0, y: 0 });
    s().connect({ source: "inline", sourcePort: "out", target: "filter", targetPort: "in" });
    s().connect({ source: "filter", sourcePort: "out", target: "sort", targetPort: "in" });
    s().select(["filter"]);
    s().deleteSelection();
    expect(s().reconnectOffer).toMatchObject({ label: "Reconnect Inline table → Sort rows" });
    const steps = s().past.length;
    s().reconnect();
    expect(s().graph.edges.map((e) => [e.source, e.target])).toEqual([["inline", "sort"]]);
    expect(s().past.length).toBe(steps);
    expect(s().reconnectOffer).toBeNull();
    s().undo();
    expect(s().graph.nodes.map((n) => n.id)).toEqual(["inline", "filter", "sort"]);
    expect(s().graph.edges).toHaveLength(2);
  });

  it("offers no reconnect when the node had no single upstream, or once something else was edited", () => {
    const { s } = setup();
    for (const t of ["inline", "inline", "join", "sort"]) s().addNode(t, { x: 0, y: 0 });
    s().connect({ source: "inline", sourcePort: "out", target: "join", targetPort: "left" });
    s().connect({ source: "inline_2", sourcePort: "out", target: "join", targetPort: "right" });
    s().connect({ source: "join", sourcePort: "out", target: "sort", targetPort: "in" });
    s().select(["join"]);
    s().deleteSelection();
    expect(s().reconnectOffer).toBeNull();
    s().undo();
    s().connect({ source: "inline", sourcePort: "out", target: "sort", targetPort: "in" });
    s().select(["inline_2"]);
    s().deleteSelection();
    expect(s().reconnectOffer).toBeNull();
  });

  it("adds a node connected to a dropped connection's loose end, in one undo step", () => {
    const { s } = setup();
    s().addNode("inline", { x: 0, y: 0 });
    s().addNode("join", { x: 600, y: 0 });
    expect(s().addConnectedNode("filter", { x: 300, y: 0 }, { nodeId: "inline", port: "out", side: "source" })).toBe("filter");
    expect(s().graph.edges).toMatchObject([{ source: "inline", target: "filter", targetPort: "in" }]);
    expect(s().selectedNodes).toEqual(["filter"]);
    // Dragged from the join's right input: the new node feeds it.
    expect(s().addConnectedNode("inline", { x: 300, y: 200 }, { nodeId: "join", port: "right", side: "target" })).toBe("inline_2");
    expect(s().graph.edges[1]).toMatchObject({ source: "inline_2", target: "join", targetPort: "right" });
    // A source has no input to take an output.
    expect(s().addConnectedNode("inline", { x: 0, y: 0 }, { nodeId: "filter", port: "out", side: "source" })).toBeNull();
    s().undo();
    expect(s().graph.nodes.map((n) => n.id)).toEqual(["inline", "join", "filter"]);
    expect(s().graph.edges).toHaveLength(1);
  });

  it("pastes copies clear of every node", () => {
    const { s } = setup();
    s().addNode("inline", { x: 0, y: 0 });
    s().addNode("filter", { x: 40, y: 140 });
    s().select(["inline"]);
    s().duplicateSelection();
    const copy = s().graph.nodes.find((n) => n.id === "inline_2")!;
    for (const n of s().graph.nodes.filter((m) => m !== copy)) {
      const apart = Math.abs(n.position.x - copy.position.x) >= 240 || Math.abs(n.position.y - copy.position.y) >= 120;
      expect(apart, `${copy.id} is clear of ${n.id}`).toBe(true);
    }
  });

  it("connects a node added after the selected one when it can, and only adds it when it cannot", () => {
    const { s } = setup();
    s().addNode("inline", { x: 0, y: 0 });
    expect(s().addNodeAfter("filter", { x: 260, y: 0 }, "inline")).toBe("filter");
    expect(s().graph.edges).toMatchObject([{ source: "inline", sourcePort: "out", target: "filter", targetPort: "in" }]);
    expect(s().addNodeAfter("inline", { x: 520, y: 0 }, "filter")).toBe("inline_2");
    expect(s().graph.edges).toHaveLength(1);
    s().undo();
    s().undo();
    expect(s().graph.nodes.map((n) => n.id)).toEqual(["inline"]);
  });
  it("sets where runs execute as one undoable edit, Automatic stored as no setting", () => {
    const { s } = setup();
    s().addNode("inline", { x: 0, y: 0 });
    s().markSaved(2);
    s().setEngine("database");
    expect(s().graph.engine).toBe("database");
    expect(s().dirty).toBe(true);
    s().setEngine("auto");
    expect("engine" in s().graph).toBe(false);
    expect(s().dirty).toBe(false);
    s().undo();
    expect(s().graph.engine).toBe("database");
    s().undo();
    expect("engine" in s().graph).toBe(false);
    s().setEngine("auto");
    expect(s().future).toHaveLength(2);
  });
});
