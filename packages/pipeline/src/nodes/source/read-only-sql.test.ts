import { describe, expect, it } from "vitest";
import { checkReadOnlySelect } from "./read-only-sql.ts";

const code = (sql: string) => {
  const r = checkReadOnlySelect(sql);
  return r.ok ? "OK" : r.code;
};

describe("checkReadOnlySelect", () => {
  it("accepts one SELECT or WITH statement and strips a trailing semicolon", () => {
    expect(checkReadOnlySelect("  select 1;  ")).toEqual({ ok: true, sql: "select 1" });
    expect(checkReadOnlySelect("WITH a AS (SELECT 1) SELECT * FROM a")).toEqual({ ok: true, sql: "WITH a AS (SELECT 1) SELECT * FROM a" });
    expect(code("(SELECT 1) UNION (SELECT 2);")).toBe("OK");
    expect(code("-- leading comment\n/* and /* nested */ one */ SELECT 1; -- trailing")).toBe("OK");
  });

  it("ignores semicolons inside strings, identifiers, dollar quotes and comments", () => {
    expect(code("SELECT ';' AS a, 'it''s; fine' AS \"x;y\"")).toBe("OK");
    expect(code("SELECT E'a\\';b' AS c")).toBe("OK");
    expect(code("SELECT $$a;b$$, $tag$ ; $$ ; $tag$")).toBe("OK");
    expect(code("SELECT 1 /* ; */ -- ;\n")).toBe("OK");
    expect(code("SELECT $1::int")).toBe("OK");
  });

  it("rejects a second statement", () => {
    expect(code("SELECT 1; DROP TABLE t")).toBe("SQL_MULTIPLE_STATEMENTS");
    expect(code("SELECT 1;;")).toBe("SQL_MULTIPLE_STATEMENTS");
    expect(code("SELECT 1; SELECT 2;")).toBe("SQL_MULTIPLE_STATEMENTS");
  });

  it("rejects anything but SELECT or WITH", () => {
    for (const sql of ["DELETE FROM t", "insert into t values (1)", "UPDATE t SET a = 1", "COPY t TO STDOUT", "VALUES (1)", "'x'", ";"]) {
      expect(code(sql)).toBe("SQL_NOT_SELECT");
    }
    expect(checkReadOnlySelect("drop table t").ok || checkReadOnlySelect("drop table t")).toMatchObject({ message: expect.stringContaining("DROP") });
  });

  it("reports empty and unterminated queries", () => {
    expect(code("   ")).toBe("SQL_REQUIRED");
    expect(code("-- only a comment")).toBe("SQL_REQUIRED");
    expect(code("SELECT 'abc")).toBe("SQL_UNTERMINATED");
    expect(code('SELECT "abc')).toBe("SQL_UNTERMINATED");
    expect(code("SELECT $x$abc")).toBe("SQL_UNTERMINATED");
    expect(code("SELECT 1 /* open")).toBe("SQL_UNTERMINATED");
  });
});
