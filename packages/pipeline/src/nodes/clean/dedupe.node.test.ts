import { describe, expect, it } from "vitest";
import { dedupeNode } from "./dedupe.node.ts";
import { runNode, HOSTILE_NAMES } from "../../testing/duckdb-harness.ts";
import { pushableToPostgres } from "../../testing/pushable.ts";

const [SEL, QUOTE, DROP, SPACE, UNI] = HOSTILE_NAMES;
const input = {
  columns: [
    { name: "id", type: "integer" as const },
    { name: SEL, type: "string" as const },
    { name: QUOTE, type: "double" as const },
    { name: UNI, type: "string" as const },
  ],
  rows: [
    [1, "ü", 1e300, "x"],
    [2, null, null, "y"],
    [3, "ü", -1e-300, "x"],
    [4, null, 5, "y"],
    [5, "Ü", 1e300, "x"],
    [6, "ü", 1e300, "x"],
    [7, null, null, "y"],
  ],
};
const ids = async (config: unknown, table = input) => {
  const r = await runNode(dedupeNode, config, { in: [table] });
  if (!r.ok) throw new Error(JSON.stringify(r));
  return r.rows.out!.map((row) => row.id);
};

const json = {
  columns: [{ name: "k", type: "json" as const }, { name: "n", type: "integer" as const }],
  rows: [['{"a": 1}', 1], ['{"a":1}', 2], ['{"a": 1}', 3], [null, 4]],
};
const JSON_REASON = expect.stringContaining("JSON values are told apart by their text on DuckDB");

describe("dedupe", () => {
  it("keeps the first row per key; null keys are equal; case matters", async () => {
    expect(await ids({ keys: [SEL] })).toEqual([1, 2, 5]);
  });
  it("keeps the last row per key, in the kept rows' original order", async () => {
    expect(await ids({ keys: [SEL], keep: "last" })).toEqual([5, 6, 7]);
  });
  it("keeps the first row after sorting, output in original order", async () => {
    expect(await ids({ keys: [SEL], keep: "by_sort", sort: [{ column: QUOTE, direction: "asc", nulls: "last" }] })).toEqual([3, 4, 5]);
    expect(await ids({ keys: [SEL], keep: "by_sort", sort: [{ column: QUOTE, direction: "desc", nulls: "first" }] })).toEqual([1, 2, 5]);
  });
  it("uses several keys, or every column when none are given", async () => {
    expect(await ids({ keys: [SEL, UNI] })).toEqual([1, 2, 5]);
    const whole = { ...input, columns: input.columns.slice(1), rows: input.rows.map((r) => r.slice(1)) };
    const r = await runNode(dedupeNode, {}, { in: [whole] });
    expect(r.ok && r.rows.out).toEqual([
      { [SEL]: "ü", [QUOTE]: 1e300, [UNI]: "x" },
      { [SEL]: null, [QUOTE]: null, [UNI]: "y" },
      { [SEL]: "ü", [QUOTE]: -1e-300, [UNI]: "x" },
      { [SEL]: null, [QUOTE]: 5, [UNI]: "y" },
      { [SEL]: "Ü", [QUOTE]: 1e300, [UNI]: "x" },
    ]);
  });
  it("tells JSON values apart by their text, and so does not run inside PostgreSQL, whose jsonb compares values", async () => {
    // In PostgreSQL {"a": 1} and {"a":1} were duplicates, and row 2 was dropped, where DuckDB keeps it.
    const kept = async (config: unknown) => {
      const r = await runNode(dedupeNode, config, { in: [json] });
      return r.ok ? r.rows.out!.map((row) => row.n) : r;
    };
    expect(await kept({ keys: ["k"] })).toEqual([1, 2, 4]);
    expect(await kept({ keys: ["k"], keep: "by_sort", sort: [{ column: "n", direction: "desc" }] })).toEqual([2, 3, 4]);
    for (const config of [{ keys: ["k"] }, { keys: [], keep: "last" }, { keys: ["k"], keep: "by_sort", sort: [{ column: "n" }] }]) {
      expect(pushableToPostgres(dedupeNode, config, { in: [json] })).toEqual({ ok: false, reason: JSON_REASON });
    }
    expect(pushableToPostgres(dedupeNode, { keys: ["n"] }, { in: [json] })).toEqual({ ok: true });
  });

  it("handles an empty input", async () => {
    expect(await ids({ keys: [SEL] }, { ...input, rows: [] })).toEqual([]);
  });
  it("reports unknown columns", async () => {
    const r = await runNode(dedupeNode, { keys: [DROP], keep: "by_sort", sort: [{ column: SPACE }] }, { in: [input] });
    expect(!r.ok && r.issues.map((i) => [i.code, i.field])).toEqual([
      ["UNKNOWN_COLUMN", "keys.0"],
      ["UNKNOWN_COLUMN", "sort.0.column"],
    ]);
  });
});
