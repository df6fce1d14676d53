import { describe, expect, it } from "vitest";
import { validateGraph } from "./validate-graph.ts";
import { MAX_COLUMNS, MAX_PARAMETER_TEXT, MAX_PROBLEMS_PER_NODE, MAX_SCHEMA_SIZE } from "./analyze-graph.ts";
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

  it("refuses `__proto__` as a node id or parameter name, which JavaScript objects keyed by it would lose", () => {
    const g = JSON.parse(JSON.stringify(graph([src("__proto__"), node("p", "limit", { count: 1 }), sink("out")], [edge("e1", "__proto__", "p"), edge("e2", "p", "out")])));
    const r = validateGraph(g, emptyEnv);
    expect(r.valid).toBe(false);
    expect(r.problems).toContainEqual(expect.objectContaining({ code: "INVALID_GRAPH", field: "nodes.0.id", message: "nodes.0.id: `__proto__` is reserved; choose another name" }));
    expect(Object.getPrototypeOf(r.schemas)).toBe(Object.prototype);
    const param = { ...JSON.parse(JSON.stringify(graph([src("a")], []))), parameters: [{ name: "__proto__", type: "integer", default: 1 }] };
    expect(validateGraph(param, emptyEnv).problems).toContainEqual(expect.objectContaining({ code: "INVALID_GRAPH", field: "parameters.0.name" }));
    // Other names of Object.prototype's own properties are ordinary ids.
    const ordinary = graph([src("constructor"), node("toString", "limit", { count: 1 }), sink("out")], [edge("e1", "constructor", "toString"), edge("e2", "toString", "out")]);
    expect(validateGraph(ordinary, emptyEnv)).toMatchObject({ valid: true, schemas: { constructor: [{ name: "id" }, { name: "name" }], toString: [{ name: "id" }, { name: "name" }] } });
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

  it("refuses a node wider than MAX_COLUMNS, so joins in a row cannot double the width without end", () => {
    // Each self-join has both inputs' columns: 30 of them would make 2^30 columns from a 7 kB graph.
    const nodes: object[] = [src("s", [{ name: "id", type: "integer" }, { name: "a", type: "string" }])];
    const edges: object[] = [];
    let last = "s";
    for (let i = 0; i < 30; i++) {
      nodes.push(node(`j${i}`, "join", { keys: [{ left: "id", right: "id" }], rightSuffix: `_${i}` }));
      edges.push(edge(`l${i}`, last, `j${i}`, { targetPort: "left" }), edge(`r${i}`, last, `j${i}`, { targetPort: "right" }));
      last = `j${i}`;
    }
    const started = performance.now();
    const r = validateGraph(graph([...nodes, sink("o")], [...edges, edge("eo", last, "o")]), emptyEnv);
    expect(performance.now() - started).toBeLessThan(2000);
    // 2 columns, then 3, 5, 9, …: the eleventh join would give 2,049.
    expect(r.schemas.j9).toHaveLength(1025);
    expect(r.problems.filter((p) => p.severity === "error")).toEqual([
      { severity: "error", code: "TOO_MANY_COLUMNS", message: expect.stringMatching(new RegExp(`2,049 columns; at most ${MAX_COLUMNS.toLocaleString("en-US")}.*; keep fewer columns \\(a select node\\) before it\\.$`)), nodeId: "j10", port: "out" },
    ]);
    expect(r.schemas.j10).toBeUndefined();
    expect(r.schemas.j29).toBeUndefined();
  });

  it("lists at most MAX_PROBLEMS_PER_NODE problems of a node, then how many more, however many there are", () => {
    // Each unknown name is a problem: 30 expressions of 4,990 made 149,700 (a 300 kB request), which threw a
    // RangeError spread into a call, and 20 of them made a 16.7 MB answer.
    const derivations = Array.from({ length: 30 }, (_, i) => ({ column: `d${i}`, expression: `coalesce(${Array(4990).fill("q").join(",")})` }));
    const r = validateGraph(graph([src("s"), node("d", "derive", { derivations }), sink("o")], [edge("e1", "s", "d"), edge("e2", "d", "o")]), emptyEnv);
    expect(r.valid).toBe(false);
    expect(r.problems).toHaveLength(MAX_PROBLEMS_PER_NODE + 1);
    expect(r.problems[0]).toMatchObject({ code: "UNKNOWN_COLUMN", nodeId: "d", field: "derivations.0.expression" });
    expect(r.problems.at(-1)).toEqual({ severity: "error", code: "TOO_MANY_PROBLEMS", message: "149,600 more problems of this node are not listed; fix the ones shown first.", nodeId: "d" });
    // Fewer are all listed; warnings left out give a warning.
    const conditions = Array.from({ length: MAX_PROBLEMS_PER_NODE + 2 }, () => ({ kind: "rule", column: "id", operator: "=" }));
    const w = validateGraph(graph([src("s"), node("f", "filter", { condition: { kind: "group", op: "and", conditions } }), sink("o")], [edge("e1", "s", "f"), edge("e2", "f", "o")]), emptyEnv);
    expect(w.valid).toBe(true);
    expect(w.problems.at(-1)).toMatchObject({ severity: "warning", code: "TOO_MANY_PROBLEMS", message: expect.stringMatching(/^2 more problems/) });
  });

  it("refuses the node at which the columns of all nodes add up to more than MAX_SCHEMA_SIZE", () => {
    // 2,000 columns of 200-character names (470 kB) through 400 select nodes made 332 MB of SQL and a 367 MB answer.
    const columns = Array.from({ length: 2000 }, (_, i) => ({ name: `${i}_`.padEnd(200, "x"), type: "integer" }));
    const nodes: object[] = [src("s", columns)];
    const edges: object[] = [];
    for (let i = 0; i < 400; i++) {
      nodes.push(node(`p${i}`, "select", { mode: "drop", columns: [] }));
      edges.push(edge(`e${i}`, i === 0 ? "s" : `p${i - 1}`, `p${i}`));
    }
    const r = validateGraph(graph(nodes, edges), emptyEnv);
    // Each node lists 2,000 × (200 + 16): the source and 17 selects fit in 8,000,000.
    expect(MAX_SCHEMA_SIZE).toBe(8_000_000);
    expect(r.problems.filter((p) => p.severity === "error").map((p) => [p.code, p.nodeId])).toEqual([["SCHEMA_TOO_LARGE", "p17"]]);
    expect(Object.keys(r.schemas)).toHaveLength(18);
    expect(JSON.stringify(r).length).toBeLessThan(3 * MAX_SCHEMA_SIZE);
  });

  it("refuses param() calls past MAX_PARAMETER_TEXT characters of values written into the SQL, at the call", () => {
    // Each call writes its value: a 10,000-character value read 900 times in each of 10 derivations made 90 MB of SQL.
    const expression = `coalesce(${Array(900).fill("param('p')").join(",")})`;
    const derivations = Array.from({ length: 10 }, (_, i) => ({ column: `d${i}`, expression }));
    const withValue = (value: string) => ({
      ...graph([src("s"), node("d", "derive", { derivations }), sink("o")], [edge("e1", "s", "d"), edge("e2", "d", "o")]),
      parameters: [{ name: "p", type: "string" as const, default: value }],
    });
    const started = performance.now();
    const r = validateGraph(withValue("x".repeat(10_000)), emptyEnv);
    expect(performance.now() - started).toBeLessThan(2000);
    expect(r.valid).toBe(false);
    // The first 100 calls fit in 1,000,000 characters; the 101st is at 1:1110 of the first derivation.
    expect(r.problems[0]).toMatchObject({ code: "PARAMETERS_TOO_LARGE", nodeId: "d", field: "derivations.0.expression", message: expect.stringContaining(`more than ${MAX_PARAMETER_TEXT.toLocaleString("en-US")} characters`) });
    expect(r.problems[0]!.message).toContain("(at 1:1110)");
    // Short values may be read as often as anyone writes.
    expect(validateGraph(withValue("2024-01-31"), emptyEnv).problems).toEqual([]);
  });

  it("refuses a node that would pass on rows without any column, and checks nothing below it", () => {
    const people = src("s", [{ name: "id", type: "integer" }, { name: "name", type: "string" }]);
    const through = (n: ReturnType<typeof node>) => graph([people, n, sink("o")], [edge("e1", "s", n.id), edge("e2", n.id, "o")]);
    const nothing = [
      node("keep", "select", { mode: "keep", columns: [] }),
      node("drop", "select", { mode: "drop", columns: [{ name: "id" }, { name: "name" }] }),
      node("g", "group", { keys: [], aggregations: [] }),
    ];
    for (const n of nothing) {
      const r = validateGraph(through(n), emptyEnv);
      expect(r.problems.map((p) => [p.code, p.nodeId, p.port])).toEqual([["NO_COLUMNS", n.id, "out"]]);
      expect(r.problems[0]!.message).toMatch(/; keep at least one column \(choose the columns to keep, drop fewer, or add a key or an aggregation\)\.$/);
    }
    // One column is enough.
    expect(codes(through(node("keep", "select", { mode: "keep", columns: [{ name: "id" }] })))).toEqual([]);
    expect(codes(through(node("drop", "select", { mode: "drop", columns: [{ name: "id" }] })))).toEqual([]);
  });

  it("refuses a source wider than MAX_COLUMNS and accepts one exactly that wide", () => {
    const wide = (n: number) => Array.from({ length: n }, (_, i) => ({ name: `c${i}`, type: "integer" }));
    expect(codes(graph([src("s", wide(MAX_COLUMNS)), sink("o")], [edge("e", "s", "o")]))).toEqual([]);
    const r = validateGraph(graph([src("s", wide(MAX_COLUMNS + 1)), sink("o")], [edge("e", "s", "o")]), emptyEnv);
    expect(r.problems.map((p) => [p.code, p.nodeId, p.port])).toEqual([["TOO_MANY_COLUMNS", "s", "out"]]);
    // A source has nothing before it: it was told to "keep fewer columns (a select node) before it".
    expect(r.problems[0]!.message).toMatch(/; read fewer columns \(a narrower file, query or table\)\.$/);
  });
});
