import { describe, expect, it } from "vitest";
import { pivotNode } from "./pivot.node.ts";
import { runNode, HOSTILE_NAMES } from "../../testing/duckdb-harness.ts";
import { pushableToPostgres } from "../../testing/pushable.ts";

const [SEL, QUOTE, DROP, SPACE] = HOSTILE_NAMES;
const input = {
  columns: [
    { name: SEL, type: "string" as const },
    { name: QUOTE, type: "string" as const },
    { name: DROP, type: "integer" as const },
    { name: SPACE, type: "double" as const },
  ],
  rows: [
    ["b", "x; drop table y", 1, 1e300],
    ["a", "ünï", 2, 1.5],
    ["b", "ünï", 3, null],
    ["b", "x; drop table y", null, -1e300],
    [null, "ünï", 2147483647, 5e-324],
    ["a", null, 7, 2],
    [null, "ünï", 2147483647, 0],
  ],
};
const pivot = (config: Record<string, unknown>, table = input) =>
  runNode(pivotNode, { groupBy: [SEL], pivotColumn: QUOTE, values: ["ünï", "x; drop table y"], ...config }, { in: [table] });

const json = {
  columns: [{ name: "k", type: "json" as const }, { name: "n", type: "integer" as const }],
  rows: [['{"a": 1}', 1], ['{"a":1}', 2], ['{"a": 1}', 3], [null, 4]],
};
const JSON_REASON = expect.stringContaining("JSON values are told apart by their text on DuckDB");

