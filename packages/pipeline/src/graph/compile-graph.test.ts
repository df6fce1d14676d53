import { describe, expect, it } from "vitest";
import type { PipelineGraph } from "@sluice/model";
import { compileGraph, compileUpTo } from "./compile-graph.ts";
import { canonicalizeGraph } from "./canonicalize-graph.ts";
import { emptyEnv } from "../testing/duckdb-harness.ts";
import { runCompiled } from "../testing/run-compiled.ts";

const g: PipelineGraph = {
  formatVersion: 1,
  nodes: [
    {
      id: "src",
      type: "inline",
      position: { x: 0, y: 0 },
      config: { columns: [{ name: "id", type: "integer" }, { name: "select", type: "string" }], rows: [[3, "c"], [1, "a"], [2, null]] },
    },
    { id: "pick", type: "select", position: { x: 1, y: 0 }, config: { columns: [{ name: "select", rename: "label" }, { name: "id" }] } },
    { id: "out", type: "file-sink", position: { x: 2, y: 0 }, config: { name: "out", format: "csv" } },
  ],
  edges: [
    { id: "e1", source: "src", target: "pick" },
    { id: "e2", source: "pick", target: "out" },
  ],
};

describe("compileGraph", () => {
  it("compiles to steps in run order whose SQL really runs on DuckDB, in input order", async () => {
    const compiled = compileGraph(g, emptyEnv);
    expect(compiled.ok).toBe(true);
    if (!compiled.ok) return;
    expect(compiled.value.steps.map((s) => [s.nodeId, s.step.kind])).toEqual([
      ["src", "query"],
      ["pick", "query"],
      ["out", "sink"],
    ]);
    const { relations, sinks } = await runCompiled(compiled.value);
    expect(compiled.value.steps[1]!.relations).toEqual({ out: '"s_pick_out"' });
    expect(relations["pick.out"]).toEqual([
      { label: "c", id: 3 },
      { label: "a", id: 1 },
      { label: null, id: 2 },
    ]);
    expect(Object.keys(sinks.out![0]!)).toEqual(["label", "id"]);
  });

  it("refuses an invalid graph with every problem", () => {
    const broken = { ...g, edges: [g.edges[1]!] };
    const r = compileGraph(broken, emptyEnv);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.issues.map((i) => i.code)).toContain("PORT_INPUT_MISSING");
  });

  it("compiles only what a node depends on, ignoring problems elsewhere", () => {
    const withBrokenBranch: PipelineGraph = {
      ...g,
      nodes: [...g.nodes, { id: "lonely", type: "select", position: { x: 0, y: 5 }, config: {} }],
    };
    expect(compileGraph(withBrokenBranch, emptyEnv).ok).toBe(false);
    const r = compileUpTo(withBrokenBranch, emptyEnv, "pick");
    expect(r.ok && r.value.steps.map((s) => s.nodeId)).toEqual(["src", "pick"]);
    expect(compileUpTo(withBrokenBranch, emptyEnv, "nope").ok).toBe(false);
  });
});

describe("canonicalizeGraph", () => {
  it("orders keys stably and is idempotent", () => {
    const messy = {
      edges: [{ target: "b", id: "e", source: "a" }],
      nodes: [{ config: { z: 1, a: { y: 2, b: 3 } }, position: { y: 2, x: 1 }, type: "select", id: "b", label: "L" }],
      formatVersion: 1,
    } as unknown as PipelineGraph;
    const c = canonicalizeGraph(messy);
    expect(JSON.stringify(c)).toBe(
      '{"formatVersion":1,"nodes":[{"id":"b","type":"select","label":"L","position":{"x":1,"y":2},"config":{"a":{"b":3,"y":2},"z":1}}],"edges":[{"id":"e","source":"a","target":"b"}]}',
    );
    expect(canonicalizeGraph(c)).toEqual(c);
  });
});
