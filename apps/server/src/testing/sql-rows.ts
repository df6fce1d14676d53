import pg from "pg";

/** Runs one statement on its own connection and returns its rows: for tests that look at what landed in PostgreSQL. */
export async function sqlRows(databaseUrl: string, text: string, values: unknown[] = []): Promise<Record<string, unknown>[]> {
  const c = new pg.Client({ connectionString: databaseUrl });
  await c.connect();
  try {
    return (await c.query(text, values)).rows as Record<string, unknown>[];
  } finally {
    await c.end();
  }
}
