import { mkdirSync } from "node:fs";
import pg from "pg";
import { DuckDBInstance } from "@duckdb/node-api";
// The floor uses the engine's own COPY streaming, so the comparison measures Sluice's overhead, not a different COPY.
import { copyFromFile } from "@sluice/engine";

/**
 * The benchmark pipeline's work written by hand: one DuckDB script, a Parquet export, then COPY into
 * PostgreSQL in one transaction per table. What Sluice adds on top of this is the price of its generality.
 */
export async function handWrittenFloor(o: { ordersPath: string; customersPath: string; databaseUrl: string; workDir: string }) {
  mkdirSync(o.workDir, { recursive: true });
  const started = Date.now();
  const instance = await DuckDBInstance.create(":memory:", { preserve_insertion_order: "true" });
  const duck = await instance.connect();
  const q = (s: string) => s.replaceAll("'", "''");
  try {
    await duck.run(`
      CREATE TABLE joined AS
      WITH raw AS (
        SELECT *, row_number() OVER () AS rn FROM read_csv('${q(o.ordersPath)}', header = true, all_varchar = true)
      ), typed AS (
        SELECT TRY_CAST(order_id AS BIGINT) AS order_id, customer_id,
               CAST(COALESCE(TRY_STRPTIME(order_date, '%Y-%m-%d'), TRY_STRPTIME(order_date, '%d/%m/%Y')) AS DATE) AS order_date,
               TRY_CAST(replace(NULLIF(NULLIF(trim(amount), ''), 'n/a'), ',', '') AS DOUBLE) AS amount,
               lower(trim(status)) AS status, rn
        FROM raw
      ), deduped AS (
        SELECT * FROM typed QUALIFY row_number() OVER (PARTITION BY order_id ORDER BY rn) = 1
      ), customers AS (
        SELECT * FROM read_csv('${q(o.customersPath)}', header = true)
      )
      SELECT d.order_id, d.customer_id, d.order_date, d.amount, d.status, c.name, c.country,
             CAST(date_trunc('month', d.order_date) AS DATE) AS month
      FROM deduped d JOIN customers c ON c.customer_id = d.customer_id
      WHERE d.amount IS NOT NULL
      ORDER BY d.rn`);
    await duck.run(`
      CREATE TABLE totals AS
      SELECT country, month, sum(amount) AS revenue, count(*) AS orders FROM joined GROUP BY ALL ORDER BY country, month`);
    await duck.run(`COPY joined TO '${q(o.workDir)}/joined.parquet' (FORMAT parquet)`);
    await duck.run(`COPY joined TO '${q(o.workDir)}/joined.csv' (FORMAT csv, HEADER false)`);
    await duck.run(`COPY totals TO '${q(o.workDir)}/totals.csv' (FORMAT csv, HEADER false)`);
    const client = new pg.Client({ connectionString: o.databaseUrl });
    await client.connect();
    let rowsWritten = 0;
    const signal = new AbortController().signal;
    try {
      await client.query("BEGIN");
      // Dropped in the load's transaction, as the pipeline's replace does; the bench repeats the floor.
      await client.query("DROP TABLE IF EXISTS floor_joined");
      await client.query(
        "CREATE TABLE floor_joined (order_id bigint, customer_id text, order_date date, amount double precision, status text, name text, country text, month date)",
      );
      rowsWritten += await copyFromFile(client, "COPY floor_joined FROM STDIN WITH (FORMAT csv)", `${o.workDir}/joined.csv`, signal);
      await client.query("COMMIT");
      await client.query("BEGIN");
      await client.query("DROP TABLE IF EXISTS floor_totals");
      await client.query("CREATE TABLE floor_totals (country text, month date, revenue double precision, orders bigint)");
      rowsWritten += await copyFromFile(client, "COPY floor_totals FROM STDIN WITH (FORMAT csv)", `${o.workDir}/totals.csv`, signal);
      await client.query("COMMIT");
    } finally {
      await client.end();
    }
    // The Parquet file holds the joined rows once more, as the pipeline's Parquet sink does.
    const joinedRows = Number((await duck.runAndReadAll("SELECT count(*) FROM joined")).getRows()[0]?.[0] ?? 0);
    return { seconds: (Date.now() - started) / 1000, rowsWritten: rowsWritten + joinedRows };
  } finally {
    duck.closeSync();
    instance.closeSync();
  }
}
