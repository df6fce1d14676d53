import { describe, expect, it } from "vitest";
import { selectNode } from "./select.node.ts";
import { runNode, HOSTILE_NAMES } from "../../testing/duckdb-harness.ts";

const input = {
  columns: [
    { name: "id", type: "integer" as const },
    { name: HOSTILE_NAMES[0], type: "string" as const },
    { name: HOSTILE_NAMES[1], type: "double" as const },
    { name: HOSTILE_NAMES[2], type: "string" as const },
  ],
  rows: [
    [1, "a", 1.5, "ü"],
    [2, null, null, "x"],
    [3, "c", 1e300, null],
  ],
};

describe("select", () => {
  it("keeps, renames and reorders hostile column names", async () => {
    const r = await runNode(selectNode, { mode: "keep", columns: [{ name: 'a"b', rename: "amount" }, { name: "select" }] }, { in: [input] });
    expect(r.ok && r.rows.out).toEqual([
      { amount: 1.5, select: "a" },
      { amount: null, select: null },
      { amount: 1e300, select: "c" },
    ]);
    expect(r.ok && r.schemas.out).toEqual([{ name: "amount", type: "double" }, { name: "select", type: "string" }]);
  });

  it("drops columns and keeps input order", async () => {
    const r = await runNode(selectNode, { mode: "drop", columns: [{ name: "x; drop table y" }] }, { in: [input] });
    expect(r.ok && r.rows.out?.map((row) => Object.keys(row))[0]).toEqual(["id", "select", 'a"b']);
  });

  it("handles an empty input", async () => {
    const r = await runNode(selectNode, { columns: [{ name: "id" }] }, { in: [{ ...input, rows: [] }] });
    expect(r.ok && r.rows.out).toEqual([]);
  });

  it("reports an unknown column with a suggestion", async () => {
    const r = await runNode(selectNode, { columns: [{ name: "ID" }] }, { in: [input] });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.issues[0]).toMatchObject({ code: "UNKNOWN_COLUMN", field: "columns.0.name" });
    expect(!r.ok && r.issues[0]?.message).toContain('did you mean "id"');
  });

  it("reports duplicate output names", async () => {
    const r = await runNode(selectNode, { columns: [{ name: "id" }, { name: "select", rename: "id" }] }, { in: [input] });
    expect(!r.ok && r.issues.map((i) => `${i.code}@${i.field}`)).toEqual(["DUPLICATE_COLUMN@columns.1.rename"]);
  });

  it("refuses output names that differ only in ASCII case, or the row-order column's, at the entry that makes them", async () => {
    // DuckDB made the second "ID" "id_1", and a rename to __sluice_row "__sluice_row_1": not the columns the schema said.
    const codes = async (columns: unknown) => {
      const r = await runNode(selectNode, { columns }, { in: [input] });
      return r.ok ? Object.keys(r.rows.out?.[0] ?? {}) : r.issues.map((i) => `${i.code}@${i.field}`);
    };
    expect(await codes([{ name: "id" }, { name: "select", rename: "ID" }])).toEqual(["DUPLICATE_COLUMN@columns.1.rename"]);
    expect(await codes([{ name: "select", rename: "Id" }, { name: "id" }])).toEqual(["DUPLICATE_COLUMN@columns.1.name"]);
    expect(await codes([{ name: "id" }, { name: "id" }])).toEqual(["DUPLICATE_COLUMN@columns.1.name"]);
    expect(await codes([{ name: "select", rename: "__Sluice_Row" }])).toEqual(["RESERVED_COLUMN_NAME@columns.0.rename"]);
    // Swapping two names is no clash.
    expect(await codes([{ name: "id", rename: "select" }, { name: "select", rename: "id" }])).toEqual(["select", "id"]);
  });
});
