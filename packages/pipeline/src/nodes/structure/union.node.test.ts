import { describe, expect, it } from "vitest";
import { unionNode } from "./union.node.ts";
import { runNode, HOSTILE_NAMES } from "../../testing/duckdb-harness.ts";
import { widen } from "../../catalog/type-widening.ts";

describe("union", () => {
  it("stacks inputs by column name, filling missing columns with null and widening types", async () => {
    const a = { columns: [{ name: "id", type: "integer" as const }, { name: HOSTILE_NAMES[1], type: "string" as const }], rows: [[1, "x"], [2, null]] };
    const b = { columns: [{ name: "extra", type: "date" as const }, { name: "id", type: "double" as const }], rows: [["2024-01-01", 2.5], [null, -1e300]] };
    const c = { columns: [{ name: "id", type: "bigint" as const }], rows: [] };
    const r = await runNode(unionNode, { sourceColumn: "from" }, { in: [a, b, c] });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.schemas.out).toEqual([
      { name: "id", type: "double" },
      { name: 'a"b', type: "string" },
      { name: "extra", type: "date" },
      { name: "from", type: "integer" },
    ]);
    expect(r.rows.out).toEqual([
      { id: 1, 'a"b': "x", extra: null, from: 1 },
      { id: 2, 'a"b': null, extra: null, from: 1 },
      { id: 2.5, 'a"b': null, extra: "2024-01-01", from: 2 },
      { id: -1e300, 'a"b': null, extra: null, from: 2 },
    ]);
    expect(r.actualTypes.out?.map((x) => x.type)).toEqual(["double", "string", "date", "integer"]);
  });

  it("turns mixed kinds into text and keeps empty inputs empty", async () => {
    const a = { columns: [{ name: "v", type: "boolean" as const }], rows: [[true]] };
    const b = { columns: [{ name: "v", type: "integer" as const }], rows: [[7]] };
    const r = await runNode(unionNode, {}, { in: [a, b] });
    expect(r.ok && r.rows.out).toEqual([{ v: "true" }, { v: "7" }]);
    const empty = await runNode(unionNode, {}, { in: [{ ...a, rows: [] }, { ...a, rows: [] }] });
    expect(empty.ok && empty.rows.out).toEqual([]);
  });

  it("widens as documented", () => {
    expect(widen({ type: "integer" }, { type: "bigint" })).toEqual({ type: "bigint" });
    expect(widen({ type: "bigint" }, { type: "decimal", precision: 10, scale: 2 })).toEqual({ type: "decimal", precision: 21, scale: 2 });
    expect(widen({ type: "decimal", precision: 10, scale: 2 }, { type: "double" })).toEqual({ type: "double" });
    expect(widen({ type: "date" }, { type: "timestamp" })).toEqual({ type: "timestamp" });
    expect(widen({ type: "date" }, { type: "integer" })).toEqual({ type: "string" });
  });
});
