import { describe, expect, it } from "vitest";
import { sortNode } from "./sort.node.ts";
import { runNode, HOSTILE_NAMES } from "../../testing/duckdb-harness.ts";

const [SEL, QUOTE, DROP, SPACE, UNI] = HOSTILE_NAMES;
const input = {
  columns: [
    { name: "id", type: "integer" as const },
    { name: SEL, type: "string" as const },
    { name: QUOTE, type: "double" as const },
    { name: UNI, type: "date" as const },
    { name: DROP, type: "json" as const },
  ],
  rows: [
    [1, "b", 1.5, "2024-01-01", "{}"],
    [2, null, null, null, null],
    [3, "ü", 1e300, "2024-06-30", "[]"],
    [4, "a", -1e-300, "2023-12-31", "1"],
    [5, "b", 1.5, null, "2"],
    [6, "B", null, "2024-01-01", null],
  ],
};
const ids = async (config: unknown, table = input) => {
  const r = await runNode(sortNode, config, { in: [table] });
  if (!r.ok) throw new Error(JSON.stringify(r));
  return r.rows.out!.map((row) => row.id);
};

describe("sort", () => {
  it("sorts ascending with nulls last by default, stable on ties", async () => {
    expect(await ids({ keys: [{ column: QUOTE }] })).toEqual([4, 1, 5, 3, 2, 6]);
  });

  it("sorts descending with nulls first", async () => {
    expect(await ids({ keys: [{ column: QUOTE, direction: "desc", nulls: "first" }] })).toEqual([2, 6, 3, 1, 5, 4]);
  });

  it("uses several keys; text sorts by code point, unicode after ASCII", async () => {
    expect(await ids({ keys: [{ column: SEL }, { column: UNI, direction: "desc" }] })).toEqual([6, 4, 1, 5, 3, 2]);
  });

  it("keeps input order with no keys, and all columns and types", async () => {
    const r = await runNode(sortNode, { keys: [] }, { in: [input] });
    expect(r.ok && r.rows.out?.map((x) => x.id)).toEqual([1, 2, 3, 4, 5, 6]);
    // The harness reads JSON back as text, so compare the other types.
    expect(r.ok && r.actualTypes.out?.slice(0, 4)).toEqual(input.columns.slice(0, 4));
    expect(r.ok && r.schemas.out).toEqual(input.columns);
  });

  it("handles an empty input", async () => {
    expect(await ids({ keys: [{ column: SEL }] }, { ...input, rows: [] })).toEqual([]);
  });

  it("reports unknown and unsortable columns", async () => {
    const r = await runNode(sortNode, { keys: [{ column: SPACE }, { column: DROP }] }, { in: [input] });
    expect(!r.ok && r.issues.map((i) => [i.code, i.field])).toEqual([
      ["UNKNOWN_COLUMN", "keys.0.column"],
      ["TYPE_MISMATCH", "keys.1.column"],
    ]);
  });
});
