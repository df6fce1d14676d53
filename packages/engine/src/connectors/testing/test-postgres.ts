import { randomBytes } from "node:crypto";
import pg from "pg";
import type { PostgresConnectionSettings } from "../../connector.ts";

/** The local test server (trust auth); override with SLUICE_TEST_POSTGRES_URL. */
const ADMIN_URL = process.env.SLUICE_TEST_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";

export interface TestDatabase {
  name: string;
  settings: PostgresConnectionSettings;
  /** Runs SQL in the test database on a fresh connection. */
  sql<R extends pg.QueryResultRow = Record<string, unknown>>(text: string, values?: unknown[]): Promise<R[]>;
  drop(): Promise<void>;
}

/** A uniquely named database for one test file, dropped by `drop()`. */
export async function createTestDatabase(prefix: string): Promise<TestDatabase> {
  const name = `${prefix}_${randomBytes(5).toString("hex")}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(ADMIN_URL);
  const settings: PostgresConnectionSettings = {
    host: url.hostname,
    port: Number(url.port || 5432),
    database: name,
    user: decodeURIComponent(url.username || "postgres"),
    password: decodeURIComponent(url.password),
    sslMode: "disable",
  };
  return {
    name,
    settings,
    async sql(text, values) {
      const client = new pg.Client({ ...settings, ssl: false });
      await client.connect();
      try {
        return (await client.query(text, values)).rows;
      } finally {
        await client.end();
      }
    },
    async drop() {
      const client = new pg.Client({ connectionString: ADMIN_URL });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}
