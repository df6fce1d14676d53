import { describe, expect, it } from "vitest";
import { error } from "@sluice/model";
import { getNodeDefinition } from "@sluice/pipeline";
import { formOf } from "./form-model.ts";
import { addColumn, addRow, cellFor, inlineRowPage, moveColumn, removeColumn, removeRow, setCell, type InlineTable } from "./inline-table.ts";
import { drawnPaths } from "./inspector-layout.ts";
import { placeProblems } from "./problem-placement.ts";

const inline = getNodeDefinition("inline")!;
const table: InlineTable = {
  columns: [
    { name: "id", type: "integer" },
    { name: "name", type: "string" },
  ],
  rows: [
    [1, "Ada"],
    [2, "Bo"],
  ],
};

describe("inline table edits", () => {
  it("keeps every value under its column when columns are added, moved and removed", () => {
    const added = addColumn(table);
    expect(added.columns[2]).toEqual({ name: "column_3", type: "string" });
    expect(added.rows).toEqual([
      [1, "Ada", null],
      [2, "Bo", null],
    ]);
    expect(addColumn(added).columns[3]!.name).toBe("column_4");
    const moved = moveColumn(table, 1, -1);
    expect(moved.columns.map((c) => c.name)).toEqual(["name", "id"]);
    expect(moved.rows).toEqual([
      ["Ada", 1],
      ["Bo", 2],
    ]);
    expect(removeColumn(table, 0)).toEqual({ columns: [{ name: "name", type: "string" }], rows: [["Ada"], ["Bo"]] });
    expect(table.rows[0]).toEqual([1, "Ada"]);
  });

  it("adds null rows, sets and removes them, and the node accepts the result", () => {
    const t = setCell(addRow(table), 2, 0, 3);
    expect(t.rows[2]).toEqual([3, null]);
    expect(removeRow(t, 0).rows).toEqual([
      [2, "Bo"],
      [3, null],
    ]);
    const env = { file: () => undefined, sourceColumns: () => undefined };
    const result = inline.inferSchema({ nodeId: "n", inputs: {}, env }, inline.configSchema.parse(t));
    expect(result.ok).toBe(true);
  });

  it("reads cells for their column: empty is null, text stays text", () => {
    expect(cellFor("", { type: "string" })).toBe(null);
    expect(cellFor("007", { type: "string" })).toBe("007");
    expect(cellFor("007", { type: "integer" })).toBe(7);
    expect(cellFor("null", { type: "integer" })).toBe(null);
    expect(cellFor("TRUE", { type: "boolean" })).toBe("TRUE");
    expect(cellFor("true", { type: "boolean" })).toBe(true);
    expect(cellFor("2024-02-30", { type: "date" })).toBe("2024-02-30");
  });

  it("draws about a thousand cells at first, however wide the table", () => {
    expect(inlineRowPage(2)).toBe(25);
    expect(inlineRowPage(100)).toBe(10);
    expect(inlineRowPage(1000)).toBe(5);
  });

  it("lists a bad cell's problem under its row", () => {
    const paths = drawnPaths("inline", formOf(inline), { ...table });
    const placed = placeProblems([error("INLINE_BAD_VALUE", "bad", { nodeId: "n", field: "rows.1.0" })], paths);
    expect(placed.at.get("rows.1")?.[0]?.field).toBe("rows.1.0");
  });
});
