import type { PipelineGraph } from "@sluice/model";

/**
 * The benchmark pipeline, built from the node types the catalog has today: read the orders as text, clean
 * and type them with expressions, and load them into PostgreSQL and Parquet. (Dedupe, join and group join
 * this benchmark as those nodes land; see docs/benchmarks.md.)
 */
export function benchGraph(ids: { ordersFileId: string; customersFileId: string; connectionId: string }): PipelineGraph {
  const derivations = [
    { column: "status", expression: "lower(trim(status))" },
    { column: "amount", expression: "if(trim(amount) = '' or lower(trim(amount)) = 'n/a', null, to_number(replace(amount, ',', '')))" },
    { column: "order_date", expression: "coalesce(parse_date(order_date, '%Y-%m-%d'), parse_date(order_date, '%d/%m/%Y'))" },
    { column: "month", expression: "date_trunc('month', order_date)" },
  ];
  return {
    formatVersion: 1,
    nodes: [
      { id: "orders", type: "file", position: { x: 0, y: 0 }, config: { fileId: ids.ordersFileId, types: "text" } },
      { id: "clean", type: "derive", position: { x: 250, y: 0 }, config: { derivations } },
      { id: "pick", type: "select", position: { x: 500, y: 0 }, config: { mode: "keep", columns: ["order_id", "customer_id", "order_date", "month", "amount", "status"].map((name) => ({ name })) } },
      { id: "to_pg", type: "postgres-sink", position: { x: 750, y: 0 }, config: { connectionId: ids.connectionId, schema: "warehouse", table: "bench_orders", mode: "replace", keys: [] } },
      { id: "to_parquet", type: "file-sink", position: { x: 750, y: 150 }, config: { name: "orders", format: "parquet" } },
    ],
    edges: [
      { id: "e1", source: "orders", target: "clean" },
      { id: "e2", source: "clean", target: "pick" },
      { id: "e3", source: "pick", target: "to_pg" },
      { id: "e4", source: "pick", target: "to_parquet" },
    ],
  };
}
