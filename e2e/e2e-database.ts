import { spawnSync } from "node:child_process";
import { rmSync } from "node:fs";
import pg from "pg";
import { warehouseNames } from "../apps/server/src/warehouse/warehouse-names.ts";

export const adminUrl = process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";

const quoteIdent = (name: string) => `"${name.replaceAll('"', '""')}"`;
/**
 * The run's database, and the warehouse database and role the server makes beside it at start (as with any
 * DATABASE_URL whose user may); roles outlive databases, so they go too.
 */
const dropSql = (name: string) => {
  const wh = warehouseNames(name);
  // One statement each: DROP DATABASE refuses to run inside the transaction a multi-statement query makes.
  return [
    `DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`,
    `DROP DATABASE IF EXISTS ${quoteIdent(wh.database)} WITH (FORCE)`,
    `DROP ROLE IF EXISTS ${quoteIdent(wh.role)}`,
  ];
};

/**
 * The built-in warehouse of the run's server (its own database beside the metadata one), as the admin user:
 * tests read what pipelines loaded, and make tables there owned by the warehouse role, as a pipeline would.
 */
export const warehouse = () => warehouseNames(process.env.SLUICE_E2E_DB!);

/** The URL of database `name` on the same server as DATABASE_URL. */
export function databaseUrl(name: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${encodeURIComponent(name)}`;
  return url.toString();
}

async function onDatabase(url: string, ...statements: string[]): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    for (const sql of statements) await client.query(sql);
  } finally {
    await client.end();
  }
}

const onAdmin = (...statements: string[]) => onDatabase(adminUrl, ...statements);

/** SQL in the run's built-in warehouse, as the admin user (tables a test reads from or cleans up). */
export const warehouseSql = (sql: string) => onDatabase(databaseUrl(warehouse().database), sql);

export const createDatabase = (name: string) => onAdmin(`CREATE DATABASE ${quoteIdent(name)}`);

/** FORCE: the server under test may still hold connections when teardown runs. */
export const dropDatabase = (name: string) => onAdmin(...dropSql(name));

/** Drops the run's database and data directory, once; later calls do nothing. */
export async function cleanUpRun(): Promise<void> {
  if (process.env.SLUICE_E2E_CLEANED) return;
  process.env.SLUICE_E2E_CLEANED = "1";
  const { SLUICE_E2E_DB: db, SLUICE_E2E_DATA: data } = process.env;
  try {
    if (db) await dropDatabase(db);
  } finally {
    if (data) rmSync(data, { recursive: true, force: true });
  }
}

/**
 * The same, for an "exit" handler, where nothing asynchronous can run: a short child process does the drop.
 * Playwright skips globalTeardown when webServer fails to start; this keeps such runs from leaving databases behind.
 */
export function cleanUpRunSync(cwd: string): void {
  if (process.env.SLUICE_E2E_CLEANED) return;
  process.env.SLUICE_E2E_CLEANED = "1";
  const { SLUICE_E2E_DB: db, SLUICE_E2E_DATA: data } = process.env;
  if (db) {
    const script = `import pg from "pg"; const c = new pg.Client({ connectionString: process.env.ADMIN_URL }); await c.connect(); for (const s of JSON.parse(process.env.DROP_SQL)) await c.query(s); await c.end();`;
    const res = spawnSync(process.execPath, ["--input-type=module", "-e", script], {
      cwd,
      env: { ...process.env, ADMIN_URL: adminUrl, DROP_SQL: JSON.stringify(dropSql(db)) },
      stdio: "inherit",
      timeout: 15_000,
    });
    if (res.status !== 0) console.error(`Could not drop the e2e database ${db}; drop it by hand.`);
  }
  if (data) rmSync(data, { recursive: true, force: true });
}
