import { describe, expect, it } from "vitest";
import { aggregateNode } from "./aggregate.node.ts";
import { runNode, HOSTILE_NAMES, type FixtureTable } from "../../testing/duckdb-harness.ts";
import { pushableToPostgres } from "../../testing/pushable.ts";

const [SEL, QUOTE, DROP, , UNI] = HOSTILE_NAMES;
const input: FixtureTable = {
  columns: [
    { name: SEL, type: "string" },
    { name: QUOTE, type: "integer" },
    { name: UNI, type: "double" },
    { name: DROP, type: "decimal", precision: 10, scale: 2 },
    { name: "day", type: "date" },
    { name: "doc", type: "json" },
  ],
  rows: [
    ["b", 5, 1e300, "1.25", "2024-01-02", '{"a":1}'],
    ["ä", 2, -1e-300, null, null, null],
    [null, 3, null, "2.00", "2024-01-01", "[]"],
    ["b", null, 2, "-1.25", "2023-12-31", null],
    ["ä", 2, 0.5, "3.10", "2024-05-05", "1"],
  ],
};
const run = async (config: unknown, table = input) => {
  const r = await runNode(aggregateNode, config, { in: [table] });
  if (!r.ok) throw new Error(JSON.stringify(r));
  // DuckDB reports JSON columns as VARCHAR when read back.
  expect(r.actualTypes.out).toEqual(r.schemas.out?.map((c) => (c.type === "json" ? { ...c, type: "string" } : c)));
  return r;
};
const column = (rows: Record<string, unknown>[] | undefined, name: string) => rows?.map((r) => r[name]);
const codes = async (config: unknown) => {
  const r = await runNode(aggregateNode, config, { in: [input] });
  return r.ok ? [] : r.issues.map((i) => [i.code, i.field]);
};

describe("aggregate: total", () => {
  it("gives one row of aggregations over all rows, typed as in the group node", async () => {
    const r = await run({
      mode: "total",
      aggregations: [
        { fn: "count" },
        { fn: "sum", column: QUOTE, as: "sum" },
        { fn: "sum", column: DROP, as: "exact" },
        { fn: "avg", column: QUOTE, as: "avg" },
        { fn: "min", column: "day", as: "first day" },
        { fn: "max", column: SEL, as: "max" },
        { fn: "string_agg", column: SEL, separator: "|", as: "all" },
      ],
    });
    expect(r.schemas.out).toEqual([
      { name: "count", type: "bigint" },
      { name: "sum", type: "bigint" },
      { name: "exact", type: "decimal", precision: 38, scale: 2 },
      { name: "avg", type: "double" },
      { name: "first day", type: "date" },
      { name: "max", type: "string" },
      { name: "all", type: "string" },
    ]);
    expect(r.rows.out).toEqual([{ count: "5", sum: "12", exact: "5.10", avg: 3, "first day": "2023-12-31", max: "ä", all: "b|ä|b|ä" }]);
  });

  it("gives one row for an empty input: counts are 0, other aggregates null", async () => {
    const r = await run({ aggregations: [{ fn: "count" }, { fn: "sum", column: UNI, as: "total" }] }, { ...input, rows: [] });
    expect(r.rows.out).toEqual([{ count: "0", total: null }]);
  });

  it("reports missing aggregations and the group node's problems", async () => {
    expect(await codes({ mode: "total" })).toEqual([["AGGREGATIONS_REQUIRED", "aggregations"]]);
    expect(await codes({ aggregations: [{ fn: "sum", column: SEL }] })).toEqual([["TYPE_MISMATCH", "aggregations.0.fn"]]);
    expect(await codes({ aggregations: [{ fn: "avg", column: "nope" }] })).toEqual([["UNKNOWN_COLUMN", "aggregations.0.column"]]);
  });
});

