import { describe, expect, it } from "vitest";
import { inlineNode } from "./inline.node.ts";
import { runNode, HOSTILE_NAMES } from "../../testing/duckdb-harness.ts";

describe("inline", () => {
  it("produces typed rows in the order given, hostile names included", async () => {
    const r = await runNode(
      inlineNode,
      {
        columns: [
          { name: HOSTILE_NAMES[2], type: "bigint" },
          { name: HOSTILE_NAMES[1], type: "string" },
          { name: "d", type: "date" },
          { name: "ok", type: "boolean" },
          { name: "x", type: "double" },
        ],
        rows: [
          ["9007199254740993", "ünï'cödé", "2024-02-29", true, 1e-300],
          [null, null, null, null, null],
          [-1, "'); drop table x; --", "1999-12-31", "FALSE", -1.5e300],
        ],
      },
      {},
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.rows.out).toEqual([
      { "x; drop table y": "9007199254740993", 'a"b': "ünï'cödé", d: "2024-02-29", ok: true, x: 1e-300 },
      { "x; drop table y": null, 'a"b': null, d: null, ok: null, x: null },
      { "x; drop table y": "-1", 'a"b': "'); drop table x; --", d: "1999-12-31", ok: false, x: -1.5e300 },
    ]);
    expect(r.actualTypes.out?.map((c) => c.type)).toEqual(["bigint", "string", "date", "boolean", "double"]);
  });

  it("gives an empty table of the right types", async () => {
    const r = await runNode(inlineNode, { columns: [{ name: "a", type: "integer" }], rows: [] }, {});
    expect(r.ok && r.rows.out).toEqual([]);
    expect(r.ok && r.actualTypes.out).toEqual([{ name: "a", type: "integer" }]);
  });

  it("reports bad values, ragged rows, duplicates and too many rows, each with its field", async () => {
    const r = await runNode(
      inlineNode,
      {
        columns: [{ name: "a", type: "integer" }, { name: "a", type: "date" }],
        rows: [["1.5", "2024-02-30"], [1]],
      },
      {},
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues.map((i) => [i.code, i.field])).toEqual([
      ["DUPLICATE_COLUMN", "columns"],
      ["INLINE_BAD_VALUE", "rows.0.0"],
      ["INLINE_BAD_VALUE", "rows.0.1"],
      ["INLINE_ROW_WIDTH", "rows.1"],
    ]);
    const big = await runNode(inlineNode, { columns: [{ name: "a", type: "integer" }], rows: Array.from({ length: 1001 }, () => [1]) }, {});
    expect(!big.ok && big.stage).toBe("config");
  });
});
