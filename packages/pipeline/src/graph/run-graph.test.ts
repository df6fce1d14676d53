import { describe, expect, it } from "vitest";
import { compileGraph, compileUpTo } from "./compile-graph.ts";
import { validateGraph } from "./validate-graph.ts";
import { emptyEnv, HOSTILE_NAMES } from "../testing/duckdb-harness.ts";
import { edge, fileSink, graph, inlineSource, node } from "../testing/graph-builders.ts";
import { runCompiled } from "../testing/run-compiled.ts";

const [SEL, QUOTE, DROP] = HOSTILE_NAMES;
const source = inlineSource(
  "src",
  [{ name: "id", type: "integer" }, { name: QUOTE, type: "string" }, { name: SEL, type: "double" }, { name: DROP, type: "date" }],
  [
    [1, "alpha", 1.5, "2024-01-01"],
    [2, null, 2, null],
    [3, "ünï", -1e300, "1970-01-01"],
    [4, "beta", null, "2024-02-29"],
    [5, "alpha", 1e300, null],
    [6, "gamma", 0, "2000-12-31"],
  ],
);
const rule = (column: string, operator: string, extra: object = {}) => ({ kind: "rule", column, operator, ...extra });
const pipeline = graph(
  [
    source,
    node("keep", "filter", {
      condition: { kind: "group", op: "or", conditions: [rule(SEL, ">", { value: 0 }), rule(QUOTE, "starts_with", { value: "ü" })] },
    }),
    node("order", "sort", { keys: [{ column: QUOTE, direction: "asc", nulls: "first" }] }),
    node("top", "limit", { count: 3, skip: 1 }),
    fileSink("out"),
  ],
  [edge("e1", "src", "keep"), edge("e2", "keep", "order"), edge("e3", "order", "top"), edge("e4", "top", "out")],
);
const ids = (rows: Record<string, unknown>[] | undefined) => rows?.map((r) => r.id);

describe("a compiled graph runs on DuckDB", () => {
  it("inline -> filter -> sort -> limit -> sink, in row order", async () => {
    const v = validateGraph(pipeline, emptyEnv);
    expect(v.problems).toEqual([]);
    expect(v.schemas.top?.map((c) => c.name)).toEqual(["id", QUOTE, SEL, DROP]);
    const compiled = compileGraph(pipeline, emptyEnv);
    if (!compiled.ok) throw new Error(JSON.stringify(compiled.issues));
    expect(compiled.value.steps.map((s) => s.nodeId)).toEqual(["src", "keep", "order", "top", "out"]);
    expect(compiled.value.steps[1]!.relations).toEqual({ out: '"s_keep_out"' });
    const { relations, sinks } = await runCompiled(compiled.value);
    expect(ids(relations["src.out"])).toEqual([1, 2, 3, 4, 5, 6]);
    // Null compared with 0 is false: row 4 goes; row 3 is kept by the text rule.
    expect(ids(relations["keep.out"])).toEqual([1, 2, 3, 5]);
    // Nulls first, then byte order; the two "alpha" rows keep their input order.
    expect(ids(relations["order.out"])).toEqual([2, 1, 5, 3]);
    expect(relations["top.out"]).toEqual([
      { id: 1, [QUOTE]: "alpha", [SEL]: 1.5, [DROP]: "2024-01-01" },
      { id: 5, [QUOTE]: "alpha", [SEL]: 1e300, [DROP]: null },
      { id: 3, [QUOTE]: "ünï", [SEL]: -1e300, [DROP]: "1970-01-01" },
    ]);
    expect(ids(sinks.out)).toEqual([1, 5, 3]);
  });

  it("runs an empty source through the same graph", async () => {
    const empty = { ...pipeline, nodes: [{ ...source, config: { ...source.config, rows: [] } }, ...pipeline.nodes.slice(1)] };
    const compiled = compileGraph(empty, emptyEnv);
    if (!compiled.ok) throw new Error(JSON.stringify(compiled.issues));
    const { relations, sinks } = await runCompiled(compiled.value);
    expect(relations["top.out"]).toEqual([]);
    expect(sinks.out).toEqual([]);
  });

  it("previews up to a node without the rest of the graph", async () => {
    const broken = { ...pipeline, nodes: pipeline.nodes.map((n) => (n.id === "top" ? { ...n, config: { count: -1 } } : n)) };
    expect(compileGraph(broken, emptyEnv).ok).toBe(false);
    const upTo = compileUpTo(broken, emptyEnv, "order");
    if (!upTo.ok) throw new Error(JSON.stringify(upTo.issues));
    expect(upTo.value.steps.map((s) => s.nodeId)).toEqual(["src", "keep", "order"]);
    const { relations } = await runCompiled(upTo.value);
    expect(ids(relations["order.out"])).toEqual([2, 1, 5, 3]);
    expect(compileUpTo(broken, emptyEnv, "out").ok).toBe(false);
  });

  it("refuses a preview below a malformed edge", () => {
    const edges = pipeline.edges.map((e) => (e.id === "e2" ? { ...e, sourcePort: 7 } : e));
    const broken = { ...pipeline, edges } as unknown;
    const r = compileUpTo(broken, emptyEnv, "order");
    expect(!r.ok && r.issues.map((i) => [i.code, i.edgeId, i.field])).toEqual([["INVALID_GRAPH", "e2", "edges.1.sourcePort"]]);
    expect(compileUpTo(broken, emptyEnv, "src").ok).toBe(true);
  });
});
