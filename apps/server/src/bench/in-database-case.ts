import type pg from "pg";
import { copyFromFile } from "@sluice/engine";
import { benchGraph } from "./bench-pipeline.ts";
import type { BenchServer } from "./bench-server.ts";
import { fingerprint, rowDifferences } from "./compare.ts";
import { monthlySql, ordersSql } from "./peer-elt.ts";
import { BUILT_IN_WAREHOUSE_ID, savePipeline, type RunFigures } from "./pipeline-run.ts";
import { MONTHLY_COLUMNS, ORDERS_COLUMNS, withClient } from "./targets.ts";

/**
 * The data-in-PostgreSQL case: the orders and customers already sit in tables of the warehouse, and the same
 * pipeline (reading those tables, writing no Parquet file) runs inside PostgreSQL (`engine: database`), on DuckDB
 * in the worker (`engine: duckdb`: read out, computed, loaded back), and as hand-written SQL in the same database.
 */
export type InDatabaseContender = "database" | "duckdb" | "sql";
export const IN_DATABASE_CONTENDERS: InDatabaseContender[] = ["database", "duckdb", "sql"];

const SOURCE_SCHEMA = "bench_source";
const TABLES: Record<InDatabaseContender, { orders: string; monthly: string }> = {
  database: { orders: "warehouse.bench_indb_orders", monthly: "warehouse.bench_indb_monthly" },
  duckdb: { orders: "warehouse.bench_duck_orders", monthly: "warehouse.bench_duck_monthly" },
  sql: { orders: "bench_sql.orders", monthly: "bench_sql.monthly" },
};

export interface InDatabaseResult {
  orders: number;
  customers: number;
  rounds: number;
  /** COPY of the files into the source tables, and VACUUM ANALYZE (not timed against anyone). */
  loadS: number;
  seconds: Partial<Record<InDatabaseContender, number[]>>;
  rowsWritten: Partial<Record<InDatabaseContender, number>>;
  /** The median run of each pipeline, with its node times. */
  runs: Partial<Record<"database" | "duckdb", RunFigures>>;
  /** Against the run inside the database: an empty list when the outputs are equal. */
  differences: Partial<Record<"duckdb" | "sql", string[]>>;
}

/** The files as raw text tables (empty fields null, as the file source reads them), vacuumed, readable by the warehouse role. */
async function loadSourceTables(s: BenchServer, data: { ordersPath: string; customersPath: string }): Promise<number> {
  const started = Date.now();
  const signal = new AbortController().signal;
  await withClient(s.warehouseUrl, async (c) => {
    await c.query(`DROP SCHEMA IF EXISTS ${SOURCE_SCHEMA} CASCADE`);
    await c.query(`CREATE SCHEMA ${SOURCE_SCHEMA}`);
    await c.query(`CREATE TABLE ${SOURCE_SCHEMA}.orders (order_id text, customer_id text, order_date text, amount text, status text)`);
    await c.query(`CREATE TABLE ${SOURCE_SCHEMA}.customers (customer_id text, name text, country text)`);
    await copyFromFile(c, `COPY ${SOURCE_SCHEMA}.orders FROM STDIN WITH (FORMAT csv, HEADER true)`, data.ordersPath, signal);
    await copyFromFile(c, `COPY ${SOURCE_SCHEMA}.customers FROM STDIN WITH (FORMAT csv, HEADER true)`, data.customersPath, signal);
    // Data at rest, as in a warehouse: hint bits set and statistics taken, so no contender pays for the first read.
    await c.query(`VACUUM (FREEZE, ANALYZE) ${SOURCE_SCHEMA}.orders, ${SOURCE_SCHEMA}.customers`);
    const role = `"${s.warehouseRole.replaceAll('"', '""')}"`;
    await c.query(`GRANT USAGE ON SCHEMA ${SOURCE_SCHEMA} TO ${role}`);
    await c.query(`GRANT SELECT ON ALL TABLES IN SCHEMA ${SOURCE_SCHEMA} TO ${role}`);
  });
  return (Date.now() - started) / 1000;
}

/**
 * The same work as hand-written SQL in the same database, one INSERT … SELECT per target in one transaction, as
 * the pipeline's sinks replace theirs: the ELT peer's statement over the source tables, the table's physical order
 * (ctid: freshly loaded, never updated) standing for input order in keep-first dedupe.
 */
async function handWrittenSql(url: string): Promise<{ seconds: number; rowsWritten: number }> {
  const t = TABLES.sql;
  const started = Date.now();
  return withClient(url, async (c: pg.Client) => {
    await c.query("BEGIN");
    await c.query("CREATE SCHEMA IF NOT EXISTS bench_sql");
    await c.query(`DROP TABLE IF EXISTS ${t.orders}, ${t.monthly}`);
    await c.query(`CREATE TABLE ${t.orders} (${ORDERS_COLUMNS})`);
    const from = { orders: `${SOURCE_SCHEMA}.orders`, customers: `${SOURCE_SCHEMA}.customers`, position: "ctid" };
    const orders = (await c.query(ordersSql(from, t.orders))).rowCount ?? 0;
    await c.query(`CREATE TABLE ${t.monthly} (${MONTHLY_COLUMNS})`);
    const monthly = (await c.query(monthlySql(t.orders, t.monthly))).rowCount ?? 0;
    await c.query("COMMIT");
    return { seconds: (Date.now() - started) / 1000, rowsWritten: orders + monthly };
  });
}

