import type { PipelineGraph } from "@sluice/model";

/** Where the benchmark pipeline reads: the two uploaded files, or two tables of its PostgreSQL connection (all text columns). */
export type BenchSources = { ordersFileId: string; customersFileId: string } | { schema: string; ordersTable: string; customersTable: string };

export interface BenchGraphOptions {
  /** The pipeline's engine setting; absent is auto. */
  engine?: "duckdb" | "database";
  /** The two tables of schema "warehouse" it writes; default bench_orders and bench_monthly. */
  targets?: { orders: string; monthly: string };
}

/**
 * The benchmark pipeline: clean, retype, dedupe, drop rows with no amount, join customers, derive the month,
 * group by country and month; the joined rows go to PostgreSQL, the monthly totals to PostgreSQL, and, when it
 * reads files, the joined rows to Parquet too (a run inside the database writes no files).
 */
export function benchGraph(ids: BenchSources & { connectionId: string }, o: BenchGraphOptions = {}): PipelineGraph {
  const node = (id: string, type: string, x: number, y: number, config: Record<string, unknown>) => ({ id, type, position: { x, y }, config });
  const pg = (table: string) => ({ connectionId: ids.connectionId, schema: "warehouse", table, mode: "replace", keys: [] });
  const targets = o.targets ?? { orders: "bench_orders", monthly: "bench_monthly" };
  const files = "ordersFileId" in ids;
  const table = (name: string) => ({ connectionId: ids.connectionId, mode: "table", schema: files ? "" : ids.schema, table: name, sql: "" });
  return {
    formatVersion: 1,
    ...(o.engine ? { engine: o.engine } : {}),
    nodes: [
      files ? node("orders", "file", 0, 0, { fileId: ids.ordersFileId, types: "text" }) : node("orders", "postgres", 0, 0, table(ids.ordersTable)),
      node("clean", "clean", 200, 0, {
        columns: [
          { column: "status", operations: [{ op: "trim" }, { op: "case", to: "lower" }] },
          { column: "amount", operations: [{ op: "trim" }, { op: "null_if", values: ["", "n/a"] }] },
        ],
      }),
      node("retype", "retype", 400, 0, {
        columns: [
          { column: "order_id", to: "bigint" },
          { column: "order_date", to: "date", formats: ["%Y-%m-%d", "%d/%m/%Y"] },
          // Money as an exact decimal: sums are then exact, so every contender's totals can be compared to the cent.
          { column: "amount", to: "decimal", precision: 18, scale: 2 },
        ],
        onError: "null",
      }),
      node("dedupe", "dedupe", 600, 0, { keys: ["order_id"], keep: "first" }),
      node("has_amount", "filter", 800, 0, { condition: { kind: "group", op: "and", conditions: [{ kind: "rule", column: "amount", operator: "is_not_null" }] } }),
      files ? node("customers", "file", 800, 200, { fileId: ids.customersFileId }) : node("customers", "postgres", 800, 200, table(ids.customersTable)),
      node("join", "join", 1000, 0, { kind: "inner", keys: [{ left: "customer_id", right: "customer_id" }] }),
      node("month", "derive", 1200, 0, { derivations: [{ column: "month", expression: "date_trunc('month', order_date)" }] }),
      node("totals", "group", 1400, 100, {
        keys: ["country", "month"],
        aggregations: [
          { column: "amount", fn: "sum", as: "revenue" },
          { fn: "count", as: "orders" },
        ],
      }),
      node("joined_pg", "postgres-sink", 1400, -100, pg(targets.orders)),
      ...(files ? [node("joined_parquet", "file-sink", 1400, -250, { name: "orders", format: "parquet" })] : []),
      node("totals_pg", "postgres-sink", 1600, 100, pg(targets.monthly)),
    ],
    edges: [
      { id: "e1", source: "orders", target: "clean" },
      { id: "e2", source: "clean", target: "retype" },
      { id: "e3", source: "retype", sourcePort: "out", target: "dedupe" },
      { id: "e4", source: "dedupe", target: "has_amount" },
      { id: "e5", source: "has_amount", target: "join", targetPort: "left" },
      { id: "e6", source: "customers", target: "join", targetPort: "right" },
      { id: "e7", source: "join", target: "month" },
      { id: "e8", source: "month", target: "totals" },
      { id: "e9", source: "month", target: "joined_pg" },
      ...(files ? [{ id: "e10", source: "month", target: "joined_parquet" }] : []),
      { id: "e11", source: "totals", target: "totals_pg" },
    ],
  };
}
