import { mkdirSync, readdirSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { DuckDBInstance } from "@duckdb/node-api";
import { copyFromFile } from "@sluice/engine";
import { MONTHLY_COLUMNS, ORDERS_COLUMNS, tablesOf, withClient } from "./targets.ts";

/** Whitespace as the clean and retype nodes trim it: ASCII whitespace and every Unicode space separator. */
const TRIM = (x: string) => `regexp_replace(${x}, '^[\\s\\p{Z}]+|[\\s\\p{Z}]+$', '', 'g')`;
const WHOLE = "^[+-]?([0-9]{1,3}(,[0-9]{3})+|[0-9]+)$";
const DATES = "['%Y-%m-%d', '%d/%m/%Y']";
const DECIMAL = "^[+-]?(([0-9]{1,3}(,[0-9]{3})+|[0-9]+)(\\.[0-9]*)?|\\.[0-9]+)([eE][+-]?[0-9]+)?$";
/** As many connections as the PostgreSQL sink uses for a large load: one per core, at most 4. */
export const FLOOR_CONNECTIONS = Math.min(4, os.availableParallelism());

const lit = (s: string) => `'${s.replaceAll("'", "''")}'`;

const csvSql = (p: string, cols: string) => `read_csv(${lit(p)}, auto_detect = false, header = true, delim = ',', quote = '"', escape = '"', nullstr = '', columns = {${cols}})`;

/** The orders as read, stored first: a stored table numbers its rows by position (`rowid`) at no cost. */
function ordersSql(ordersPath: string): string {
  const cols = ["order_id", "customer_id", "order_date", "amount", "status"].map((c) => `'${c}': 'VARCHAR'`).join(", ");
  return `SELECT * FROM ${csvSql(ordersPath, cols)}`;
}

/**
 * The pipeline's work as one hand-written DuckDB query over the stored orders, with exactly its semantics: the
 * same trimming (Unicode spaces; an id or date is read as it is first and trimmed only when that fails, which gives
 * the same values for less), the same strict number patterns with thousands separators, both date formats,
 * exact decimal(18,2) amounts, keep-first dedupe in file order (nulls are one key), rows without an amount
 * dropped, the inner join in left-then-right order, the month, and the monthly totals.
 *
 * File order comes from the stored table's `rowid`: a `row_number() OVER ()` over the CSV scan instead keeps
 * every step after it in the same pipeline on one thread (9.2–9.7 s for this query at 5M orders, against
 * 0.9 s to store the rows plus 5.0–5.6 s for this one).
 */
function joinedSql(customersPath: string): string {
  const customerCols = ["customer_id", "name", "country"].map((c) => `'${c}': 'VARCHAR'`).join(", ");
  return `
    WITH cleaned AS (
      SELECT rowid AS rn, order_id, customer_id, order_date,
             nullif(nullif(${TRIM("amount")}, ''), 'n/a') AS amount, lower(${TRIM("status")}) AS status
      FROM orders
    ), typed AS (
      SELECT rn,
             CASE WHEN regexp_matches(order_id, '${WHOLE}') THEN TRY_CAST(replace(order_id, ',', '') AS BIGINT)
                  WHEN regexp_matches(${TRIM("order_id")}, '${WHOLE}') THEN TRY_CAST(replace(${TRIM("order_id")}, ',', '') AS BIGINT) END AS order_id,
             customer_id,
             CAST(COALESCE(TRY_STRPTIME(order_date, ${DATES}), TRY_STRPTIME(${TRIM("order_date")}, ${DATES})) AS DATE) AS order_date,
             CASE WHEN regexp_matches(amount, '${DECIMAL}') THEN TRY_CAST(replace(amount, ',', '') AS DECIMAL(18,2)) END AS amount, status
      FROM cleaned
    ), firsts AS (
      SELECT * FROM typed QUALIFY row_number() OVER (PARTITION BY order_id ORDER BY rn) = 1
    ), customers AS (
      SELECT row_number() OVER () AS rn, * FROM ${csvSql(customersPath, customerCols)}
    )
    SELECT d.order_id, d.customer_id, d.order_date, d.amount, d.status, c.name, c.country, CAST(date_trunc('month', d.order_date) AS DATE) AS month
    FROM firsts d JOIN customers c ON c.customer_id = d.customer_id
    WHERE d.amount IS NOT NULL
    ORDER BY d.rn, c.rn`;
}

/**
 * The same load as the PostgreSQL sink's fastest path, or better: DuckDB writes one CSV per thread (no pass to
 * find row boundaries), each COPYed over its own connection at once into a new table, which one transaction
 * then puts in place of the target (drop and rename), as the sink's replace does.
 */
async function loadParallel(url: string, table: string, columns: string, files: string[]): Promise<number> {
  const name = table.split(".")[1]!;
  const stage = `${table}_stage`;
  await withClient(url, async (c) => {
    await c.query(`DROP TABLE IF EXISTS ${stage}`);
    await c.query(`CREATE TABLE ${stage} (${columns})`);
  });
  const signal = new AbortController().signal;
  const queue = [...files];
  const lanes = await Promise.all(
    Array.from({ length: Math.min(FLOOR_CONNECTIONS, files.length) }, async () => {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        let rows = 0;
        for (let f = queue.shift(); f; f = queue.shift()) rows += await copyFromFile(client, `COPY ${stage} FROM STDIN WITH (FORMAT csv)`, f, signal);
        return rows;
      } finally {
        await client.end();
      }
    }),
  );
  await withClient(url, async (c) => {
    await c.query("BEGIN");
    await c.query(`DROP TABLE IF EXISTS ${table}`);
    await c.query(`ALTER TABLE ${stage} RENAME TO ${name}`);
    await c.query("COMMIT");
  });
  return lanes.reduce((a, b) => a + b, 0);
}

