import { readdirSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Column } from "@sluice/model";
import { quoteIdent } from "@sluice/pipeline";
import { describePostgresSource, loadPostgresSource } from "./postgres-source.ts";
import { createTestDatabase, type TestDatabase } from "./testing/test-postgres.ts";
import { openTestDuck } from "./testing/test-duck.ts";
import { tempDir, testLoadContext } from "./testing/test-context.ts";
import { startFakePostgres } from "./testing/fake-postgres.ts";
import type { DuckExec } from "../connector.ts";

let db: TestDatabase;
let duck: DuckExec;
let closeDuck: () => void;
let work: ReturnType<typeof tempDir>;

const SCHEMA = 'we"ird schema';
const TABLE = "select; drop";

beforeAll(async () => {
  db = await createTestDatabase("sluice_pg_source");
  ({ duck, close: closeDuck } = await openTestDuck());
  work = tempDir("pg-source");
  await db.sql(`CREATE SCHEMA ${quoteIdent(SCHEMA)}`);
  await db.sql(`CREATE TYPE mood AS ENUM ('sad', 'happy')`);
  await db.sql(`CREATE DOMAIN positive AS int4 CHECK (VALUE > 0)`);
  await db.sql(`CREATE TABLE ${quoteIdent(SCHEMA)}.${quoteIdent(TABLE)} (
    id int8 PRIMARY KEY, small int2, "a""b" int4, f float8, price numeric(10,2), ratio numeric, ok bool,
    day date, at timestamp, at_tz timestamptz, doc jsonb, tags int[], "ünï cödé" text, u uuid, m mood, p positive,
    "with space" varchar(20), t time)`);
  await db.sql(`INSERT INTO ${quoteIdent(SCHEMA)}.${quoteIdent(TABLE)} VALUES
    (1, 1, 2, 1.5, 12.34, 1.123456789, true, '2024-02-29', '2024-01-01 10:00:00.123456', '2024-01-01 10:00:00+02', '{"a": [1, "x"]}', '{1,2}',
     E'say "hi", \\n then'' bye', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', 'happy', 5, '', '12:30'),
    (2, NULL, NULL, 'Infinity', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)`);
  await db.sql(`CREATE TABLE counter (n int)`);
  await db.sql(`CREATE SEQUENCE seq`);
});

afterAll(async () => {
  closeDuck?.();
  work?.remove();
  await db?.drop();
});

const tableConfig = { connectionId: "conn", mode: "table", schema: SCHEMA, table: TABLE, sql: "" };
let tableColumns: Column[] = [];

