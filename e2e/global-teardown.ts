import pg from "pg";

export default async function globalTeardown() {
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres" });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${process.env.SLUICE_E2E_DB} WITH (FORCE)`);
  } finally {
    await client.end();
  }
}
