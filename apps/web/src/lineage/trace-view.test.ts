import { describe, expect, it } from "vitest";
import type { PipelineGraph } from "@sluice/model";
import { columnLineage, traceColumn } from "@sluice/pipeline";
import { lineageEnvironment } from "./lineage-environment.ts";
import { describeTrace, nodeOrigins, traceHighlight } from "./trace-view.ts";

const file = { id: "f1", name: "orders.csv", size: 1, format: "csv" as const, rowCount: 2, renamedColumns: [], createdAt: "2026-12-06T00:00:00Z" };
const graph: PipelineGraph = {
  formatVersion: 1,
  nodes: [
    { id: "orders", type: "file", label: "orders", position: { x: 0, y: 0 }, config: { fileId: "f1" } },
    { id: "paid", type: "filter", label: "paid", position: { x: 0, y: 0 }, config: { condition: { kind: "group", op: "and", conditions: [{ kind: "rule", column: "status", operator: "is_not_null" }] } } },
    { id: "by_c", type: "group", label: "by country", position: { x: 0, y: 0 }, config: { keys: ["country"], aggregations: [{ column: "amount", fn: "sum", as: "revenue" }] } },
  ],
  edges: [
    { id: "e1", source: "orders", target: "paid" },
    { id: "e2", source: "paid", target: "by_c" },
  ],
} as PipelineGraph;
const env = lineageEnvironment(
  [{ ...file, columns: [{ name: "amount", type: "double" }, { name: "country", type: "string" }, { name: "status", type: "string" }, { name: "id", type: "integer" }] }],
  [],
  {},
);

describe("column trace for the canvas", () => {
  const lineage = columnLineage(graph, env);

  it("works out lineage in the browser from the files list", () => {
    expect(lineage.problems.filter((p) => p.severity === "error")).toEqual([]);
    expect(Object.keys(lineage.nodes).sort()).toEqual(["by_c", "orders", "paid"]);
  });

  it("marks each node on the path with the columns the value flows through, and those that only decide rows", () => {
    const h = traceHighlight(traceColumn(lineage, { nodeId: "by_c", column: "revenue" }));
    expect(h.get("by_c")).toEqual({ columns: ["revenue"], rows: [], role: "start" });
    expect(h.get("paid")?.columns).toEqual(["amount"]);
    expect(h.get("paid")?.rows).toContain("country");
    expect(h.get("orders")?.columns).toEqual(["amount"]);
    expect(h.get("orders")?.rows).toEqual(expect.arrayContaining(["status", "country"]) as unknown);
    expect(h.get("orders")?.role).toBe("upstream");
  });

  it("says in one sentence where the value comes from, through which nodes, and what decides its rows", () => {
    const text = describeTrace(traceColumn(lineage, { nodeId: "by_c", column: "revenue" }), graph);
    expect(text).toMatch(/^revenue ← amount in orders\.csv via paid; rows decided by /);
    expect(text).toContain("status in orders.csv");
    expect(text).toContain("country in orders.csv");
  });

  it("lists a node's output columns with their origin", () => {
    const [out] = nodeOrigins(lineage, "by_c", graph);
    expect(out?.columns).toContain("revenue = sum(amount) from paid");
    expect(out?.columns).toContain("country: identity of paid.country");
    expect(nodeOrigins(lineage, "orders", graph)[0]?.columns).toContain("id: identity of orders.csv.id");
    expect(nodeOrigins(lineage, "paid", graph)[0]?.rows).toBe("status of orders (filter)");
  });
});