async function differences(url: string, other: "duckdb" | "sql", verify: "fingerprint" | "rows"): Promise<string[]> {
  const found: string[] = [];
  await withClient(url, async (c) => {
    for (const k of ["orders", "monthly"] as const) {
      const [a, b] = [TABLES.database[k], TABLES[other][k]];
      if (verify === "rows") {
        const d = await rowDifferences(c, a, b);
        found.push(...d.onlyA.map((r) => `${k}: only the run in the database wrote ${r}`), ...d.onlyB.map((r) => `${k}: only ${other} wrote ${r}`));
      }
      const [fa, fb] = [await fingerprint(c, a), await fingerprint(c, b)];
      if (fa !== fb) found.push(`${k}: in the database ${fa}; ${other} ${fb}`);
    }
  });
  return found;
}

const middle = (runs: RunFigures[]) => [...runs].sort((a, b) => a.endToEndS - b.endToEndS)[Math.floor((runs.length - 1) / 2)]!;

/**
 * Loads the generated files into PostgreSQL, then alternates, round by round, the pipeline inside the database,
 * the same pipeline on DuckDB and the hand-written SQL; checks that all three wrote the same rows, and drops
 * everything it made in the warehouse (the source tables, every target) and its two pipelines.
 */
export async function runInDatabaseCase(
  s: BenchServer,
  data: { ordersPath: string; customersPath: string },
  o: { orders: number; customers: number; rounds: number; verify: "fingerprint" | "rows"; log: (m: string) => void },
): Promise<InDatabaseResult> {
  const count = (n: number) => n.toLocaleString("en-US");
  o.log(`data in PostgreSQL: loading ${count(o.orders)} orders and ${count(o.customers)} customers into tables`);
  const pipelines: Awaited<ReturnType<typeof savePipeline>>[] = [];
  try {
    const loadS = await loadSourceTables(s, data);
    const sources = { schema: SOURCE_SCHEMA, ordersTable: "orders", customersTable: "customers", connectionId: BUILT_IN_WAREHOUSE_ID };
    const target = (who: "database" | "duckdb") => ({ orders: TABLES[who].orders.split(".")[1]!, monthly: TABLES[who].monthly.split(".")[1]! });
    const inside = await savePipeline(s, benchGraph(sources, { engine: "database", targets: target("database") }), "Benchmark in the database");
    pipelines.push(inside);
    const duck = await savePipeline(s, benchGraph(sources, { engine: "duckdb", targets: target("duckdb") }), "Benchmark on DuckDB from PostgreSQL");
    pipelines.push(duck);
    const result: InDatabaseResult = { orders: o.orders, customers: o.customers, rounds: o.rounds, loadS, seconds: {}, rowsWritten: {}, runs: {}, differences: {} };
    const runs: Record<"database" | "duckdb", RunFigures[]> = { database: [], duckdb: [] };
    const timed = async (who: InDatabaseContender, task: () => Promise<{ seconds: number; rowsWritten: number }>) => {
      const r = await task();
      (result.seconds[who] ??= []).push(r.seconds);
      result.rowsWritten[who] = r.rowsWritten;
      o.log(`  ${who}: ${r.seconds.toFixed(2)} s`);
    };
    const pipelineRun = (who: "database" | "duckdb", p: typeof inside) => async () => {
      const r = await p.run();
      runs[who].push(r);
      return { seconds: r.endToEndS, rowsWritten: r.rowsWritten };
    };
    const worker = await s.startWorker();
    try {
      for (let round = 1; round <= o.rounds; round++) {
        o.log(`data in PostgreSQL, ${count(o.orders)} orders, round ${round} of ${o.rounds}`);
        await timed("database", pipelineRun("database", inside));
        await timed("sql", () => handWrittenSql(s.warehouseUrl));
        await timed("duckdb", pipelineRun("duckdb", duck));
      }
    } finally {
      await worker.stop();
    }
    result.runs = { database: middle(runs.database), duckdb: middle(runs.duckdb) };
    for (const other of ["duckdb", "sql"] as const) {
      result.differences[other] = await differences(s.warehouseUrl, other, o.verify);
      const d = result.differences[other];
      o.log(`  ${other}: ${d.length ? `outputs DIFFER from the run in the database: ${d.join("; ")}` : "outputs equal to the run in the database's"}`);
    }
    return result;
  } finally {
    for (const p of pipelines) await p.remove();
    await withClient(s.warehouseUrl, async (c) => {
      await c.query(`DROP SCHEMA IF EXISTS ${SOURCE_SCHEMA} CASCADE`);
      await c.query("DROP SCHEMA IF EXISTS bench_sql CASCADE");
      for (const who of ["database", "duckdb"] as const) await c.query(`DROP TABLE IF EXISTS ${TABLES[who].orders}, ${TABLES[who].monthly}`);
    });
  }
}