describe("describePostgresSource", () => {
  it("maps Postgres types to Sluice types, with domains and enums", async () => {
    const r = await describePostgresSource(db.settings, tableConfig, "n1");
    expect(r.ok).toBe(true);
    tableColumns = r.ok ? r.value : [];
    expect(tableColumns).toEqual([
      { name: "id", type: "bigint" },
      { name: "small", type: "integer" },
      { name: 'a"b', type: "integer" },
      { name: "f", type: "double" },
      { name: "price", type: "decimal", precision: 10, scale: 2 },
      { name: "ratio", type: "decimal", precision: 38, scale: 9 },
      { name: "ok", type: "boolean" },
      { name: "day", type: "date" },
      { name: "at", type: "timestamp" },
      { name: "at_tz", type: "timestamp" },
      { name: "doc", type: "json" },
      { name: "tags", type: "json" },
      { name: "ünï cödé", type: "string" },
      { name: "u", type: "string" },
      { name: "m", type: "string" },
      { name: "p", type: "integer" },
      { name: "with space", type: "string" },
      { name: "t", type: "string" },
    ]);
  });

  it("describes a query", async () => {
    const r = await describePostgresSource(db.settings, { connectionId: "conn", mode: "query", sql: "SELECT 1 AS one, sum(price) AS total FROM (SELECT 1.5::numeric(4,1) AS price) x;" });
    expect(r).toEqual({ ok: true, value: [{ name: "one", type: "integer" }, { name: "total", type: "decimal", precision: 38, scale: 9 }] });
  });

  it("names a missing table on the table field", async () => {
    const r = await describePostgresSource(db.settings, { ...tableConfig, table: "nope" }, "n1");
    expect(!r.ok && r.issues[0]).toMatchObject({ code: "SOURCE_TABLE_NOT_FOUND", field: "table", nodeId: "n1" });
  });

  it("reports a syntax error on the sql field and refuses writes", async () => {
    const syntax = await describePostgresSource(db.settings, { connectionId: "conn", mode: "query", sql: "SELECT FROM WHERE" }, "n1");
    expect(!syntax.ok && syntax.issues[0]).toMatchObject({ code: "SQL_SYNTAX", field: "sql", nodeId: "n1" });
    const multi = await describePostgresSource(db.settings, { connectionId: "conn", mode: "query", sql: "SELECT 1; DROP TABLE counter" }, "n1");
    expect(!multi.ok && multi.issues[0]?.code).toBe("SQL_MULTIPLE_STATEMENTS");
    const cte = await describePostgresSource(db.settings, { connectionId: "conn", mode: "query", sql: "WITH d AS (DELETE FROM counter RETURNING *) SELECT * FROM d" }, "n1");
    expect(!cte.ok && cte.issues[0]).toMatchObject({ code: "SQL_NOT_READ_ONLY", field: "sql" });
    // An error only the database can see (an unknown column) still comes back with the database's words.
    const unknown = await describePostgresSource(db.settings, { connectionId: "conn", mode: "query", sql: "SELECT nope FROM counter" }, "n1");
    expect(!unknown.ok && unknown.issues[0]).toMatchObject({ code: "SOURCE_QUERY_FAILED", field: "sql", message: expect.stringContaining('column "nope" does not exist') });
  });

  it("gives a clear error for a wrong password, a refused port and a silent host, within 5 s", async () => {
    const fake = await startFakePostgres("wrong-password");
    try {
      const r = await describePostgresSource({ ...db.settings, port: fake.port, password: "wrong" }, tableConfig, "n1");
      expect(!r.ok && r.issues[0]).toMatchObject({ code: "SOURCE_UNREACHABLE", field: "connectionId" });
      expect(!r.ok && r.issues[0]?.message).toMatch(/password authentication failed/);
    } finally {
      await fake.close();
    }
    const refused = await describePostgresSource({ ...db.settings, port: 1 }, tableConfig, "n1");
    expect(!refused.ok && refused.issues[0]?.message).toMatch(/Nothing is listening on 127\.0\.0\.1:1/);

    const silent = await startFakePostgres("silent");
    const started = Date.now();
    try {
      const r = await describePostgresSource({ ...db.settings, port: silent.port }, tableConfig, "n1");
      expect(!r.ok && r.issues[0]?.message).toMatch(/within 5 seconds/);
      expect(Date.now() - started).toBeLessThan(7000);
    } finally {
      await silent.close();
    }
  }, 15_000);
});

