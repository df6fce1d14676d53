import { mkdirSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { quoteIdent, quoteLiteral } from "@sluice/pipeline";
import { openTestDuck } from "../connectors/testing/test-duck.ts";
import { tempDir } from "../connectors/testing/test-context.ts";
import { createTestDatabase, type TestDatabase } from "../connectors/testing/test-postgres.ts";
import { readOutputFile } from "./output-file-rows.ts";
import { readPostgresTable } from "./postgres-table-rows.ts";

/** Names that break SQL spliced without the quoting helpers. */
const HOSTILE = ["select", 'a"b', "x; drop table y", "ünï cödé", "'quoted'"];

describe("reading back a table a sink wrote", () => {
  let db: TestDatabase;
  const schema = 'sch"ema';
  const table = "t; drop table x";
  const target = `${quoteIdent(schema)}.${quoteIdent(table)}`;
  beforeAll(async () => {
    db = await createTestDatabase("sluice_readback");
    await db.sql(`CREATE SCHEMA ${quoteIdent(schema)}`);
    await db.sql(`CREATE TABLE ${target} (${HOSTILE.map((n) => quoteIdent(n)).join(" text, ")} text, id bigint, big bigint, amount numeric(10,2), ok boolean, at timestamptz, ratio double precision)`);
    await db.sql(`INSERT INTO ${target} SELECT 'v' || g, NULL, '', 'ü', '''', g, 9007199254740993, 12.50, g % 2 = 0, '2024-06-01 12:00:00+02', 0.1::float8 + 0.2::float8 FROM generate_series(1, 30) g`);
  }, 30_000);
  afterAll(async () => db?.drop());

  it("answers the first rows with each column's type, exact values and hostile names intact", async () => {
    const r = await readPostgresTable(db.settings, { schema, table }, { limit: 3 });
    if (!r.ok) throw new Error(r.issues[0]!.message);
    expect(r.value.columns.map((c) => c.name)).toEqual([...HOSTILE, "id", "big", "amount", "ok", "at", "ratio"]);
    expect(r.value.columns.find((c) => c.name === "amount")?.type).toBe("numeric(10,2)");
    expect(r.value.rows).toHaveLength(3);
    expect(r.value.rows[0]).toEqual({
      select: "v1",
      'a"b': null,
      "x; drop table y": "",
      "ünï cödé": "ü",
      "'quoted'": "'",
      id: 1,
      big: "9007199254740993",
      amount: "12.50",
      ok: false,
      at: "2024-06-01T10:00:00+00:00",
      ratio: 0.30000000000000004,
    });
  });

  it("never reads more than 200 rows, and a table that is gone says so", async () => {
    const r = await readPostgresTable(db.settings, { schema, table }, { limit: 10_000 });
    expect(r.ok && r.value.rows.length).toBe(30);
    const gone = await readPostgresTable(db.settings, { schema, table: "dropped" }, { limit: 5 });
    expect(gone.ok ? "read" : gone.issues[0]!.code).toBe("TARGET_GONE");
    expect(gone.ok ? "" : gone.issues[0]!.message).toContain('"dropped"');
  });

  it("reads in a read-only transaction: a table name that smuggles a write cannot change anything", async () => {
    const r = await readPostgresTable(db.settings, { schema, table: `${table}"; DELETE FROM ${target}; --` }, { limit: 5 });
    expect(r.ok).toBe(false);
    expect(await db.sql(`SELECT count(*)::int AS n FROM ${target}`)).toEqual([{ n: 30 }]);
  });

  it("a database that does not answer is unreachable, not gone", async () => {
    const r = await readPostgresTable({ ...db.settings, port: 1 }, { schema, table }, { limit: 5 });
    expect(r.ok ? "read" : r.issues[0]!.code).toBe("TARGET_UNREACHABLE");
  });
});

describe("reading back a file a sink wrote", () => {
  let dir: string;
  let remove: () => void;
  let outputs: string;
  const engine = () => ({ spillDirectory: path.join(dir, "spill"), memoryLimit: "256MB" });
  beforeAll(async () => {
    ({ dir, remove } = tempDir("readback"));
    outputs = path.join(dir, "outputs");
    mkdirSync(outputs);
    const { duck, close } = await openTestDuck();
    try {
      const select = `SELECT ${HOSTILE.map((n, i) => `'${i}' AS ${quoteIdent(n)}`).join(", ")}, g AS id, 9007199254740993::BIGINT AS big FROM range(1, 51) t(g) ORDER BY g`;
      await duck.run(`COPY (${select}) TO ${quoteLiteral(path.join(outputs, "out.csv"))} (FORMAT csv, HEADER true)`);
      await duck.run(`COPY (${select}) TO ${quoteLiteral(path.join(outputs, "out.parquet"))} (FORMAT parquet)`);
      await duck.run(`COPY (${select}) TO ${quoteLiteral(path.join(outputs, "out.json"))} (FORMAT json, ARRAY true)`);
    } finally {
      close();
    }
  });
  afterAll(() => remove());

  it.each(["csv", "parquet", "json"] as const)("reads the first rows of a %s output in file order", async (format) => {
    const r = await readOutputFile(path.join(outputs, `out.${format}`), format, { limit: 4, engine: engine() });
    if (!r.ok) throw new Error(r.issues[0]!.message);
    expect(r.value.columns.map((c) => c.name)).toEqual([...HOSTILE, "id", "big"]);
    expect(r.value.rows.map((row) => row.id)).toEqual([1, 2, 3, 4]);
    expect(r.value.rows[0]!.big).toBe("9007199254740993");
  });

  it.each(["csv", "json"] as const)("shows a %s output's values as the file holds them where detecting types would change them", async (format) => {
    // A decimal(38,10) and an id past 2^63 were shown rounded to a double; a CSV date infinity as 1900-01-01.
    const file = path.join(outputs, `exact.${format}`);
    const { duck, close } = await openTestDuck();
    try {
      const select = `SELECT * FROM (VALUES (1, 12345678901234567890.1234567890::DECIMAL(38,10), 12345678901234567890123::DECIMAL(38,0), 1.5::DOUBLE, DATE 'infinity'), (2, 0.5, 7, 2.25, DATE '2024-02-29')) t(id, amount, big, ratio, d)`;
      await duck.run(`COPY (${select}) TO ${quoteLiteral(file)} ${format === "csv" ? "(FORMAT csv, HEADER true)" : "(FORMAT json, ARRAY true)"}`);
    } finally {
      close();
    }
    const r = await readOutputFile(file, format, { limit: 5, engine: engine() });
    if (!r.ok) throw new Error(r.issues[0]!.message);
    expect(r.value.rows[0]).toMatchObject({ id: 1, big: "12345678901234567890123", ratio: 1.5, d: "infinity" });
    // DuckDB's JSON reader makes a number with a fraction a double as it parses it, even read as text: only CSV keeps its digits.
    expect(r.value.rows[0]!.amount).toBe(format === "csv" ? "12345678901234567890.1234567890" : 12345678901234567000);
    expect(r.value.rows[1]).toMatchObject({ id: 2, amount: 0.5, big: 7, ratio: 2.25, d: "2024-02-29" });
  });

  it("a removed output is gone", async () => {
    const gone = await readOutputFile(path.join(outputs, "none.csv"), "csv", { limit: 4, engine: engine() });
    expect(gone.ok ? "read" : gone.issues[0]!.code).toBe("TARGET_GONE");
  });
});
