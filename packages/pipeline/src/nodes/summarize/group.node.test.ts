import { describe, expect, it } from "vitest";
import { groupNode } from "./group.node.ts";
import { runNode, HOSTILE_NAMES, type FixtureTable } from "../../testing/duckdb-harness.ts";
import { pushableToPostgres } from "../../testing/pushable.ts";

const [SEL, QUOTE, DROP, SPACE, UNI] = HOSTILE_NAMES;
const input = {
  columns: [
    { name: SEL, type: "string" as const },
    { name: QUOTE, type: "integer" as const },
    { name: UNI, type: "double" as const },
    { name: DROP, type: "decimal" as const, precision: 10, scale: 2 },
    { name: SPACE, type: "date" as const },
  ],
  rows: [
    ["b", 1, 1e300, "1.25", "2024-01-02"],
    ["ä", 2, -1e-300, null, null],
    [null, 3, null, "2.00", "2024-01-01"],
    ["b", null, 2, "-1.25", "2023-12-31"],
    ["ä", 2147483647, 0.5, "3.10", "2024-05-05"],
    [null, 4, 1, null, null],
    ["b", 2147483647, null, null, "2025-01-01"],
  ],
};
const run = async (config: unknown, table: FixtureTable = input) => {
  const r = await runNode(groupNode, config, { in: [table] });
  if (!r.ok) throw new Error(JSON.stringify(r));
  return r;
};

const json = {
  columns: [{ name: "k", type: "json" as const }, { name: "n", type: "integer" as const }],
  rows: [['{"a": 1}', 1], ['{"a":1}', 2], ['{"a": 1}', 3], [null, 4]],
};
const JSON_REASON = expect.stringContaining("JSON values are told apart by their text on DuckDB");

