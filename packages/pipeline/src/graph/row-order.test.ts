import { describe, expect, it } from "vitest";
import type { PipelineEdge, PipelineGraph, PipelineNode } from "@sluice/model";
import { compileGraph, compileUpTo } from "./compile-graph.ts";
import { emptyEnv } from "../testing/duckdb-harness.ts";
import { runCompiled } from "../testing/run-compiled.ts";

const at = { x: 0, y: 0 };
const orders: PipelineNode = {
  id: "orders",
  type: "inline",
  position: at,
  config: { columns: [{ name: "id", type: "integer" }, { name: "cid", type: "integer" }, { name: "amount", type: "integer" }], rows: [[1, 10, 5], [2, 20, 7], [3, 10, 1], [4, 30, 2]] },
};
const customers: PipelineNode = {
  id: "customers",
  type: "inline",
  position: at,
  config: { columns: [{ name: "cid", type: "integer" }, { name: "name", type: "string" }], rows: [[20, "b"], [10, "a"], [30, "c"]] },
};
const join: PipelineNode = { id: "join", type: "join", position: at, config: { kind: "inner", keys: [{ left: "cid", right: "cid" }] } };
const dbSink: PipelineNode = { id: "db", type: "postgres-sink", position: at, config: { connectionId: "c1", table: "t" } };
const fileSink: PipelineNode = { id: "file", type: "file-sink", position: at, config: { name: "out", format: "csv" } };

/** orders ⋈ customers, then `chain` in a line, ending in `sink`. */
function graph(chain: PipelineNode[], sink: PipelineNode): PipelineGraph {
  const line = [join, ...chain, sink];
  const edges: PipelineEdge[] = [
    { id: "l", source: "orders", target: "join", targetPort: "left" },
    { id: "r", source: "customers", target: "join", targetPort: "right" },
    ...line.slice(1).map((n, i) => ({ id: `e${i}`, source: line[i]!.id, target: n.id })),
  ];
  return { formatVersion: 1, nodes: [orders, customers, ...line], edges };
}

function compiled(g: PipelineGraph) {
  const r = compileGraph(g, emptyEnv);
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.value;
}
const sqlOf = (p: ReturnType<typeof compiled>, id: string) => {
  const step = p.steps.find((s) => s.nodeId === id)!.step;
  return step.kind === "query" ? Object.values(step.outputs).join(" ") : step.kind === "sink" ? step.input : "";
};
const byId = (rows: Record<string, unknown>[]) => [...rows].sort((a, b) => Number(a.id) - Number(b.id));

describe("row order where it is observed", () => {
  it("a join read only by a database table numbers nothing and gives the same rows", async () => {
    const g = graph([], dbSink);
    const run = compiled(g);
    expect(sqlOf(run, "join")).not.toContain("row_number");
    expect(sqlOf(run, "db")).not.toContain("ORDER BY");
    const preview = compileUpTo(g, emptyEnv, "join");
    expect(preview.ok && sqlOf(preview.value, "join")).toContain("row_number");
    const unordered = (await runCompiled(run)).sinks.db!;
    const ordered = (await runCompiled(preview.ok ? preview.value : run)).relations["join.out"]!;
    expect(byId(unordered)).toEqual(byId(ordered));
    expect(ordered.map((r) => r.id)).toEqual([1, 2, 3, 4]);
  });

  it("a sort whose order only a table reads is left out; before a file it sorts", () => {
    const sort: PipelineNode = { id: "sort", type: "sort", position: at, config: { keys: [{ column: "amount", direction: "desc" }] } };
    expect(sqlOf(compiled(graph([sort], dbSink)), "sort")).not.toContain("ORDER BY");
    expect(sqlOf(compiled(graph([sort], fileSink)), "sort")).toContain("ORDER BY");
  });

  it("numbers the join when something downstream reads its order, through nodes that keep it", async () => {
    const filter: PipelineNode = { id: "filter", type: "filter", position: at, config: { rules: [{ column: "amount", operator: "gt", value: 1 }] } };
    const limit: PipelineNode = { id: "limit", type: "limit", position: at, config: { count: 2 } };
    const firstName: PipelineNode = { id: "group", type: "group", position: at, config: { keys: ["cid"], aggregations: [{ fn: "first", column: "name" }] } };
    const count: PipelineNode = { id: "group", type: "group", position: at, config: { keys: ["cid"], aggregations: [{ fn: "count" }] } };
    for (const [chain, sink] of [[[filter, limit], dbSink], [[firstName], dbSink], [[count], fileSink], [[filter], fileSink]] as const) {
      expect(sqlOf(compiled(graph([...chain], sink)), "join"), chain.map((n) => n.type).join(" → ")).toContain("row_number");
    }
    expect(sqlOf(compiled(graph([filter, count], dbSink)), "join")).not.toContain("row_number");
    const limited = await runCompiled(compiled(graph([filter, limit], dbSink)));
    expect(limited.sinks.db!.map((r) => r.id)).toEqual([1, 2]);
  });
});
