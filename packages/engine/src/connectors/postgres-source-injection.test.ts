import { chmodSync, existsSync, readdirSync, rmSync } from "node:fs";
import path from "node:path";
import fc from "fast-check";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Column } from "@sluice/model";
import { quoteIdent } from "@sluice/pipeline";
import { describePostgresSource, loadPostgresSource } from "./postgres-source.ts";
import { checkSourceQuery } from "./source-query-check.ts";
import { extendedQuery } from "./pg-extended-query.ts";
import { copyToFile } from "./pg-copy.ts";
import { createTestDatabase, type TestDatabase } from "./testing/test-postgres.ts";
import { openTestDuck } from "./testing/test-duck.ts";
import { tempDir, testLoadContext } from "./testing/test-context.ts";
import type { DuckExec } from "../connector.ts";

/**
 * The reported injection, end to end against a real PostgreSQL whose test user is a superuser, so a
 * statement that got through would really drop the table or run the program. Each test ends by proving
 * nothing happened: the victim table is whole, no table was created, no marker file was written.
 */
let db: TestDatabase;
let duck: DuckExec;
let closeDuck: () => void;
let work: ReturnType<typeof tempDir>;
/** Where PostgreSQL's server process (another OS user) may write, so COPY … TO PROGRAM 'touch …' would leave a file. */
let target: ReturnType<typeof tempDir>;
let marker: string;
let tables = 0;

beforeAll(async () => {
  db = await createTestDatabase("sluice_pg_injection");
  ({ duck, close: closeDuck } = await openTestDuck());
  work = tempDir("pg-injection");
  target = tempDir("pg-injection-target");
  chmodSync(target.dir, 0o777);
  marker = path.join(target.dir, "marker");
  await db.sql("CREATE TABLE victim (n int); INSERT INTO victim VALUES (1)");
});

afterAll(async () => {
  closeDuck?.();
  work?.remove();
  target?.remove();
  await db?.drop();
});

const payload = () => `COMMIT; DROP TABLE victim; CREATE TABLE attack_created (); COPY (SELECT 1) TO PROGRAM 'touch ${marker}'`;
const query = (sql: string) => ({ connectionId: "conn", mode: "query", schema: "public", table: "", sql });

async function untouched() {
  expect(await db.sql("SELECT count(*)::int AS n FROM victim")).toEqual([{ n: 1 }]);
  expect(await db.sql("SELECT to_regclass('attack_created') AS t")).toEqual([{ t: null }]);
  expect(existsSync(marker)).toBe(false);
}

/** Validation's path (describe) and preview's and run's path (load) for one query; the load only if described. */
async function validateAndLoad(sql: string) {
  const described = await describePostgresSource(db.settings, query(sql), "n1");
  if (!described.ok) return { described, loaded: undefined };
  const ctx = testLoadContext({ duck, workDir: work.dir, settings: db.settings, table: quoteIdent(`t_${tables++}`), columns: described.value });
  return { described, loaded: await loadPostgresSource(ctx, query(sql)) };
}

describe("the reported injection", () => {
  it("is caught by the test itself when it runs unchecked: the marker and the drop really happen as superuser", async () => {
    const control = path.join(target.dir, "control");
    await db.sql(`CREATE TABLE control_victim (); DROP TABLE control_victim; COPY (SELECT 1) TO PROGRAM 'touch ${control}'`);
    expect(existsSync(control)).toBe(true);
    expect(readdirSync(target.dir)).toEqual(["control"]);
    rmSync(control);
  });

  it("neither validates nor loads when \\r or \\r\\n ends the comment, and runs nothing", async () => {
    for (const end of ["\r", "\r\n", "\n"]) {
      const sql = `SELECT 1 AS x --${end}) AS q LIMIT 0; ${payload()}; SELECT * FROM (SELECT 1`;
      const described = await describePostgresSource(db.settings, query(sql), "n1");
      expect(!described.ok && described.issues.map((i) => [i.code, i.field])).toEqual([["SQL_SYNTAX", "sql"]]);
      const ctx = testLoadContext({ duck, workDir: work.dir, settings: db.settings, table: quoteIdent("t_reported"), columns: [{ name: "x", type: "integer" }] });
      const loaded = await loadPostgresSource(ctx, query(sql));
      expect(!loaded.ok && loaded.issues.map((i) => i.code)).toEqual(["SQL_SYNTAX"]);
      await untouched();
    }
  });

  it("with form feed or vertical tab, which do not end a comment, is one SELECT with the rest commented out, and runs as that", async () => {
    for (const end of ["\f", "\v"]) {
      const sql = `SELECT 1 AS x --${end}) AS q LIMIT 0; ${payload()}; SELECT * FROM (SELECT 1`;
      const { described, loaded } = await validateAndLoad(sql);
      expect(described).toEqual({ ok: true, value: [{ name: "x", type: "integer" }] });
      expect(loaded).toEqual({ ok: true, value: { rowsLoaded: 1 } });
      await untouched();
    }
  });
});

