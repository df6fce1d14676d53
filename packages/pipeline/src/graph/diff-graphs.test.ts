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