export interface FloorResult {
  seconds: number;
  rowsWritten: number;
  parquetPath: string;
}

/**
 * The benchmark pipeline's work written by hand as fast as we know how: the orders stored as read, one DuckDB
 * query, the Parquet file, and the PostgreSQL loads over parallel COPY. It uses DuckDB and pg directly; of Sluice
 * only the COPY streaming helper that the engine exports (the sink's own, so both load through the same client code).
 */
export async function handWrittenFloor(o: { ordersPath: string; customersPath: string; warehouseUrl: string; workDir: string }): Promise<FloorResult> {
  rmSync(o.workDir, { recursive: true, force: true });
  mkdirSync(path.join(o.workDir, "joined"), { recursive: true });
  const started = Date.now();
  const instance = await DuckDBInstance.create(":memory:", { preserve_insertion_order: "true", temp_directory: path.join(o.workDir, "spill") });
  const duck = await instance.connect();
  const parquetPath = path.join(o.workDir, "orders.parquet");
  const t = tablesOf("floor");
  try {
    await duck.run(`CREATE TABLE orders AS ${ordersSql(o.ordersPath)}`);
    await duck.run(`CREATE TABLE joined AS ${joinedSql(o.customersPath)}`);
    await duck.run("DROP TABLE orders");
    await duck.run(`CREATE TABLE totals AS SELECT country, month, CAST(sum(amount) AS DECIMAL(38,2)) AS revenue, count(*) AS orders FROM joined GROUP BY country, month`);
    // As the sink does: files of at most about 16 MiB per thread, copied largest first, so the connections finish together.
    await duck.run(`COPY joined TO ${lit(path.join(o.workDir, "joined"))} (FORMAT csv, HEADER false, PER_THREAD_OUTPUT true, FILE_SIZE_BYTES 16777216)`);
    await duck.run(`COPY totals TO ${lit(path.join(o.workDir, "totals.csv"))} (FORMAT csv, HEADER false)`);
    await withClient(o.warehouseUrl, (c) => c.query(`CREATE SCHEMA IF NOT EXISTS ${t.orders.split(".")[0]}`));
    const files = readdirSync(path.join(o.workDir, "joined"))
      .map((f) => path.join(o.workDir, "joined", f))
      .sort((a, b) => statSync(b).size - statSync(a).size);
    // PostgreSQL parses the COPY while DuckDB writes the Parquet file.
    const [joinedRows, , totalRows] = await Promise.all([
      loadParallel(o.warehouseUrl, t.orders, ORDERS_COLUMNS, files),
      duck.run(`COPY joined TO ${lit(parquetPath)} (FORMAT parquet)`),
      loadParallel(o.warehouseUrl, t.monthly, MONTHLY_COLUMNS, [path.join(o.workDir, "totals.csv")]),
    ]);
    return { seconds: (Date.now() - started) / 1000, rowsWritten: 2 * joinedRows + totalRows, parquetPath };
  } finally {
    duck.closeSync();
    instance.closeSync();
  }
}
