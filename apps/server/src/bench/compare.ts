import path from "node:path";
import type pg from "pg";
import { DuckDBInstance } from "@duckdb/node-api";

/**
 * Columns (name and type, in order), row count and a fingerprint of the rows in any order: the sum of a 64-bit
 * hash of each row's text. Two tables with equal fingerprints hold the same rows with the same types.
 */
export async function fingerprint(c: pg.Client, table: string): Promise<string> {
  const [schema, name] = table.split(".");
  const cols = await c.query<{ d: string }>(
    `SELECT string_agg(column_name || ' ' || format_type(a.atttypid, a.atttypmod), ', ' ORDER BY ordinal_position) AS d
       FROM information_schema.columns i JOIN pg_attribute a ON a.attrelid = (quote_ident(i.table_schema) || '.' || quote_ident(i.table_name))::regclass AND a.attname = i.column_name
      WHERE table_schema = $1 AND table_name = $2`,
    [schema, name],
  );
  const rows = await c.query<{ n: string; h: string }>(`SELECT count(*) AS n, coalesce(sum(hashtextextended(t::text, 0)::numeric), 0) AS h FROM ${table} t`);
  return `${cols.rows[0]?.d}; ${rows.rows[0]?.n} rows; ${rows.rows[0]?.h}`;
}

/** Rows one table has and the other has not (as many times as they repeat), up to `limit` each way, for a test's message. */
export async function rowDifferences(c: pg.Client, a: string, b: string, limit = 5): Promise<{ onlyA: string[]; onlyB: string[] }> {
  const only = async (x: string, y: string) =>
    (await c.query<{ r: string }>(`SELECT t::text AS r FROM (SELECT * FROM ${x} EXCEPT ALL SELECT * FROM ${y}) t LIMIT ${limit}`)).rows.map((r) => r.r);
  return { onlyA: await only(a, b), onlyB: await only(b, a) };
}

/**
 * Differences between two Parquet files, row for row in file order (the pipeline's file keeps its input order),
 * with their column types: an empty list when they are the same.
 */
export async function parquetDifferences(a: string, b: string, spillDir: string, limit = 5): Promise<string[]> {
  const instance = await DuckDBInstance.create(":memory:", { preserve_insertion_order: "true", temp_directory: path.join(spillDir, "compare-spill") });
  const duck = await instance.connect();
  const lit = (s: string) => `'${s.replaceAll("'", "''")}'`;
  try {
    const rows = async (sql: string) => (await duck.runAndReadAll(sql)).getRowObjectsJson().map((r) => JSON.stringify(r));
    const schema = async (p: string) => (await rows(`SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM read_parquet(${lit(p)}))`)).join(", ");
    const [sa, sb] = [await schema(a), await schema(b)];
    if (sa !== sb) return [`columns differ: ${sa} against ${sb}`];
    const numbered = (p: string) => `SELECT row_number() OVER () AS position, * FROM read_parquet(${lit(p)})`;
    const onlyA = await rows(`SELECT * FROM (${numbered(a)} EXCEPT ALL ${numbered(b)}) ORDER BY position LIMIT ${limit}`);
    const onlyB = await rows(`SELECT * FROM (${numbered(b)} EXCEPT ALL ${numbered(a)}) ORDER BY position LIMIT ${limit}`);
    return [...onlyA.map((r) => `only in ${a}: ${r}`), ...onlyB.map((r) => `only in ${b}: ${r}`)];
  } finally {
    duck.closeSync();
    instance.closeSync();
  }
}