describe("loadPostgresSource", () => {
  it("loads every type faithfully: nulls, empty strings, quotes, newlines, unicode, UTC timestamps", async () => {
    const ctx = testLoadContext({ duck, workDir: work.dir, settings: db.settings, table: quoteIdent("t_types"), columns: tableColumns });
    const r = await loadPostgresSource(ctx, tableConfig);
    expect(r).toEqual({ ok: true, value: { rowsLoaded: 2 } });
    const rows = await duck.query(`SELECT * FROM t_types ORDER BY __sluice_row`);
    expect(rows[0]).toEqual({
      id: "1", small: 1, 'a"b': 2, f: 1.5, price: "12.34", ratio: "1.123456789", ok: true, day: "2024-02-29",
      at: "2024-01-01 10:00:00.123456", at_tz: "2024-01-01 08:00:00", doc: '{"a": [1, "x"]}', tags: "[1,2]",
      "ünï cödé": `say "hi", \n then' bye`, u: "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", m: "happy", p: 5, "with space": "", t: "12:30:00",
      __sluice_row: "1",
    });
    expect(rows[1]).toMatchObject({ id: "2", small: null, f: "Infinity", "with space": null, doc: null, __sluice_row: "2" });
    const types = await duck.query(`SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 't_types'`);
    expect(types.map((t) => t.data_type)).toEqual([
      "BIGINT", "INTEGER", "INTEGER", "DOUBLE", "DECIMAL(10,2)", "DECIMAL(38,9)", "BOOLEAN", "DATE", "TIMESTAMP", "TIMESTAMP",
      "JSON", "JSON", "VARCHAR", "VARCHAR", "VARCHAR", "INTEGER", "VARCHAR", "VARCHAR", "BIGINT",
    ]);
    expect(readdirSync(work.dir)).toEqual([]);
  });

  it("keeps a query's ORDER BY over 20k rows", async () => {
    const columns: Column[] = [{ name: "n", type: "integer" }, { name: "label", type: "string" }];
    const ctx = testLoadContext({ duck, workDir: work.dir, settings: db.settings, table: quoteIdent("t_order"), columns });
    const sql = "SELECT n, 'row ' || n AS label FROM generate_series(1, 20000) n ORDER BY n DESC;";
    const r = await loadPostgresSource(ctx, { connectionId: "conn", mode: "query", sql });
    expect(r).toEqual({ ok: true, value: { rowsLoaded: 20000 } });
    const bad = await duck.query(`SELECT count(*) AS c FROM t_order WHERE n <> 20001 - __sluice_row OR label <> 'row ' || n`);
    expect(bad[0]?.c).toBe("0");
  });

  it("runs in a read-only transaction", async () => {
    const ctx = testLoadContext({ duck, workDir: work.dir, settings: db.settings, table: quoteIdent("t_seq"), columns: [{ name: "v", type: "bigint" }] });
    const r = await loadPostgresSource(ctx, { connectionId: "conn", mode: "query", sql: "SELECT nextval('seq') AS v" });
    expect(!r.ok && r.issues[0]).toMatchObject({ code: "SQL_NOT_READ_ONLY", field: "sql" });
  });

  it("notices a source whose columns changed since validation", async () => {
    const ctx = testLoadContext({ duck, workDir: work.dir, settings: db.settings, table: quoteIdent("t_changed"), columns: [{ name: "n", type: "string" }] });
    const r = await loadPostgresSource(ctx, { connectionId: "conn", mode: "table", schema: "public", table: "counter" });
    expect(!r.ok && r.issues[0]?.code).toBe("SOURCE_SCHEMA_CHANGED");
    expect(!r.ok && r.issues[0]?.message).toContain('"n" was string and is now integer');
  });

  it("stops at the statement timeout and on cancellation", async () => {
    const columns: Column[] = [{ name: "x", type: "integer" }];
    const sql = "SELECT 1 AS x FROM pg_sleep(3)";
    const slow = testLoadContext({ duck, workDir: work.dir, settings: db.settings, table: quoteIdent("t_slow"), columns });
    const timedOut = await loadPostgresSource(slow, { connectionId: "conn", mode: "query", sql }, { statementTimeoutMs: 1000 });
    expect(!timedOut.ok && timedOut.issues[0]?.code).toBe("SOURCE_TIMEOUT");

    const abort = new AbortController();
    const ctx = testLoadContext({ duck, workDir: work.dir, settings: db.settings, table: quoteIdent("t_cancel"), columns, signal: abort.signal });
    const started = Date.now();
    setTimeout(() => abort.abort(), 500);
    const r = await loadPostgresSource(ctx, { connectionId: "conn", mode: "query", sql: "SELECT 1 AS x FROM pg_sleep(5)" });
    expect(!r.ok && r.issues[0]?.code).toBe("LOAD_CANCELLED");
    // Cancelled at 500 ms, not after the query's 5 s.
    expect(Date.now() - started).toBeLessThan(4000);
  });

  it("ends the query in the database too when cancelled, not at the statement timeout", async () => {
    // A query that sends no row for a long while: closing the connection alone goes unnoticed by PostgreSQL.
    const sql = "SELECT 1 AS x FROM pg_sleep(40) AS cancelled_sleep_probe";
    const running = async () =>
      (await db.sql<{ n: number }>("SELECT count(*)::int AS n FROM pg_stat_activity WHERE query LIKE '%cancelled_sleep_probe%' AND pid <> pg_backend_pid()"))[0]!.n;
    const abort = new AbortController();
    const ctx = testLoadContext({ duck, workDir: work.dir, settings: db.settings, table: quoteIdent("t_cancel_db"), columns: [{ name: "x", type: "integer" }], signal: abort.signal });
    const load = loadPostgresSource(ctx, { connectionId: "conn", mode: "query", sql });
    const deadline = Date.now() + 5000;
    while ((await running()) === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(await running()).toBe(1);
    abort.abort();
    const r = await load;
    expect(!r.ok && r.issues[0]?.code).toBe("LOAD_CANCELLED");
    const gone = Date.now() + 5000;
    while ((await running()) > 0 && Date.now() < gone) await new Promise((r) => setTimeout(r, 200));
    expect(await running()).toBe(0);
  });

  it("reports an unknown connection", async () => {
    const ctx = testLoadContext({ duck, workDir: work.dir, settings: db.settings, table: quoteIdent("t_x"), columns: [] });
    const r = await loadPostgresSource(ctx, { ...tableConfig, connectionId: "other" });
    expect(!r.ok && r.issues[0]).toMatchObject({ code: "CONNECTION_NOT_FOUND", field: "connectionId" });
  });
});