describe("pivot", () => {
  it("sums per group, groups in order of first appearance, null keys forming one group", async () => {
    const r = await pivot({ valueColumn: DROP, aggregation: "sum" });
    expect(r.ok, JSON.stringify(r)).toBe(true);
    if (!r.ok) return;
    expect(r.schemas.out).toEqual([
      { name: SEL, type: "string" },
      { name: "ünï", type: "bigint" },
      { name: "x; drop table y", type: "bigint" },
    ]);
    expect(r.rows.out).toEqual([
      { [SEL]: "b", "ünï": "3", "x; drop table y": "1" },
      { [SEL]: "a", "ünï": "2", "x; drop table y": null },
      { [SEL]: null, "ünï": "4294967294", "x; drop table y": null },
    ]);
  });

  it("counts values (zero when none), counts rows without a value column", async () => {
    const values = await pivot({ valueColumn: DROP, aggregation: "count" });
    expect(values.ok && values.rows.out?.map((x) => [x["ünï"], x["x; drop table y"]])).toEqual([["1", "1"], ["1", "0"], ["2", "0"]]);
    const rows = await pivot({ aggregation: "count" });
    expect(rows.ok && rows.rows.out?.map((x) => [x["ünï"], x["x; drop table y"]])).toEqual([["1", "2"], ["1", "0"], ["2", "0"]]);
  });

  it("averages, takes min, max and first in input order, keeping extremes", async () => {
    const cell = async (aggregation: string) => {
      const r = await pivot({ valueColumn: SPACE, aggregation });
      return r.ok ? r.rows.out?.map((x) => [x["ünï"], x["x; drop table y"]]) : r.issues;
    };
    // (5e-324 + 0) / 2 is below the smallest double and rounds to 0.
    expect(await cell("avg")).toEqual([[null, 0], [1.5, null], [0, null]]);
    expect(await cell("min")).toEqual([[null, -1e300], [1.5, null], [0, null]]);
    expect(await cell("max")).toEqual([[null, 1e300], [1.5, null], [5e-324, null]]);
    expect(await cell("first")).toEqual([[null, 1e300], [1.5, null], [5e-324, null]]);
  });

  it("takes min and max of booleans (false < true), in a run inside PostgreSQL too", async () => {
    // PostgreSQL has no min(boolean): a run pushed into the database failed where DuckDB gave these.
    const flags = { columns: [{ name: SEL, type: "string" as const }, { name: QUOTE, type: "boolean" as const }], rows: [["a", true], ["a", false], ["b", true], ["b", null]] };
    const cells = async (aggregation: string) => {
      const r = await runNode(pivotNode, { pivotColumn: SEL, values: ["a", "b", "c"], valueColumn: QUOTE, aggregation }, { in: [flags] });
      return r.ok ? r.rows.out : r;
    };
    expect(await cells("min")).toEqual([{ a: false, b: true, c: null }]);
    expect(await cells("max")).toEqual([{ a: true, b: true, c: null }]);
  });

  it("with no group-by gives one row, even for an empty input", async () => {
    const r = await pivot({ groupBy: [], aggregation: "count" });
    expect(r.ok && r.rows.out).toEqual([{ "ünï": "4", "x; drop table y": "2" }]);
    const empty = await pivot({ groupBy: [], aggregation: "count" }, { ...input, rows: [] });
    expect(empty.ok && empty.rows.out).toEqual([{ "ünï": "0", "x; drop table y": "0" }]);
    const grouped = await pivot({ aggregation: "count" }, { ...input, rows: [] });
    expect(grouped.ok && grouped.rows.out).toEqual([]);
  });

  it("matches non-text pivot columns by their text form", async () => {
    const r = await runNode(pivotNode, { pivotColumn: DROP, values: ["2", "2147483647"], valueColumn: SEL, aggregation: "first" }, { in: [input] });
    expect(r.ok && r.rows.out).toEqual([{ "2": "a", "2147483647": null }]);
  });

  it("tells JSON apart by its text, and so does not run inside PostgreSQL, whose jsonb compares values", async () => {
    // In PostgreSQL {"a": 1} and {"a":1} were one group, and one pivot value, where DuckDB has two.
    const byJson = { pivotColumn: "k", values: ['{"a": 1}', '{"a":1}'], aggregation: "count" };
    const r = await runNode(pivotNode, byJson, { in: [json] });
    expect(r.ok && r.rows.out).toEqual([{ '{"a": 1}': "2", '{"a":1}': "1" }]);
    const groups = await runNode(pivotNode, { groupBy: ["k"], pivotColumn: "n", values: ["1"], aggregation: "count" }, { in: [json] });
    expect(groups.ok && groups.rows.out?.map((x) => x.k)).toEqual(['{"a": 1}', '{"a":1}', null]);
    expect(pushableToPostgres(pivotNode, byJson, { in: [json] })).toEqual({ ok: false, reason: JSON_REASON });
    expect(pushableToPostgres(pivotNode, { groupBy: ["k"], pivotColumn: "n", values: ["1"] }, { in: [json] })).toEqual({ ok: false, reason: JSON_REASON });
    expect(pushableToPostgres(pivotNode, { pivotColumn: "n", values: ["1"], valueColumn: "k", aggregation: "first" }, { in: [json] })).toEqual({ ok: true });
  });

  it("fails a decimal sum beyond 38 digits, which DuckDB passed on as a value its decimal(38, s) cannot hold", async () => {
    const NINES = "9".repeat(37);
    const big = { columns: [{ name: "p", type: "string" as const }, { name: "d", type: "decimal" as const, precision: 38, scale: 1 }], rows: [["a", `${NINES}.9`], ["a", "0.1"], ["b", "1.0"]] };
    const r = await runNode(pivotNode, { pivotColumn: "p", values: ["b"], valueColumn: "d", aggregation: "sum" }, { in: [big] });
    expect(r.ok && r.rows.out).toEqual([{ b: "1.0" }]);
    const over = await runNode(pivotNode, { pivotColumn: "p", values: ["a", "b"], valueColumn: "d", aggregation: "sum" }, { in: [big] });
    expect(over).toMatchObject({ ok: false, stage: "execute", message: expect.stringContaining("beyond the 38 digits a decimal(38, 1) holds") });
  });

  it("reports every issue code", async () => {
    const codes = async (config: Record<string, unknown>) => {
      const r = await runNode(pivotNode, config, { in: [input] });
      return r.ok ? [] : r.issues.map((i) => `${i.code}@${i.field}`);
    };
    expect(await codes({})).toEqual(["PIVOT_COLUMN_REQUIRED@pivotColumn", "NO_PIVOT_VALUES@values"]);
    expect(await codes({ pivotColumn: "nope", values: ["a"] })).toEqual(["UNKNOWN_COLUMN@pivotColumn"]);
    expect(await codes({ groupBy: [SEL, SEL], pivotColumn: SEL, values: ["a"] })).toEqual(["DUPLICATE_COLUMN@groupBy.1", "PIVOT_COLUMN_GROUPED@pivotColumn"]);
    expect(await codes({ pivotColumn: QUOTE, values: ["a"], aggregation: "sum" })).toEqual(["VALUE_COLUMN_REQUIRED@valueColumn"]);
    expect(await codes({ pivotColumn: QUOTE, values: ["a"], aggregation: "avg", valueColumn: SEL })).toEqual(["TYPE_MISMATCH@valueColumn"]);
    expect(await codes({ groupBy: [SEL], pivotColumn: QUOTE, values: ["", "SELECT", "b", "B", "__sluice_row"] })).toEqual([
      "EMPTY_COLUMN_NAME@values.0",
      "DUPLICATE_COLUMN@values.1",
      "DUPLICATE_COLUMN@values.3",
      "RESERVED_COLUMN_NAME@values.4",
    ]);
  });
});
