import { readFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { copyToFile } from "./pg-copy.ts";
import { tempDir } from "./testing/test-context.ts";

const ADMIN_URL = process.env.SLUICE_TEST_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";

describe("copyToFile", () => {
  let client: pg.Client;
  let work: ReturnType<typeof tempDir>;
  beforeAll(async () => {
    client = new pg.Client({ connectionString: ADMIN_URL });
    await client.connect();
    work = tempDir("pg-copy");
  });
  afterAll(async () => {
    await client.end();
    work.remove();
  });

  // node-postgres hands each CopyData message as a view into its socket buffer, which it reuses for later data:
  // a chunk the file stream still held was overwritten before it was written (rows garbled with message headers,
  // seen reading 500k rows from PostgreSQL on a loaded machine). Many small messages against a file that lags behind.
  it("writes exactly the rows PostgreSQL sent, however far the file lags behind the socket", async () => {
    const rows = 300_000;
    const file = path.join(work.dir, "rows.csv");
    const n = await copyToFile(client, `COPY (SELECT i, md5(i::text) FROM generate_series(1, ${rows}) i) TO STDOUT WITH (FORMAT csv)`, file, new AbortController().signal);
    expect(n).toBe(rows);
    const text = readFileSync(file, "utf8");
    const check = await client.query<{ h: string; bytes: string }>(
      `SELECT md5(string_agg(i || ',' || md5(i::text) || E'\\n', '' ORDER BY i)) AS h, sum(length(i || ',' || md5(i::text)) + 1) AS bytes FROM generate_series(1, ${rows}) i`,
    );
    expect(text.length).toBe(Number(check.rows[0]!.bytes));
    expect((await client.query<{ h: string }>("SELECT md5($1) AS h", [text])).rows[0]!.h).toBe(check.rows[0]!.h);
  });
});
