import { describe, expect, it } from "vitest";
import { checkSourceQuery, proveWrapped } from "./source-query-check.ts";

const where = { nodeId: "n1", field: "sql" };
const codes = async (sql: string) => {
  const r = await checkSourceQuery(sql, where);
  return r.ok ? ["OK"] : r.issues.map((i) => i.code);
};

/** The query from the report: a `--` comment ended by \r, then a second statement that leaves the read-only transaction. */
export const REPORTED = (end: string) =>
  `SELECT 1 AS x --${end}) AS q LIMIT 0; COMMIT; COPY (SELECT 1) TO PROGRAM 'touch /tmp/pwned'; SELECT * FROM (SELECT 1`;

describe("checkSourceQuery", () => {
  it("refuses the reported query, whose comment PostgreSQL ends at \\r", async () => {
    for (const end of ["\r", "\r\n"]) {
      const r = await checkSourceQuery(REPORTED(end), where);
      expect(!r.ok && r.issues).toEqual([expect.objectContaining({ code: "SQL_SYNTAX", nodeId: "n1", field: "sql" })]);
      expect(!r.ok && r.issues[0]?.message).toMatch(/syntax error at or near "\)" \(line 2, column 1\)/);
    }
  });

  it("reads a comment that form feed or vertical tab do not end as the comment it is: one SELECT, the rest commented out", async () => {
    for (const end of ["\f", "\v"]) {
      const r = await checkSourceQuery(REPORTED(end), where);
      expect(r.ok && r.value.sql).toBe(REPORTED(end));
      // Wrapped, our own newline ends the comment, and the text is proven to be one SELECT over the same query.
      const proven = r.ok && (await proveWrapped(`SELECT * FROM (\n${r.value.sql}\n) AS q LIMIT 0`, "select", r.value, where));
      expect(proven && proven.ok).toBe(true);
    }
  });

  it("accepts one SELECT in its forms, keeping the statement without what follows it", async () => {
    expect(await checkSourceQuery("  select 1 AS a;  -- done", where)).toMatchObject({ ok: true, value: { sql: "select 1 AS a" } });
    for (const sql of [
      "WITH a AS (SELECT 1) SELECT * FROM a",
      "(SELECT 1) UNION (SELECT 2) ORDER BY 1",
      "VALUES (1), (2)",
      "TABLE sales.orders",
      "SELECT ';' AS a, 'it''s; fine' AS \"x;y\", $$;$$ AS d, $t$ ; $$ ; $t$ AS e, E'\\';' AS f, U&'\\0027;' AS g, U&\"a;\" FROM (SELECT 1 AS \"a;\") s",
      "SELECT 1 /* ; /* nested ; */ still ; */ AS a -- ;\n",
      "SELECT 'é' AS \"naïve\"; ",
    ]) {
      expect(await codes(sql), sql).toEqual(["OK"]);
    }
    // Offsets are bytes in the parser: the cut after multibyte characters is still exact.
    expect(await checkSourceQuery("SELECT 'ééé' AS \"ü\"; -- après", where)).toMatchObject({ ok: true, value: { sql: "SELECT 'ééé' AS \"ü\"" } });
  });

  it("refuses more than one statement, and anything but a SELECT", async () => {
    expect(await codes("SELECT 1; DROP TABLE t")).toEqual(["SQL_MULTIPLE_STATEMENTS"]);
    expect(await codes("SELECT 1; SELECT 2;")).toEqual(["SQL_MULTIPLE_STATEMENTS"]);
    expect(await codes("SELECT 1 AS x; COMMIT")).toEqual(["SQL_MULTIPLE_STATEMENTS"]);
    for (const sql of ["DELETE FROM t", "COMMIT", "COPY (SELECT 1) TO PROGRAM 'id'", "CREATE TABLE t AS SELECT 1", "SET search_path = x", "CALL p()", "DO $$ BEGIN END $$", "EXPLAIN ANALYZE DELETE FROM t"]) {
      expect(await codes(sql), sql).toEqual(["SQL_NOT_SELECT"]);
    }
    const drop = await checkSourceQuery("drop table t", where);
    expect(!drop.ok && drop.issues[0]?.message).toContain("a DROP statement");
    expect(await codes("  -- nothing\n/* at all */ ;")).toEqual(["SQL_REQUIRED"]);
  });

  it("refuses a NUL character, at which the parser would stop reading", async () => {
    const r = await checkSourceQuery("SELECT 1 AS x\u0000; DROP TABLE t", where);
    expect(!r.ok && r.issues[0]).toMatchObject({ code: "SQL_SYNTAX", message: expect.stringContaining("NUL character (U+0000) at line 1, column 14") });
  });

  it("reports a syntax error with PostgreSQL's message and where it is", async () => {
    const r = await checkSourceQuery("SELECT 1,\n  FROM t", where);
    expect(!r.ok && r.issues[0]).toMatchObject({ code: "SQL_SYNTAX", field: "sql", message: expect.stringMatching(/syntax error at or near "FROM" \(line 2, column 3\)/) });
    for (const sql of ["SELECT 'abc", 'SELECT "abc', "SELECT $x$abc", "SELECT 1 /* open", "SELECT E'\\'"]) expect(await codes(sql), sql).toEqual(["SQL_SYNTAX"]);
  });

  it("refuses what writes or locks inside a SELECT", async () => {
    expect(await codes("WITH d AS (DELETE FROM t RETURNING *) SELECT * FROM d")).toEqual(["SQL_NOT_READ_ONLY"]);
    expect(await codes("WITH d AS (INSERT INTO t VALUES (1) RETURNING *) SELECT 1")).toEqual(["SQL_NOT_READ_ONLY"]);
    expect(await codes("WITH a AS (SELECT 1), d AS (UPDATE t SET a = 1 RETURNING a) SELECT * FROM a")).toEqual(["SQL_NOT_READ_ONLY"]);
    expect(await codes("SELECT 1 AS a INTO new_table")).toEqual(["SQL_NOT_READ_ONLY"]);
    expect(await codes("SELECT * FROM t FOR UPDATE")).toEqual(["SQL_NOT_READ_ONLY"]);
    expect(await codes("SELECT * FROM (SELECT * FROM t FOR SHARE SKIP LOCKED) s")).toEqual(["SQL_NOT_READ_ONLY"]);
  });

  it("refuses relations in PostgreSQL's or Sluice's own schemas, however written", async () => {
    for (const sql of [
      "SELECT * FROM pg_catalog.pg_tables",
      "SELECT * FROM PG_CATALOG.pg_authid",
      'SELECT * FROM "pg_catalog"."pg_shadow"',
      'SELECT * FROM U&"\\0070g_catalog".pg_class', // a Unicode escape is decoded by the parser
      "SELECT * FROM pg_catalog . pg_class /* spaced */",
      "SELECT * FROM information_schema.tables",
      "SELECT * FROM pgboss.job",
      "SELECT * FROM pg_toast.pg_toast_1262",
      "SELECT * FROM pg_temp.t",
      "SELECT 1 WHERE EXISTS (SELECT 1 FROM public.t JOIN pg_catalog.pg_roles r ON true)",
      "WITH x AS (SELECT * FROM information_schema.columns) SELECT * FROM x",
      "SELECT * FROM pg_authid", // unqualified pg_* names are looked up in pg_catalog first
      "TABLE pg_catalog.pg_user",
    ]) {
      expect(await codes(sql), sql).toEqual(["SYSTEM_SCHEMA_REFUSED"]);
    }
    expect(await codes("SELECT * FROM public.pg_events")).toEqual(["OK"]);
    expect(await codes('SELECT * FROM "PGCATALOG".t, sales."pg_catalog", information_schema_copy.t')).toEqual(["OK"]);
  });

  it("refuses functions that reach files, settings, sessions or SQL of their own", async () => {
    for (const sql of [
      "SELECT pg_read_file('/etc/passwd')",
      "SELECT pg_catalog.pg_read_binary_file('/etc/passwd')",
      "SELECT * FROM pg_ls_dir('.') AS f",
      "SELECT PG_STAT_FILE('x')",
      'SELECT U&"\\0070g_read_file"(\'/etc/passwd\')',
      "SELECT lo_import('/etc/passwd')",
      "SELECT lo_export(1, '/tmp/x')",
      "SELECT pg_terminate_backend(pid) FROM public.sessions",
      "SELECT pg_cancel_backend(1)",
      "SELECT set_config('standard_conforming_strings', 'off', false)",
      "SELECT dblink_exec('dbname=postgres', 'DROP TABLE t')",
      "SELECT * FROM dblink('dbname=postgres', 'SELECT 1') AS t(a int)",
      "SELECT query_to_xml('DELETE FROM t RETURNING 1', true, true, '')",
      "SELECT 1 WHERE (SELECT count(*) FROM ts_stat('SELECT 1')) > 0",
    ]) {
      expect(await codes(sql), sql).toEqual(["SQL_FUNCTION_REFUSED"]);
    }
    expect(await codes("SELECT now(), pg_catalog.lower('A'), current_setting('TimeZone'), pg_sleep(0)")).toEqual(["OK"]);
  });

  it("names every problem once", async () => {
    const r = await checkSourceQuery("SELECT pg_read_file('a'), pg_read_file('b') FROM pg_catalog.pg_class FOR UPDATE", where);
    expect(!r.ok && r.issues.map((i) => i.code).sort()).toEqual(["SQL_FUNCTION_REFUSED", "SQL_NOT_READ_ONLY", "SYSTEM_SCHEMA_REFUSED"]);
  });
});

