import { describe, expect, it } from "vitest";
import { groupNode } from "./group.node.ts";
import { runNode, HOSTILE_NAMES } from "../../testing/duckdb-harness.ts";

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
const run = async (config: unknown, table = input) => {
  const r = await runNode(groupNode, config, { in: [table] });
  if (!r.ok) throw new Error(JSON.stringify(r));
  return r;
};

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
    expect(await codes({ keys: [SEL], aggregations: [{ fn: "count", as: SEL }] })).toEqual([["DUPLICATE_COLUMN", "aggregations"]]);
    expect(await codes({ aggregations: [{ fn: "count" }, { fn: "count", column: SEL, as: "COUNT" }] })).toEqual([["DUPLICATE_COLUMN", "aggregations"]]);
    expect(await codes({ aggregations: [{ fn: "count", as: "__Sluice_Row" }] })).toEqual([["RESERVED_COLUMN_NAME", "aggregations.0.as"]]);
    expect(await codes({ aggregations: [{ fn: "mode", column: SEL }] })).toEqual([["INVALID_CONFIG", "aggregations.0.fn"]]);
  });
});
