import { randomBytes } from "node:crypto";
import pg from "pg";
import { migrate, migrationsDir } from "../db/migrator.ts";

/** The server tests run against; CI points DATABASE_URL at the machine's PostgreSQL. */
export const adminUrl = process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";

function withDatabase(url: string, name: string) {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

export async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export interface TestDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

/**
 * A fresh database per test suite, so suites run in parallel without seeing each other's rows. `owner:
 * "unprivileged"` makes it belong to a role of its own with no power to create roles or databases, as a
 * hosted PostgreSQL often gives Sluice; the role is dropped with the database.
 */
export async function createTestDatabase(options: { migrate?: boolean; owner?: "admin" | "unprivileged" } = {}): Promise<TestDatabase> {
  const name = `sluice_test_${randomBytes(6).toString("hex")}`;
  const owner = options.owner === "unprivileged" ? `${name}_owner` : undefined;
  await admin(async (c) => {
    if (owner) await c.query(`CREATE ROLE ${owner} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE`);
    await c.query(`CREATE DATABASE ${name}${owner ? ` OWNER ${owner}` : ""}`);
  });
  let url = withDatabase(adminUrl, name);
  if (owner) {
    const u = new URL(url);
    u.username = owner;
    u.password = "";
    url = u.toString();
  }
  if (options.migrate !== false) await migrate(url, migrationsDir);
  return {
    url,
    name,
    drop: () =>
      admin(async (c) => {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        if (owner) await c.query(`DROP ROLE IF EXISTS ${owner}`);
      }),
  };
}