describe("semicolons and quotes inside one SELECT", () => {
  it("reads them as PostgreSQL does: the values come back and nothing else runs", async () => {
    const sql = [
      "SELECT ';' AS a, $t$; DROP TABLE victim; $$ $t$ AS b, E'\\'; DROP TABLE victim; --' AS c,",
      ` U&'\\0027; DROP TABLE victim' AS d, "x;y".n AS e, 'it''s' AS f`,
      ` FROM (SELECT 1 AS n) AS "x;y" /* ; DROP TABLE victim; /* nested; */ ; */ -- ; DROP TABLE victim`,
    ].join("");
    const { described, loaded } = await validateAndLoad(sql);
    expect(described.ok && described.value.map((c) => c.name)).toEqual(["a", "b", "c", "d", "e", "f"]);
    expect(loaded).toEqual({ ok: true, value: { rowsLoaded: 1 } });
    expect(await duck.query(`SELECT a, b, c, d, e, f FROM t_${tables - 1}`)).toEqual([
      { a: ";", b: "; DROP TABLE victim; $$ ", c: "'; DROP TABLE victim; --", d: "'; DROP TABLE victim", e: 1, f: "it's" },
    ]);
    await untouched();
  });

  it("reads string literals as the parser did, even where the database's default says otherwise", async () => {
    // With standard_conforming_strings off, 'a\' would not be closed by its second quote.
    await db.sql(`ALTER DATABASE ${quoteIdent(db.name)} SET standard_conforming_strings = off`);
    try {
      const { loaded } = await validateAndLoad("SELECT 'a\\' AS s");
      expect(loaded).toEqual({ ok: true, value: { rowsLoaded: 1 } });
      expect(await duck.query(`SELECT s FROM t_${tables - 1}`)).toEqual([{ s: "a\\" }]);
    } finally {
      await db.sql(`ALTER DATABASE ${quoteIdent(db.name)} RESET standard_conforming_strings`);
    }
  });
});

describe("comment and quoting tricks, fuzzed", () => {
  const tricks = [
    "--", "--\r", "--\n", "--\r\n", "--\f", "--\v", "/*", "*/", "/* /* */", "/* */ */", "/* /* */ */",
    "$$", "$a$", "$a$ $$", "$$ $a$", "$_1$", "E'", "E'\\'", "e'\\\\'", "E'\\''", "'", "''", "'a'';'",
    "U&'", "U&'\\0027'", "U&\"", "U&\"a;\"", " UESCAPE '!'", "\"", "\"\"", "\"a;\"", ";", ";;", ")", "(",
    " ", "\n", "\r", "\\", "'--'", "/*'*/", "$$'$$", "\"--\"", "\u0000",
  ];
  const pieces = () => [...tricks, `; ${payload()}`, "; COMMIT", " UNION SELECT 1", " FROM victim", ") AS q LIMIT 0; DROP TABLE victim; SELECT (1"];
  const texts = () => fc.array(fc.constantFrom(...pieces()), { minLength: 1, maxLength: 7 }).map((parts) => `SELECT 1 AS x ${parts.join("")}`);

  it("refuses each text, or proves it one read-only SELECT by running it and finding no side effect", async () => {
    let accepted = 0;
    await fc.assert(
      fc.asyncProperty(texts(), async (sql) => {
        const check = await checkSourceQuery(sql, { nodeId: "n1", field: "sql" });
        if (!check.ok) return;
        accepted++;
        const { described, loaded } = await validateAndLoad(sql);
        // What the check let through reached the database as one statement; it may still fail there (e.g. UNION of mismatched types).
        if (described.ok) expect(loaded?.ok, JSON.stringify(loaded)).toBe(true);
        await untouched();
      }),
      { numRuns: 400 },
    );
    // The property is only worth something if some tricky texts were accepted and run.
    expect(accepted).toBeGreaterThan(10);
  }, 120_000);
});

describe("the protocol, beneath the check", () => {
  it("refuses a second statement even in a text no check looked at", async () => {
    const client = new pg.Client({ ...db.settings, ssl: false });
    await client.connect();
    try {
      await expect(extendedQuery(client, "SELECT 1; DROP TABLE victim")).rejects.toThrow(/cannot insert multiple commands into a prepared statement/);
      const file = path.join(work.dir, "copy.csv");
      await expect(copyToFile(client, "COPY (SELECT 1) TO STDOUT; DROP TABLE victim", file, new AbortController().signal)).rejects.toThrow(/multiple commands/);
      // The connection is still usable afterwards.
      expect((await extendedQuery<{ n: number }>(client, "SELECT 1 AS n")).rows).toEqual([{ n: 1 }]);
    } finally {
      await client.end();
      rmSync(path.join(work.dir, "copy.csv"), { force: true });
    }
    await untouched();
  });
});

describe("system schemas", () => {
  it("refuses a table in pg_catalog and a query reading one, before connecting", async () => {
    const table = await describePostgresSource(db.settings, { connectionId: "conn", mode: "table", schema: "pg_catalog", table: "pg_authid" }, "n1");
    expect(!table.ok && table.issues.map((i) => [i.code, i.field])).toEqual([["SYSTEM_SCHEMA_REFUSED", "schema"]]);
    const read = await describePostgresSource(db.settings, query("SELECT rolname FROM pg_catalog.pg_authid"), "n1");
    expect(!read.ok && read.issues.map((i) => [i.code, i.field])).toEqual([["SYSTEM_SCHEMA_REFUSED", "sql"]]);
    const columns: Column[] = [{ name: "rolname", type: "string" }];
    const ctx = testLoadContext({ duck, workDir: work.dir, settings: db.settings, table: quoteIdent("t_catalog"), columns });
    const loaded = await loadPostgresSource(ctx, query("SELECT rolname FROM pg_authid"));
    expect(!loaded.ok && loaded.issues.map((i) => i.code)).toEqual(["SYSTEM_SCHEMA_REFUSED"]);
    expect(readdirSync(work.dir)).toEqual([]);
  });
});