describe("aggregate: window", () => {
  it("appends running sums, row numbers, lag/lead and shares in input order by default", async () => {
    const r = await run({
      mode: "window",
      windows: [
        { fn: "running_sum", column: QUOTE },
        { fn: "row_number" },
        { fn: "lag", column: QUOTE, as: "prev" },
        { fn: "lead", column: QUOTE, offset: 2, default: 0, as: "next2" },
        { fn: "share_of_total", column: QUOTE, as: "share" },
        { fn: "running_sum", column: DROP, as: "exact" },
        { fn: "lag", column: "day", default: "2000-01-01", as: "prev day" },
      ],
    });
    expect(r.schemas.out?.slice(6)).toEqual([
      { name: `${QUOTE}_running_sum`, type: "bigint" },
      { name: "row_number", type: "bigint" },
      { name: "prev", type: "integer" },
      { name: "next2", type: "integer" },
      { name: "share", type: "double" },
      { name: "exact", type: "decimal", precision: 38, scale: 2 },
      { name: "prev day", type: "date" },
    ]);
    const rows = r.rows.out!;
    expect(column(rows, SEL)).toEqual(["b", "ä", null, "b", "ä"]);
    expect(column(rows, `${QUOTE}_running_sum`)).toEqual(["5", "7", "10", "10", "12"]);
    expect(column(rows, "row_number")).toEqual(["1", "2", "3", "4", "5"]);
    expect(column(rows, "prev")).toEqual([null, 5, 2, 3, null]);
    // Row 2's partner (row 4) exists but holds null; rows 4 and 5 have no partner, so they get the default.
    expect(column(rows, "next2")).toEqual([3, null, 2, 0, 0]);
    expect(column(rows, "share")).toEqual([5 / 12, 2 / 12, 3 / 12, null, 2 / 12]);
    expect(column(rows, "exact")).toEqual(["1.25", "1.25", "3.25", "2.00", "5.10"]);
    expect(column(rows, "prev day")).toEqual(["2000-01-01", "2024-01-02", null, "2024-01-01", "2023-12-31"]);
  });

  it("partitions (nulls together) and orders by sort keys; ties share ranks and keep input order", async () => {
    const r = await run({
      mode: "window",
      partitionBy: [SEL],
      orderBy: [{ column: QUOTE, direction: "desc" }],
      windows: [{ fn: "rank" }, { fn: "dense_rank" }, { fn: "row_number" }, { fn: "running_sum", column: UNI, as: "run" }, { fn: "share_of_total", column: UNI, as: "share" }],
    });
    const rows = r.rows.out!;
    expect(rows.map((x) => [x[SEL], x.rank, x.dense_rank, x.row_number])).toEqual([
      ["b", "1", "1", "1"],
      ["ä", "1", "1", "1"],
      [null, "1", "1", "1"],
      ["b", "2", "2", "2"],
      ["ä", "1", "1", "2"],
    ]);
    expect(column(rows, "run")).toEqual([1e300, -1e-300, null, 1e300, 0.5]);
    expect(column(rows, "share")).toEqual([1, -1e-300 / 0.5, null, 2e-300, 0.5 / 0.5]);
  });

  it("ranks by input order when there are no sort keys", async () => {
    const r = await run({ mode: "window", partitionBy: [SEL], windows: [{ fn: "rank" }, { fn: "lead", column: SEL, as: "next" }] });
    expect(r.rows.out?.map((x) => [x.rank, x.next])).toEqual([["1", "b"], ["1", "ä"], ["1", null], ["2", null], ["2", null]]);
  });

  it("partitions by a JSON column's text, and so does not run inside PostgreSQL, whose jsonb compares values", async () => {
    // In PostgreSQL {"a": 1} and {"a":1} were one partition (row numbers 1, 2, 3) where DuckDB has two.
    const json: FixtureTable = { columns: [{ name: "k", type: "json" }], rows: [['{"a": 1}'], ['{"a":1}'], ['{"a": 1}']] };
    const config = { mode: "window", partitionBy: ["k"], windows: [{ fn: "row_number" }] };
    const r = await runNode(aggregateNode, config, { in: [json] });
    expect(r.ok && r.rows.out?.map((x) => x.row_number)).toEqual(["1", "1", "2"]);
    expect(pushableToPostgres(aggregateNode, config, { in: [json] })).toEqual({ ok: false, reason: expect.stringContaining("JSON values are told apart by their text") });
  });

  it("fails a decimal running sum beyond 38 digits, which DuckDB passed on as a value its decimal(38, s) cannot hold", async () => {
    const NINES = "9".repeat(38);
    const big: FixtureTable = { columns: [{ name: "d", type: "decimal", precision: 38, scale: 0 }], rows: [[NINES], ["-1"], ["1"]] };
    const config = { mode: "window", windows: [{ fn: "running_sum", column: "d" }] };
    const fits = await runNode(aggregateNode, config, { in: [{ ...big, rows: big.rows.slice(0, 2) }] });
    expect(fits.ok && fits.rows.out?.map((x) => x.d_running_sum)).toEqual([NINES, `${"9".repeat(37)}8`]);
    const over = await runNode(aggregateNode, { ...config, windows: [{ fn: "running_sum", column: "d" }] }, { in: [{ ...big, rows: [big.rows[0]!, big.rows[2]!] }] });
    expect(over).toMatchObject({ ok: false, stage: "execute", message: expect.stringContaining("beyond the 38 digits a decimal(38, 0) holds") });
  });

  it("keeps an empty input empty", async () => {
    const r = await run({ mode: "window", windows: [{ fn: "row_number" }] }, { ...input, rows: [] });
    expect(r.rows.out).toEqual([]);
  });

  it("reports problems as issues", async () => {
    expect(await codes({ mode: "window" })).toEqual([["WINDOWS_REQUIRED", "windows"]]);
    expect(
      await codes({
        mode: "window",
        partitionBy: ["regoin"],
        orderBy: [{ column: "doc" }],
        windows: [
          { fn: "lag" },
          { fn: "running_sum", column: SEL },
          { fn: "lead", column: QUOTE, default: "soon" },
          { fn: "row_number", as: "SELECT" },
          { fn: "rank", as: "__SLUICE_ROW" },
        ],
      }),
    ).toEqual([
      ["UNKNOWN_COLUMN", "partitionBy.0"],
      ["TYPE_MISMATCH", "orderBy.0.column"],
      ["MISSING_COLUMN", "windows.0.column"],
      ["TYPE_MISMATCH", "windows.1.fn"],
      ["BAD_VALUE", "windows.2.default"],
      ["RESERVED_COLUMN_NAME", "windows.4.as"],
      ["DUPLICATE_COLUMN", "windows.3.as"],
    ]);
    // Two added columns of one name: the later is the one to rename.
    expect(await codes({ mode: "window", windows: [{ fn: "rank" }, { fn: "row_number", as: "Rank" }] })).toEqual([["DUPLICATE_COLUMN", "windows.1.as"]]);
    // Total mode reports the group node's issues at their entries.
    expect(await codes({ mode: "total", aggregations: [{ fn: "count" }, { fn: "count", column: SEL, as: "count" }] })).toEqual([["DUPLICATE_COLUMN", "aggregations.1.as"]]);
    expect(await codes({ mode: "window", windows: [{ fn: "lag", column: QUOTE, offset: -1 }] })).toEqual([["INVALID_CONFIG", "windows.0.offset"]]);
  });
});
