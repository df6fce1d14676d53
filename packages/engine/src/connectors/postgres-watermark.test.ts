import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Column } from "@sluice/model";
import { quoteIdent } from "@sluice/pipeline";
import { describePostgresSource, loadPostgresSource } from "./postgres-source.ts";
import { createTestDatabase, type TestDatabase } from "./testing/test-postgres.ts";
import { openTestDuck } from "./testing/test-duck.ts";
import { tempDir, testLoadContext } from "./testing/test-context.ts";
import type { DuckExec } from "../connector.ts";
import type { WatermarkRange } from "./postgres-watermark.ts";

let db: TestDatabase;
let duck: DuckExec;
let closeDuck: () => void;
let work: ReturnType<typeof tempDir>;

const SCHEMA = 'in"c';
const TABLE = "rows; drop";
/** A hostile name for the watermark column: quotes, a semicolon, SQL words. */
const MARK = `id"); DROP TABLE x; --`;
const config = (watermarkColumn: string, mode: "table" | "query" = "table") =>
  mode === "table"
    ? { connectionId: "conn", mode, schema: SCHEMA, table: TABLE, sql: "", watermarkColumn }
    : { connectionId: "conn", mode, sql: `SELECT * FROM ${quoteIdent(SCHEMA)}.${quoteIdent(TABLE)} WHERE label <> 'skip'`, watermarkColumn };
let columns: Column[] = [];
let n = 0;

beforeAll(async () => {
  db = await createTestDatabase("sluice_pg_watermark");
  ({ duck, close: closeDuck } = await openTestDuck());
  work = tempDir("pg-watermark");
  await db.sql(`CREATE SCHEMA ${quoteIdent(SCHEMA)}`);
  await db.sql(`CREATE TABLE ${quoteIdent(SCHEMA)}.${quoteIdent(TABLE)} (${quoteIdent(MARK)} int4, at timestamptz, label text)`);
  await db.sql(`INSERT INTO ${quoteIdent(SCHEMA)}.${quoteIdent(TABLE)} SELECT i, timestamptz '2026-01-01 00:00:00+02' + i * interval '1 minute', 'row ' || i FROM generate_series(1, 10) i`);
  await db.sql(`INSERT INTO ${quoteIdent(SCHEMA)}.${quoteIdent(TABLE)} VALUES (NULL, NULL, 'no mark'), (11, NULL, 'skip')`);
  const described = await describePostgresSource(db.settings, config(""), "n1");
  columns = described.ok ? described.value : [];
});

afterAll(async () => {
  closeDuck?.();
  work?.remove();
  await db?.drop();
});

async function load(c: ReturnType<typeof config>, watermark?: WatermarkRange) {
  const table = quoteIdent(`t${++n}`);
  const ctx = { ...testLoadContext({ duck, workDir: work.dir, settings: db.settings, table, columns }), ...(watermark ? { watermark } : {}) };
  const r = await loadPostgresSource(ctx, c);
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  const rows = await duck.query(`SELECT label FROM ${table} ORDER BY __sluice_row`);
  return { ...r.value, labels: rows.map((x) => x.label as string).sort() };
}

describe("an incremental read", () => {
  it("reads every row with a value the first time, then only the rows above the low mark, by a hostile column name", async () => {
    const first = await load(config(MARK), { low: null });
    expect(first.watermark).toEqual({ column: MARK, before: null, after: "11" });
    expect(first.rowsLoaded).toBe(11);
    expect(first.labels).not.toContain("no mark");
    const next = await load(config(MARK), { low: "8" });
    expect(next).toMatchObject({ rowsLoaded: 3, watermark: { before: "8", after: "11" } });
    expect(next.labels).toEqual(["row 10", "row 9", "skip"]);
  });

  it("keeps a retried attempt to the high mark it took, and reads nothing from an empty range", async () => {
    expect(await load(config(MARK), { low: "3", high: "5" })).toMatchObject({ rowsLoaded: 2, watermark: { before: "3", after: "5" }, labels: ["row 4", "row 5"] });
    expect(await load(config(MARK), { low: "11" })).toMatchObject({ rowsLoaded: 0, watermark: { before: "11", after: "11" } });
  });

  it("reads a query by a timestamptz column, the marks in UTC text, the value never spliced into SQL", async () => {
    const first = await load(config("at", "query"), { low: "2026-01-01 00:05:00+02" });
    expect(first.watermark).toEqual({ column: "at", before: "2026-01-01 00:05:00+02", after: "2025-12-31 22:10:00+00" });
    expect(first.labels).toEqual(["row 10", "row 6", "row 7", "row 8", "row 9"]);
    // A value that would be SQL if spliced is only a value that PostgreSQL cannot read as a timestamp.
    const ctx = { ...testLoadContext({ duck, workDir: work.dir, settings: db.settings, table: quoteIdent("t_bad"), columns }), watermark: { low: "x'; DROP TABLE y; --" } };
    const bad = await loadPostgresSource(ctx, config("at"));
    expect(!bad.ok && bad.issues[0]?.code).toBe("SOURCE_QUERY_FAILED");
    expect(await db.sql(`SELECT count(*)::int AS n FROM ${quoteIdent(SCHEMA)}.${quoteIdent(TABLE)}`)).toEqual([{ n: 12 }]);
  });

  it("reads every row when no range is given (a preview)", async () => {
    expect(await load(config(MARK))).toMatchObject({ rowsLoaded: 12 });
  });
});
