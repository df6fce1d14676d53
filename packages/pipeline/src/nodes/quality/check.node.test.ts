import { describe, expect, it } from "vitest";
import { checkNode } from "./check.node.ts";
import { runNode, HOSTILE_NAMES } from "../../testing/duckdb-harness.ts";

const [SEL, QUOTE] = HOSTILE_NAMES;
const input = {
  columns: [
    { name: "id", type: "integer" as const },
    { name: SEL, type: "string" as const },
    { name: QUOTE, type: "double" as const },
    { name: "day", type: "date" as const },
  ],
  rows: [
    [1, "open", 10, "2024-01-01"],
    [2, "Closed", null, "2024-02-01"],
    [3, null, -5, null],
    [1, "open", 2000, "2025-06-30"],
    [5, "x-1", 10, "2024-03-01"],
  ],
};
const reference = { columns: [{ name: "ref_id", type: "bigint" as const }], rows: [[1], [2], [3]] };

const failing = async (rule: object, inputs: Record<string, (typeof input | typeof reference)[]> = { in: [input] }) => {
  const r = await runNode(checkNode, { rules: [rule] }, inputs);
  if (!r.ok) throw new Error(JSON.stringify(r));
  // Rows pass through unchanged, whatever the rules say.
  expect(r.rows.out!.map((x) => x.id)).toEqual([1, 2, 3, 1, 5]);
  return r.failing[0];
};

describe("check", () => {
  it("not_null fails rows with a null in any listed column", async () => {
    expect(await failing({ kind: "not_null", columns: [SEL] })).toEqual([3]);
    expect(await failing({ kind: "not_null", columns: [SEL, QUOTE, "day"] })).toEqual([2, 3]);
  });
  it("unique fails every row whose key is shared; rows with a null key part are not compared", async () => {
    expect(await failing({ kind: "unique", columns: ["id"] })).toEqual([1, 4]);
    expect(await failing({ kind: "unique", columns: ["id", QUOTE] })).toEqual([]);
    expect(await failing({ kind: "unique", columns: [SEL] })).toEqual([1, 4]);
  });
  it("accepted_values fails values outside the list, exactly (case matters); nulls pass", async () => {
    expect(await failing({ kind: "accepted_values", column: SEL, values: ["open", "closed"] })).toEqual([2, 5]);
    expect(await failing({ kind: "accepted_values", column: "day", values: ["2024-01-01", "2025-06-30"] })).toEqual([2, 5]);
  });
  it("range is inclusive, takes one or both bounds, on numbers and dates; nulls pass", async () => {
    expect(await failing({ kind: "range", column: QUOTE, min: 0, max: 1000 })).toEqual([3, 4]);
    expect(await failing({ kind: "range", column: QUOTE, min: 10 })).toEqual([3]);
    expect(await failing({ kind: "range", column: "day", max: "2024-02-01" })).toEqual([4, 5]);
  });
  it("regex fails text that does not match anywhere (anchor with ^ and $); nulls pass", async () => {
    expect(await failing({ kind: "regex", column: SEL, pattern: "^[a-z]+$" })).toEqual([2, 5]);
  });
  it("referential fails values missing from the reference input, across number types; nulls pass", async () => {
    expect(await failing({ kind: "referential", column: "id", referenceColumn: "ref_id" }, { in: [input], reference: [reference] })).toEqual([5]);
  });
  it("expression fails rows where it is false; unknown (null) passes", async () => {
    expect(await failing({ kind: "expression", expression: `[${QUOTE}] < 1000 and id > 0` })).toEqual([4]);
  });
  it("row_count compiles to bounds, judged by the engine", async () => {
    const r = await runNode(checkNode, { rules: [{ kind: "row_count", min: 1, max: 3, severity: "warn" }] }, { in: [input] });
    expect(r.ok && r.failing).toEqual({});
  });
  it("reports every problem with the field to fix", async () => {
    const r = await runNode(
      checkNode,
      {
        rules: [
          { kind: "not_null", columns: ["nope"] },
          { kind: "accepted_values", column: "day", values: ["soon"] },
          { kind: "range", column: QUOTE },
          { kind: "regex", column: "id", pattern: "x" },
          { kind: "row_count", min: 5, max: 2 },
          { kind: "referential", column: "id", referenceColumn: "ref_id" },
          { kind: "expression", expression: "id + 1" },
          { kind: "expression", expression: "param('since') > day" },
        ],
      },
      { in: [input] },
    );
    expect(!r.ok && r.issues.map((i) => [i.code, i.field])).toEqual([
      ["UNKNOWN_COLUMN", "rules.0.columns.0"],
      ["BAD_VALUE", "rules.1.values.0"],
      ["MISSING_VALUE", "rules.2.min"],
      ["TYPE_MISMATCH", "rules.3.column"],
      ["BAD_VALUE", "rules.4.max"],
      ["REFERENCE_MISSING", "rules.5.referenceColumn"],
      ["EXPRESSION_TYPE_ERROR", "rules.6.expression"],
      ["UNKNOWN_PARAMETER", "rules.7.expression"],
    ]);
  });
  it("refuses a connected reference that no rule reads, and rules of an unknown kind", async () => {
    const unused = await runNode(checkNode, { rules: [{ kind: "not_null", columns: ["id"] }] }, { in: [input], reference: [reference] });
    expect(!unused.ok && unused.issues.map((i) => i.code)).toEqual(["REFERENCE_UNUSED"]);
    const unknown = await runNode(checkNode, { rules: [{ kind: "vibes" }] }, { in: [input] });
    expect(!unknown.ok && unknown.stage).toBe("config");
  });
});
