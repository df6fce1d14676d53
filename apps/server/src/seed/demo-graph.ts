import type { PipelineGraph } from "@sluice/model";

/** The demo pipeline's graph; a test keeps it valid against the catalog. */
export function demoGraph(ids: { ordersFileId: string; customersFileId: string; connectionId: string }): PipelineGraph {
  return {
    formatVersion: 1,
    nodes: [
      { id: "orders", type: "file", label: "Orders", position: { x: 0, y: 0 }, config: { fileId: ids.ordersFileId, types: "text" } },
      { id: "customers", type: "file", label: "Customers", position: { x: 0, y: 220 }, config: { fileId: ids.customersFileId } },
      {
        id: "pick",
        type: "select",
        label: "Pick columns",
        position: { x: 260, y: 0 },
        config: { mode: "keep", columns: [{ name: "order_id" }, { name: "customer_id" }, { name: "order_date" }, { name: "amount" }, { name: "status" }] },
      },
      {
        id: "load",
        type: "postgres-sink",
        label: "Warehouse: orders",
        position: { x: 520, y: 0 },
        config: { connectionId: ids.connectionId, schema: "warehouse", table: "demo_orders", mode: "replace", keys: [] },
      },
      {
        id: "load_customers",
        type: "postgres-sink",
        label: "Warehouse: customers",
        position: { x: 520, y: 220 },
        config: { connectionId: ids.connectionId, schema: "warehouse", table: "demo_customers", mode: "replace", keys: [] },
      },
    ],
    edges: [
      { id: "e1", source: "orders", target: "pick" },
      { id: "e2", source: "pick", target: "load" },
      { id: "e3", source: "customers", target: "load_customers" },
    ],
  };
}