describe("proveWrapped", () => {
  const checked = async (sql: string) => {
    const r = await checkSourceQuery(sql, where);
    if (!r.ok) throw new Error(r.issues[0]?.message);
    return r.value;
  };

  it("accepts Sluice's own wrappers around the checked query", async () => {
    const q = await checked("SELECT a FROM t WHERE b = 'x;y' -- trailing");
    expect((await proveWrapped(`SELECT * FROM (\n${q.sql}\n) AS q LIMIT 0`, "select", q, where)).ok).toBe(true);
    expect((await proveWrapped(`COPY (SELECT q."a" FROM (\n${q.sql}\n) AS q) TO STDOUT WITH (FORMAT csv)`, "copy", q, where)).ok).toBe(true);
  });

  it("refuses a text that is more than the one wrapped query, or a COPY that does not go to the client", async () => {
    const q = await checked("SELECT 1 AS x");
    const refused = async (text: string, shape: "select" | "copy") => {
      const r = await proveWrapped(text, shape, q, where);
      return !r.ok && r.issues[0]?.code;
    };
    expect(await refused("SELECT * FROM (\nSELECT 1 AS x\n) AS q LIMIT 0; COMMIT", "select")).toBe("SQL_NOT_SELECT");
    expect(await refused("SELECT * FROM (\nSELECT 2 AS x\n) AS q LIMIT 0", "select")).toBe("SQL_NOT_SELECT");
    expect(await refused("SELECT * FROM (\nSELECT 1 AS x\n) AS q, (SELECT 1) AS r", "select")).toBe("SQL_NOT_SELECT");
    expect(await refused("COPY (SELECT * FROM (\nSELECT 1 AS x\n) AS q) TO PROGRAM 'id'", "copy")).toBe("SQL_NOT_SELECT");
    expect(await refused("COPY (SELECT * FROM (\nSELECT 1 AS x\n) AS q) TO '/tmp/out'", "copy")).toBe("SQL_NOT_SELECT");
    expect(await refused("COPY t FROM STDIN", "copy")).toBe("SQL_NOT_SELECT");
    expect(await refused("SELECT * FROM (\nSELECT 1 AS x\n) AS q", "copy")).toBe("SQL_NOT_SELECT");
  });
});
