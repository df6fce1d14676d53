import { describe, expect, it } from "vitest";
import { validateGraph } from "./validate-graph.ts";
import { emptyEnv } from "../testing/duckdb-harness.ts";
import { edge, fileSink as sink, graph, inlineSource as src, node } from "../testing/graph-builders.ts";

const codes = (g: unknown) => validateGraph(g, emptyEnv).problems.map((p) => p.code);

describe("validateGraph", () => {
  it("accepts a valid graph and propagates schemas through every node", () => {
    const r = validateGraph(
      graph([src("a"), node("s", "select", { columns: [{ name: "name", rename: "who" }] }), sink("out")], [edge("e1", "a", "s"), edge("e2", "s", "out")]),
      emptyEnv,
    );
    expect(r.problems).toEqual([]);
    expect(r.valid).toBe(true);
    expect(r.schemas).toEqual({
      a: [{ name: "id", type: "integer" }, { name: "name", type: "string" }],
      s: [{ name: "who", type: "string" }],
      out: [{ name: "who", type: "string" }],
    });
  });

  it("reports a malformed graph as INVALID_GRAPH with the field", () => {
    const r = validateGraph({ formatVersion: "1", nodes: [{ id: "bad id" }], edges: null }, emptyEnv);
    expect(r.valid).toBe(false);
    expect(new Set(r.problems.map((p) => p.code))).toEqual(new Set(["INVALID_GRAPH"]));
    expect(r.problems.map((p) => p.field)).toEqual(expect.arrayContaining(["formatVersion", "nodes.0.id", "edges"]));
  });

  it("reports a format newer than this Sluice reads, and nothing else", () => {
    const r = validateGraph({ formatVersion: 2, nodes: [{ id: "bad id" }], edges: null }, emptyEnv);
    expect(r.problems).toMatchObject([{ code: "FORMAT_VERSION_TOO_NEW", field: "formatVersion" }]);
  });

  it("reports a node's own warnings with its id, and they block nothing", () => {
    const filter = node("f", "filter", { condition: { kind: "group", op: "and", conditions: [{ kind: "rule", column: "id", operator: "=" }] } });
    const r = validateGraph(graph([src("a"), filter, sink("out")], [edge("e1", "a", "f"), edge("e2", "f", "out")]), emptyEnv);
    expect(r.valid).toBe(true);
    expect(r.problems).toEqual([expect.objectContaining({ severity: "warning", code: "INCOMPLETE_CONDITION", nodeId: "f", field: "condition.conditions.0.value" })]);
  });

  it("reports unknown node types", () => {
    expect(codes(graph([node("x", "teleport")]))).toContain("UNKNOWN_NODE_TYPE");
  });

  it("reports duplicate node and edge ids", () => {
    const c = codes(graph([src("a"), src("a"), sink("o")], [edge("e", "a", "o"), edge("e", "a", "o")]));
    expect(c).toEqual(expect.arrayContaining(["DUPLICATE_NODE_ID", "DUPLICATE_EDGE_ID"]));
  });

  it("reports a cycle and names its nodes", () => {
    const r = validateGraph(
      graph([src("a"), node("s1", "select", { mode: "drop" }), node("s2", "select", { mode: "drop" }), sink("o")], [
        edge("e1", "s1", "s2"),
        edge("e2", "s2", "s1"),
        edge("e3", "s2", "o"),
      ]),
      emptyEnv,
    );
    const cycle = r.problems.filter((p) => p.code === "CYCLE");
    expect(cycle.map((p) => p.nodeId)).toEqual(["s1", "s2"]);
    expect(cycle[0]!.message).toContain('"s1", "s2"');
    // "o" only sits below the cycle: not inferred, not blamed.
    expect(r.problems.filter((p) => p.nodeId === "o")).toEqual([]);
    expect(r.schemas.o).toBeUndefined();
  });

  it("reports edges to missing nodes and unknown ports", () => {
    const c = codes(graph([src("a"), sink("o")], [edge("e1", "a", "ghost"), edge("e2", "a", "o", { targetPort: "left" }), edge("e3", "a", "o", { sourcePort: "rejects" })]));
    expect(c.filter((x) => x === "EDGE_MISSING_NODE")).toHaveLength(1);
    expect(c.filter((x) => x === "EDGE_UNKNOWN_PORT")).toHaveLength(2);
  });

  it("takes the main port when none is named, and needs one named where there is no main port", () => {
    const retype = node("t", "retype", {});
    const main = validateGraph(graph([src("a"), retype, sink("o")], [edge("e1", "a", "t"), edge("e2", "t", "o")]), emptyEnv);
    expect(main.problems).toEqual([]);
    const join = node("j", "join", { keys: [{ left: "id", right: "id" }] });
    const r = validateGraph(graph([src("a"), src("b"), join, sink("o")], [edge("e1", "a", "j"), edge("e2", "b", "j", { targetPort: "right" }), edge("e3", "j", "o")]), emptyEnv);
    expect(r.problems).toEqual([expect.objectContaining({ code: "EDGE_UNKNOWN_PORT", edgeId: "e1", nodeId: "j", field: "targetPort" })]);
    expect(r.problems[0]!.message).toContain("left, right");
    const named = validateGraph(graph([src("a"), retype, sink("o")], [edge("e1", "a", "t"), edge("e2", "t", "o", { sourcePort: "rejects" })]), emptyEnv);
    expect(named.problems).toEqual([]);
    expect(named.portSchemas.t?.rejects?.map((c) => c.name)).toContain("id");
    expect(named.schemas.t).toEqual(named.portSchemas.t?.out);
  });

  it("reports missing and surplus inputs, including inputs to a source", () => {
    const missing = validateGraph(graph([node("s", "select", {}), sink("o")], [edge("e", "s", "o")]), emptyEnv);
    expect(missing.problems.find((p) => p.code === "PORT_INPUT_MISSING")).toMatchObject({ nodeId: "s", port: "in" });
    const surplus = codes(graph([src("a"), src("b"), sink("o")], [edge("e1", "a", "o"), edge("e2", "b", "o")]));
    expect(surplus).toContain("PORT_TOO_MANY_INPUTS");
    const intoSource = codes(graph([src("a"), src("b"), sink("o")], [edge("e1", "a", "b"), edge("e2", "b", "o")]));
    expect(intoSource).toContain("EDGE_UNKNOWN_PORT");
    const outOfSink = codes(graph([src("a"), sink("o"), sink("p")], [edge("e1", "a", "o"), edge("e2", "o", "p")]));
    expect(outOfSink).toContain("EDGE_UNKNOWN_PORT");
  });

  it("reports invalid config per field", () => {
    const r = validateGraph(graph([src("a"), node("s", "select", { mode: "sideways" }), sink("o")], [edge("e1", "a", "s"), edge("e2", "s", "o")]), emptyEnv);
    expect(r.problems.find((p) => p.code === "INVALID_CONFIG")).toMatchObject({ nodeId: "s", field: "mode" });
  });

  it("flows a rename downstream: the old name becomes an unknown column with a suggestion", () => {
    const r = validateGraph(
      graph(
        [
          src("a"),
          node("rename", "select", { columns: [{ name: "id" }, { name: "name", rename: "customer_name" }] }),
          node("pick", "select", { columns: [{ name: "name" }] }),
          sink("o"),
        ],
        [edge("e1", "a", "rename"), edge("e2", "rename", "pick"), edge("e3", "pick", "o")],
      ),
      emptyEnv,
    );
    const p = r.problems.find((x) => x.code === "UNKNOWN_COLUMN");
    expect(p).toMatchObject({ nodeId: "pick", field: "columns.0.name" });
    expect(p!.message).toContain('did you mean "customer_name"');
    expect(r.schemas.rename).toEqual([{ name: "id", type: "integer" }, { name: "customer_name", type: "string" }]);
    // Nodes below a broken node are not flooded with follow-on errors.
    expect(r.problems.filter((x) => x.nodeId === "o")).toEqual([]);
  });

  it("reports every problem at once", () => {
    const c = codes(graph([node("x", "teleport"), node("s", "select", { mode: 1 }), src("a")], [edge("e1", "a", "ghost")]));
    expect(c).toEqual(expect.arrayContaining(["UNKNOWN_NODE_TYPE", "INVALID_CONFIG", "EDGE_MISSING_NODE", "PORT_INPUT_MISSING", "NO_SINK"]));
  });

  it("warns when there is no sink, without making the graph invalid", () => {
    const r = validateGraph(graph([src("a")]), emptyEnv);
    expect(r.valid).toBe(true);
    expect(r.problems).toEqual([expect.objectContaining({ code: "NO_SINK", severity: "warning" })]);
  });

  it("reports a missing file for a file source", () => {
    const r = validateGraph(graph([node("f", "file", { fileId: "5f0c4f6e-0000-4000-8000-000000000000" }), sink("o")], [edge("e", "f", "o")]), emptyEnv);
    expect(r.problems.find((p) => p.code === "FILE_NOT_FOUND")).toMatchObject({ nodeId: "f", field: "fileId" });
  });
});
