import pg from "pg";

/**
 * The two tables every contender writes, with the column types the pipeline's PostgreSQL sinks give them (from
 * the node types: bigint, text, date, decimal(18,2); the sum of a decimal(18,2) is a decimal(38,2)). The
 * pipeline writes `warehouse.bench_orders` and `warehouse.bench_monthly`; every other contender writes
 * `orders` and `monthly` in a schema of its own in the same database.
 */
export const ORDERS_COLUMNS = "order_id bigint, customer_id text, order_date date, amount numeric(18,2), status text, name text, country text, month date";
export const MONTHLY_COLUMNS = "country text, month date, revenue numeric(38,2), orders bigint";

export type Contender = "pipeline" | "floor" | "elt" | "pandas";

export function tablesOf(who: Contender): { orders: string; monthly: string } {
  if (who === "pipeline") return { orders: "warehouse.bench_orders", monthly: "warehouse.bench_monthly" };
  return { orders: `bench_${who}.orders`, monthly: `bench_${who}.monthly` };
}

export async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}
