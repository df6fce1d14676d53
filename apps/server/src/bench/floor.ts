import { mkdirSync } from "node:fs";
import pg from "pg";
import { DuckDBInstance } from "@duckdb/node-api";
// The floor uses the engine's own COPY streaming, so the comparison measures Sluice's overhead, not a different COPY.
import { copyFromFile } from "../../../../packages/engine/src/connectors/pg-copy.ts";

/**
 * The benchmark pipeline's work written by hand: one DuckDB statement, Parquet and CSV exports, then COPY
 * into PostgreSQL in one transaction. What Sluice adds on top of this is the price of its generality.
 */
export async function handWrittenFloor(o: { ordersPath: string; databaseUrl: string; workDir: string }) {
  mkdirSync(o.workDir, { recursive: true });
  const started = Date.now();
  const instance = await DuckDBInstance.create(":memory:", { preserve_insertion_order: "true" });
  const duck = await instance.connect();
  const q = (s: string) => s.replaceAll("'", "''");
  try {
    await duck.run(`
      CREATE TABLE orders AS
      WITH raw AS (SELECT * FROM read_csv('${q(o.ordersPath)}', header = true, all_varchar = true)),
      typed AS (
        SELECT order_id, customer_id,
               CAST(COALESCE(TRY_STRPTIME(order_date, '%Y-%m-%d'), TRY_STRPTIME(order_date, '%d/%m/%Y')) AS DATE) AS order_date,
               CASE WHEN trim(amount) = '' OR lower(trim(amount)) = 'n/a' THEN NULL ELSE TRY_CAST(replace(amount, ',', '') AS DOUBLE) END AS amount,
               lower(trim(status)) AS status
        FROM raw
      )
      SELECT order_id, customer_id, order_date, CAST(date_trunc('month', order_date) AS DATE) AS month, amount, status FROM typed`);
    await duck.run(`COPY orders TO '${q(o.workDir)}/orders.parquet' (FORMAT parquet)`);
    await duck.run(`COPY orders TO '${q(o.workDir)}/orders.csv' (FORMAT csv, HEADER false)`);
    const client = new pg.Client({ connectionString: o.databaseUrl });
    await client.connect();
    let rowsWritten = 0;
    try {
      await client.query("BEGIN");
      await client.query("CREATE TABLE floor_orders (order_id text, customer_id text, order_date date, month date, amount double precision, status text)");
      rowsWritten = await copyFromFile(client, "COPY floor_orders FROM STDIN WITH (FORMAT csv)", `${o.workDir}/orders.csv`, new AbortController().signal);
      await client.query("COMMIT");
    } finally {
      await client.end();
    }
    return { seconds: (Date.now() - started) / 1000, rowsWritten: rowsWritten * 2 };
  } finally {
    duck.closeSync();
    instance.closeSync();
  }
}