describe("group", () => {
  it("groups in order of first appearance, nulls as their own group, with typed aggregates", async () => {
    const r = await run({
      keys: [SEL],
      aggregations: [
        { fn: "count" },
        { fn: "count", column: QUOTE, as: "non-null" },
        { fn: "count_distinct", column: QUOTE },
        { fn: "sum", column: QUOTE },
        { fn: "sum", column: DROP, as: "dec" },
        { fn: "avg", column: QUOTE },
        { fn: "min", column: SPACE },
        { fn: "max", column: SEL, as: "mx" },
      ],
    });
    expect(r.schemas.out).toEqual([
      { name: SEL, type: "string" },
      { name: "count", type: "bigint" },
      { name: "non-null", type: "bigint" },
      { name: `${QUOTE}_count_distinct`, type: "bigint" },
      { name: `${QUOTE}_sum`, type: "bigint" },
      { name: "dec", type: "decimal", precision: 38, scale: 2 },
      { name: `${QUOTE}_avg`, type: "double" },
      { name: `${SPACE}_min`, type: "date" },
      { name: "mx", type: "string" },
    ]);
    expect(r.actualTypes.out).toEqual(r.schemas.out);
    expect(r.rows.out).toEqual([
      { [SEL]: "b", count: "3", "non-null": "2", [`${QUOTE}_count_distinct`]: "2", [`${QUOTE}_sum`]: "2147483648", dec: "0.00", [`${QUOTE}_avg`]: 1073741824, [`${SPACE}_min`]: "2023-12-31", mx: "b" },
      { [SEL]: "ä", count: "2", "non-null": "2", [`${QUOTE}_count_distinct`]: "2", [`${QUOTE}_sum`]: "2147483649", dec: "3.10", [`${QUOTE}_avg`]: 1073741824.5, [`${SPACE}_min`]: "2024-05-05", mx: "ä" },
      { [SEL]: null, count: "2", "non-null": "2", [`${QUOTE}_count_distinct`]: "2", [`${QUOTE}_sum`]: "7", dec: "2.00", [`${QUOTE}_avg`]: 3.5, [`${SPACE}_min`]: "2024-01-01", mx: null },
    ]);
  });

  it("first and last in input order (skipping nulls), median, stddev and string_agg", async () => {
    const r = await run({
      keys: [SEL],
      aggregations: [
        { fn: "first", column: UNI, as: "first" },
        { fn: "last", column: UNI, as: "last" },
        { fn: "median", column: UNI, as: "median" },
        { fn: "stddev", column: QUOTE, as: "sd" },
        { fn: "string_agg", column: QUOTE, as: "all", separator: " | " },
      ],
    });
    expect(r.rows.out).toEqual([
      { [SEL]: "b", first: 1e300, last: 2, median: 5e299, sd: Math.sqrt(2 * (2147483646 / 2) ** 2), all: "1 | 2147483647" },
      { [SEL]: "ä", first: -1e-300, last: 0.5, median: 0.25, sd: Math.sqrt(2 * ((2147483647 - 2) / 2) ** 2), all: "2 | 2147483647" },
      { [SEL]: null, first: 1, last: 1, median: 1, sd: Math.SQRT1_2, all: "3 | 4" },
    ]);
  });

  it("with no keys gives one row, also for an empty input", async () => {
    const config = { aggregations: [{ fn: "count" }, { fn: "sum", column: UNI }, { fn: "string_agg", column: SEL, as: "s" }] };
    expect((await run(config)).rows.out).toEqual([{ count: "7", [`${UNI}_sum`]: 1e300, s: "b, ä, b, ä, b" }]);
    expect((await run(config, { ...input, rows: [] })).rows.out).toEqual([{ count: "0", [`${UNI}_sum`]: null, s: null }]);
    expect((await run({ keys: [SEL], aggregations: [{ fn: "count" }] }, { ...input, rows: [] })).rows.out).toEqual([]);
  });

  it("takes min and max of booleans (false < true), in a run inside PostgreSQL too", async () => {
    // PostgreSQL has no min(boolean): a run pushed into the database failed where DuckDB gave these.
    const flags = { columns: [{ name: SEL, type: "string" as const }, { name: QUOTE, type: "boolean" as const }], rows: [["a", true], ["a", false], ["b", true], ["b", null], ["c", null]] };
    const r = await run({ keys: [SEL], aggregations: [{ fn: "min", column: QUOTE, as: "lo" }, { fn: "max", column: QUOTE, as: "hi" }] }, flags);
    expect(r.schemas.out!.map((c) => c.type)).toEqual(["string", "boolean", "boolean"]);
    expect(r.rows.out).toEqual([{ [SEL]: "a", lo: false, hi: true }, { [SEL]: "b", lo: true, hi: true }, { [SEL]: "c", lo: null, hi: null }]);
  });

  it("tells JSON keys apart by their text, and so does not run inside PostgreSQL, whose jsonb compares values", async () => {
    // In PostgreSQL {"a": 1} and {"a":1} made one group (and one distinct value) where DuckDB makes two.
    const r = await run({ keys: ["k"], aggregations: [{ fn: "count" }] }, json);
    expect(r.rows.out).toEqual([{ k: '{"a": 1}', count: "2" }, { k: '{"a":1}', count: "1" }, { k: null, count: "1" }]);
    const distinct = await run({ aggregations: [{ fn: "count_distinct", column: "k" }] }, json);
    expect(distinct.rows.out).toEqual([{ k_count_distinct: "2" }]);
    expect(pushableToPostgres(groupNode, { keys: ["k"], aggregations: [{ fn: "count" }] }, { in: [json] })).toEqual({ ok: false, reason: JSON_REASON });
    expect(pushableToPostgres(groupNode, { aggregations: [{ fn: "count_distinct", column: "k" }] }, { in: [json] })).toEqual({ ok: false, reason: JSON_REASON });
    // Other JSON aggregates, and other keys, still run there.
    expect(pushableToPostgres(groupNode, { keys: ["n"], aggregations: [{ fn: "first", column: "k" }, { fn: "count", column: "k" }] }, { in: [json] })).toEqual({ ok: true });
  });

  it("fails a decimal sum beyond 38 digits, which DuckDB passed on as a value its decimal(38, s) cannot hold", async () => {
    const NINES = "9".repeat(36);
    const big: FixtureTable = { columns: [{ name: "k", type: "string" }, { name: "d", type: "decimal", precision: 38, scale: 2 }], rows: [["a", `${NINES}.99`], ["a", "-0.01"], ["b", `${NINES}.99`], ["b", "0.01"]] };
    const fits = await runNode(groupNode, { keys: ["k"], aggregations: [{ fn: "sum", column: "d" }] }, { in: [{ ...big, rows: big.rows.slice(0, 2) }] });
    expect(fits.ok && fits.rows.out).toEqual([{ k: "a", d_sum: `${NINES}.98` }]);
    const over = await runNode(groupNode, { keys: ["k"], aggregations: [{ fn: "sum", column: "d" }] }, { in: [big] });
    expect(over).toMatchObject({ ok: false, stage: "execute", message: expect.stringContaining("beyond the 38 digits a decimal(38, 2) holds") });
  });

  it("groups on several keys", async () => {
    const r = await run({ keys: [SEL, QUOTE], aggregations: [] });
    expect(r.rows.out!.map((x) => Object.values(x))).toEqual([["b", 1], ["ä", 2], [null, 3], ["b", null], ["ä", 2147483647], [null, 4], ["b", 2147483647]]);
  });

  it("reports problems as issues", async () => {
    const codes = async (config: unknown) => {
      const r = await runNode(groupNode, config, { in: [input] });
      return r.ok ? [] : r.issues.map((i) => [i.code, i.field]);
    };
    expect(await codes({ keys: ["selec"] })).toEqual([["UNKNOWN_COLUMN", "keys.0"]]);
    expect(await codes({ aggregations: [{ fn: "sum", column: SEL }] })).toEqual([["TYPE_MISMATCH", "aggregations.0.fn"]]);
    expect(await codes({ aggregations: [{ fn: "avg", column: SPACE }] })).toEqual([["TYPE_MISMATCH", "aggregations.0.fn"]]);
    expect(await codes({ aggregations: [{ fn: "max" }] })).toEqual([["MISSING_COLUMN", "aggregations.0.column"]]);
    // A clash is reported at the later entry, the one to rename (it was only "aggregations", even for a key listed twice).
    expect(await codes({ keys: [SEL], aggregations: [{ fn: "count", as: SEL }] })).toEqual([["DUPLICATE_COLUMN", "aggregations.0.as"]]);
    expect(await codes({ aggregations: [{ fn: "count" }, { fn: "count", column: SEL, as: "COUNT" }] })).toEqual([["DUPLICATE_COLUMN", "aggregations.1.as"]]);
    expect(await codes({ keys: ["nope", SEL, SEL], aggregations: [{ fn: "count" }] })).toEqual([["UNKNOWN_COLUMN", "keys.0"], ["DUPLICATE_COLUMN", "keys.2"]]);
    expect(await codes({ aggregations: [{ fn: "max", column: QUOTE }, { fn: "min", column: SEL }, { fn: "sum", column: QUOTE, as: `${QUOTE}_MAX` }] })).toEqual([["DUPLICATE_COLUMN", "aggregations.2.as"]]);
    expect(await codes({ aggregations: [{ fn: "count", as: "__Sluice_Row" }] })).toEqual([["RESERVED_COLUMN_NAME", "aggregations.0.as"]]);
    expect(await codes({ aggregations: [{ fn: "mode", column: SEL }] })).toEqual([["INVALID_CONFIG", "aggregations.0.fn"]]);
  });
});
