import { describe, expect, it } from "vitest";
import type { PipelineGraph } from "@sluice/model";
import { diffGraphs } from "./diff-graphs.ts";

const g = (nodes: PipelineGraph["nodes"], edges: PipelineGraph["edges"] = []): PipelineGraph => ({ formatVersion: 1, nodes, edges });
const n = (id: string, config: Record<string, unknown> = {}, x = 0) => ({ id, type: "filter", position: { x, y: 0 }, config });

describe("diffGraphs", () => {
  it("names added, removed and changed nodes and edges, and ignores where nodes sit", () => {
    const before = g([n("a"), n("b", { k: 1 }), n("gone")], [{ id: "e1", source: "a", target: "b" }]);
    const after = g([n("a", {}, 500), n("b", { k: 2 }), n("new")], [{ id: "e9", source: "a", target: "new" }]);
    expect(diffGraphs(before, after)).toEqual([
      'node "new" (filter) added',
      'node "gone" (filter) removed',
      'node "b" changed: config.k',
      "edge a.out → new.in added",
      "edge a.out → b.in removed",
    ]);
    expect(diffGraphs(before, before)).toEqual([]);
  });

  it("counts an input a union takes twice, and names inputs put in another order, since both change what a run gives", () => {
    const u = { id: "u", type: "union", position: { x: 0, y: 0 }, config: {} };
    const e = (id: string, source: string) => ({ id, source, target: "u" });
    const twice = g([n("a"), n("b"), u], [e("e1", "a"), e("e2", "a"), e("e3", "b")]);
    expect(diffGraphs(twice, g([n("a"), n("b"), u], [e("e1", "a"), e("e2", "a"), e("e4", "a"), e("e3", "b")]))).toEqual(["edge a.out → u.in added"]);
    expect(diffGraphs(twice, g([n("a"), n("b"), u], [e("e3", "b")]))).toEqual(["edge a.out → u.in removed (2 times)"]);
    expect(diffGraphs(twice, g([n("a"), n("b"), u], [e("e3", "b"), e("e1", "a"), e("e2", "a")]))).toEqual(["inputs of u.in reordered: b.out, a.out, a.out"]);
    // Other ids, the same inputs in the same order: nothing a run would notice.
    expect(diffGraphs(twice, g([n("a"), n("b"), u], [e("x1", "a"), e("x2", "a"), e("x3", "b")]))).toEqual([]);
  });
});

describe("diffGraphs and parameters", () => {
  it("names a change of where runs execute; auto and absent are the same", () => {
    expect(diffGraphs(g([n("a")]), { ...g([n("a")]), engine: "database" })).toEqual(["engine auto → database"]);
    expect(diffGraphs({ ...g([n("a")]), engine: "duckdb" }, { ...g([n("a")]), engine: "auto" })).toEqual(["engine duckdb → auto"]);
    expect(diffGraphs({ ...g([n("a")]), engine: "auto" }, g([n("a")]))).toEqual([]);
  });

  it("names parameters added, changed and removed", () => {
    const base = { formatVersion: 1 as const, nodes: [], edges: [] };
    const before = { ...base, parameters: [{ name: "a", type: "string" as const, default: "x" }, { name: "b", type: "integer" as const, default: 1 }] };
    const after = { ...base, parameters: [{ name: "a", type: "string" as const, default: "y" }, { name: "c", type: "date" as const, default: "2024-01-01" }] };
    expect(diffGraphs(before, after)).toEqual(['parameter "a" changed', 'parameter "c" (date) added', 'parameter "b" removed']);
    expect(diffGraphs(base, { ...base, parameters: [] })).toEqual([]);
  });
});
