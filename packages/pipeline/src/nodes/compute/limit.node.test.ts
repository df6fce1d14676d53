import { describe, expect, it } from "vitest";
import { limitNode } from "./limit.node.ts";
import { runNode, HOSTILE_NAMES } from "../../testing/duckdb-harness.ts";

const input = {
  columns: [
    { name: HOSTILE_NAMES[1], type: "integer" as const },
    { name: HOSTILE_NAMES[4], type: "string" as const },
  ],
  rows: [[1, "ä"], [2, null], [3, "c"], [4, "d"], [5, "e"]],
};
const run = async (config: unknown, table = input) => {
  const r = await runNode(limitNode, config, { in: [table] });
  return r.ok ? r.rows.out!.map((row) => row[HOSTILE_NAMES[1]]) : r.issues.map((i) => i.code);
};

describe("limit", () => {
  it("keeps the first count rows in input order", async () => {
    expect(await run({ count: 2 })).toEqual([1, 2]);
    const r = await runNode(limitNode, { count: 2 }, { in: [input] });
    expect(r.ok && r.rows.out).toEqual([{ 'a"b': 1, "ünï cödé": "ä" }, { 'a"b': 2, "ünï cödé": null }]);
  });
  it("skips rows first", async () => {
    expect(await run({ count: 2, skip: 3 })).toEqual([4, 5]);
    expect(await run({ count: 10, skip: 10 })).toEqual([]);
    expect(await run({ count: 0 })).toEqual([]);
    expect(await run({ count: Number.MAX_SAFE_INTEGER, skip: 1 })).toEqual([2, 3, 4, 5]);
  });
  it("handles an empty input", async () => {
    expect(await run({ count: 3 }, { ...input, rows: [] })).toEqual([]);
  });
  it("rejects negative or fractional numbers", async () => {
    expect(await run({ count: -1 })).toEqual(["INVALID_CONFIG"]);
    expect(await run({ count: 1, skip: 1.5 })).toEqual(["INVALID_CONFIG"]);
  });
  describe("migration from version 1", () => {
    const up = limitNode.migrations![0]!.up;
    it("renames offset to skip and keeps everything else", () => {
      expect(up({ count: 2, offset: 3 })).toEqual({ count: 2, skip: 3 });
      expect(up({ count: 2 })).toEqual({ count: 2 });
      expect(up({})).toEqual({});
    });
    it("lets offset win over a skip version 1 ignored, and keeps a skip without an offset", () => {
      expect(up({ count: 2, offset: 3, skip: 9 })).toEqual({ count: 2, skip: 3 });
      expect(up({ count: 2, skip: 1 })).toEqual({ count: 2, skip: 1 });
    });
    it("gives the rows version 1 gave", async () => {
      expect(await run(up({ count: 2, offset: 3 }))).toEqual([4, 5]);
    });
  });
});
