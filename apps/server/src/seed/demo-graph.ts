import type { PipelineGraph } from "@sluice/model";

/**
 * The demo pipeline's graph; seed-demo.test.ts keeps it valid against the catalog and runs it. Cards are 360 px
 * apart, as the editor's auto-layout spaces them, so each edge's row count has room between two cards.
 */
export function demoGraph(ids: { ordersFileId: string; customersFileId: string; connectionId: string }): PipelineGraph {
  const node = (id: string, type: string, label: string, x: number, y: number, config: Record<string, unknown>) => ({ id, type, label, position: { x, y }, config });
  return {
    formatVersion: 1,
    nodes: [
      node("orders", "file", "Orders (raw text)", 0, 0, { fileId: ids.ordersFileId, types: "text" }),
      node("clean", "clean", "Tidy status and amount", 360, 0, {
        columns: [
          { column: "status", operations: [{ op: "trim" }, { op: "case", to: "lower" }] },
          { column: "amount", operations: [{ op: "trim" }, { op: "null_if", values: ["", "n/a"] }] },
        ],
      }),
      node("retype", "retype", "Types", 720, 0, {
        columns: [
          { column: "order_date", to: "date", formats: ["%Y-%m-%d", "%d/%m/%Y"] },
          // Money as a decimal, so sums are exact cents (a double sum shows 11147.309999999998).
          { column: "amount", to: "decimal", precision: 12, scale: 2 },
        ],
        onError: "null",
      }),
      node("dedupe", "dedupe", "One row per order", 1080, 0, { keys: ["order_id"], keep: "first" }),
      node("has_amount", "filter", "Has an amount", 1440, 0, {
        condition: { kind: "group", op: "and", conditions: [{ kind: "rule", column: "amount", operator: "is_not_null" }] },
      }),
      node("customers", "file", "Customers", 1440, 200, { fileId: ids.customersFileId }),
      node("join", "join", "Add customer", 1800, 100, { kind: "inner", keys: [{ left: "customer_id", right: "customer_id" }] }),
      node("by_country", "group", "Revenue by country", 2160, 100, {
        keys: ["country"],
        aggregations: [
          { column: "amount", fn: "sum", as: "revenue" },
          { fn: "count", as: "orders" },
        ],
      }),
      node("load", "postgres-sink", "warehouse.revenue_by_country", 2520, 100, {
        connectionId: ids.connectionId,
        schema: "warehouse",
        table: "revenue_by_country",
        mode: "replace",
        keys: [],
      }),
    ],
    edges: [
      { id: "e1", source: "orders", target: "clean" },
      { id: "e2", source: "clean", target: "retype", sourcePort: "out" },
      { id: "e3", source: "retype", sourcePort: "out", target: "dedupe" },
      { id: "e4", source: "dedupe", target: "has_amount" },
      { id: "e5", source: "has_amount", target: "join", targetPort: "left" },
      { id: "e6", source: "customers", target: "join", targetPort: "right" },
      { id: "e7", source: "join", target: "by_country" },
      { id: "e8", source: "by_country", target: "load" },
    ],
  };
}
