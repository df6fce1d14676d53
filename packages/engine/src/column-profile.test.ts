import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Column, ColumnType } from "@sluice/model";
import { quoteIdent, quoteLiteral } from "@sluice/pipeline";
import { profileTable } from "./column-profile.ts";
import { openSession, type DuckSession } from "./duckdb-session.ts";
import { engineFolders } from "./testing/engine-fixtures.ts";

let f: ReturnType<typeof engineFolders>;
let s: DuckSession;
beforeAll(async () => {
  f = engineFolders("profile");
  const opened = await openSession(f.engine);
  if (!opened.ok) throw new Error(opened.issues[0]?.message);
  s = opened.value;
});
afterAll(() => {
  s?.close();
  f.remove();
});

type Value = number | string | boolean | null;
const sqlType: Partial<Record<ColumnType, string>> = { integer: "INTEGER", double: "DOUBLE", string: "VARCHAR", boolean: "BOOLEAN", date: "DATE" };
// Every value is cast from text, which DuckDB reads exactly. A bare number would not be: `-2147483648::INTEGER`
// is `-(2147483648::INTEGER)`, out of range, and a short decimal like -0.10750788289321159 goes through DECIMAL
// and comes out one bit off, so the table would not hold the values the oracle counts.
const literal = (v: Value, type: ColumnType): string => (v === null ? "NULL" : `${quoteLiteral(String(v))}::${sqlType[type]}`);

// Small pools make duplicates likely; the arbitrary values around them find what the pools miss.
const values: Record<"integer" | "double" | "string" | "boolean" | "date", fc.Arbitrary<Value>> = {
  integer: fc.oneof(fc.constantFrom(0, 1, -1, 2147483647, -2147483648), fc.integer()),
  double: fc.oneof(fc.constantFrom(0.1, 0.2, 0.30000000000000004, -0, 1e308, 5e-324), fc.double({ noNaN: true, noDefaultInfinity: true })),
  string: fc.oneof(fc.constantFrom("", "a", "A", "a ", "é", "e\u0301", "NULL"), fc.string({ maxLength: 6 }).map((x) => x.replaceAll("\u0000", ""))),
  boolean: fc.boolean(),
  date: fc.constantFrom("2024-01-01", "2024-02-29", "1815-12-10", "9999-12-31"),
};
const columnArb = fc.constantFrom(...(Object.keys(values) as (keyof typeof values)[])).chain((type) =>
  fc.record({ type: fc.constant(type), nullRate: fc.constantFrom(0, 0.3, 1) }),
);
const tableArb = fc.array(columnArb, { minLength: 1, maxLength: 4 }).chain((cols) =>
  fc.record({
    cols: fc.constant(cols),
    rows: fc.array(fc.tuple(...cols.map((c) => fc.tuple(values[c.type], fc.double({ min: 0, max: 1, noNaN: true })).map(([v, r]) => (r < c.nullRate ? null : v)))), { maxLength: 40 }),
  }),
);

/** The oracle: distinct non-null values as JavaScript sees them (SameValueZero, so -0 and 0 are one value, as in SQL). */
const trueDistinct = (column: Value[]) => new Set(column.filter((v) => v !== null)).size;

let tables = 0;
function load(cols: { type: ColumnType }[]): { table: string; columns: Column[] } {
  // Hostile names: quotes, spaces and a case clash must not confuse the profile.
  return { table: quoteIdent(`profiled ${tables++}`), columns: cols.map((c, i) => ({ name: i % 2 ? `Col "${i}"` : `col "${i}"`, type: c.type })) };
}
async function fill(table: string, cols: { type: ColumnType }[], columns: Column[], rows: Value[][]): Promise<void> {
  await s.run(`CREATE TABLE ${table} (${columns.map((c) => `${quoteIdent(c.name)} ${sqlType[c.type]}`).join(", ")})`);
  if (rows.length) await s.run(`INSERT INTO ${table} VALUES ${rows.map((r) => `(${r.map((v, i) => literal(v, cols[i]!.type)).join(", ")})`).join(", ")}`);
}

describe("profileTable", () => {
  it("never shows more distinct values than non-null rows, and counts them exactly", async () => {
    await fc.assert(
      fc.asyncProperty(tableArb, fc.constantFrom(0, 1_000_000), async ({ cols, rows }, exactUpTo) => {
        const { table, columns } = load(cols);
        try {
          await fill(table, cols, columns, rows);
          const p = await profileTable(s, table, columns, exactUpTo);
          expect(p.rowCount).toBe(rows.length);
          columns.forEach((c, i) => {
            const column = rows.map((r) => r[i] ?? null);
            const prof = p.profile[c.name]!;
            const nonNull = column.filter((v) => v !== null).length;
            expect(prof.nulls).toBe(rows.length - nonNull);
            expect(prof.distinct).toBeLessThanOrEqual(nonNull);
            expect(prof.distinctApproximate).toBe(rows.length > exactUpTo);
            if (!prof.distinctApproximate) expect(prof.distinct).toBe(trueDistinct(column));
          });
        } finally {
          await s.run(`DROP TABLE IF EXISTS ${table}`);
        }
      }),
      {
        numRuns: 150,
        // What failed about one run in 60 while the loader wrote numbers bare (-2147483648 could not be inserted),
        // and two doubles one bit apart that bare literals loaded as one value.
        examples: [
          [{ cols: [{ type: "double", nullRate: 1 }, { type: "double", nullRate: 0 }, { type: "integer", nullRate: 0 }], rows: [[null, 0, -2147483648]] }, 0],
          [{ cols: [{ type: "double", nullRate: 0 }, { type: "integer", nullRate: 0 }], rows: [[-0.10750788289321159, -2147483648], [-0.1075078828932116, 2147483647]] }, 1_000_000],
        ],
      },
    );
  });

  it("counts 4,000 distinct ids as 4,000, where HyperLogLog said 4,516", async () => {
    await s.run(`CREATE TABLE ids AS SELECT range::INTEGER AS id, (range % 7)::INTEGER AS bucket FROM range(4000)`);
    const columns: Column[] = [{ name: "id", type: "integer" }, { name: "bucket", type: "integer" }];
    const p = await profileTable(s, "ids", columns);
    expect(p.profile.id).toMatchObject({ nulls: 0, distinct: 4000, distinctApproximate: false });
    expect(p.profile.bucket).toMatchObject({ distinct: 7 });
    // Past the exact limit the estimate is flagged, and capped at the values there are.
    const approx = await profileTable(s, "ids", columns, 100);
    expect(approx.profile.id!.distinctApproximate).toBe(true);
    expect(approx.profile.id!.distinct).toBeLessThanOrEqual(4000);
    await s.run(`DROP TABLE ids`);
  });
});
