import { BUILT_IN_CONNECTION_ID } from "../connections/connection.repository.ts";

/**
 * A pipeline that fails at its join until fixed: warehouse.<orders> (its customer_ref text, one value not a number)
 * retyped to integer and joined with warehouse.<customers>, replacing warehouse.<target>. With onError "fail" the
 * retype stops the run at the join; "null" is the fix. Runs on DuckDB. Node ids: orders, customers, typed, joined, out.
 */
export function resumeGraph(t: { orders: string; customers: string; target: string }, onError: "fail" | "null", ordersLabel = "Orders") {
  const source = (id: string, table: string, label: string, x: number) => ({
    id,
    type: "postgres",
    label,
    position: { x, y: 0 },
    config: { connectionId: BUILT_IN_CONNECTION_ID, mode: "table", schema: "warehouse", table },
  });
  return {
    formatVersion: 1,
    // Node outputs are kept on DuckDB only; inside the database the run is one transaction with nothing to reuse.
    engine: "duckdb",
    nodes: [
      source("orders", t.orders, ordersLabel, 0),
      source("customers", t.customers, "Customers", 0),
      { id: "typed", type: "retype", label: "Customer ref as number", position: { x: 200, y: 0 }, config: { columns: [{ column: "customer_ref", to: "integer" }], onError } },
      { id: "joined", type: "join", label: "Orders with customers", position: { x: 400, y: 0 }, config: { kind: "inner", keys: [{ left: "customer_ref", right: "id" }] } },
      { id: "out", type: "postgres-sink", label: "Order report", position: { x: 600, y: 0 }, config: { connectionId: BUILT_IN_CONNECTION_ID, schema: "warehouse", table: t.target, mode: "replace" } },
    ],
    edges: [
      { id: "e1", source: "orders", target: "typed" },
      { id: "e2", source: "typed", target: "joined", targetPort: "left" },
      { id: "e3", source: "customers", target: "joined", targetPort: "right" },
      { id: "e4", source: "joined", target: "out" },
    ],
  };
}

/** The tables resumeGraph reads: 5 orders (one customer_ref "n/a") and 3 customers. */
export const resumeTablesSql = (t: { orders: string; customers: string }) => [
  `CREATE TABLE warehouse.${t.orders} (id integer PRIMARY KEY, customer_ref text, amount numeric(10,2))`,
  `INSERT INTO warehouse.${t.orders} VALUES (1, '1', 10.50), (2, '2', 20.00), (3, 'n/a', 5.25), (4, '3', 7.00), (5, '1', 1.75)`,
  `CREATE TABLE warehouse.${t.customers} (id integer PRIMARY KEY, name text)`,
  `INSERT INTO warehouse.${t.customers} VALUES (1, 'Ada'), (2, 'Grace'), (3, 'Edsger')`,
];
