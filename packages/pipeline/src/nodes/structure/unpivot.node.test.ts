import { describe, expect, it } from "vitest";
import { unpivotNode } from "./unpivot.node.ts";
import { runNode, HOSTILE_NAMES } from "../../testing/duckdb-harness.ts";

const [SEL, QUOTE, DROP, , UNI, APOS] = HOSTILE_NAMES;
const input = {
  columns: [
    { name: SEL, type: "string" as const },
    { name: QUOTE, type: "integer" as const },
    { name: DROP, type: "bigint" as const },
    { name: UNI, type: "string" as const },
  ],
  rows: [
    ["r1", 1, "9223372036854775807", "ü"],
    ["r2", null, "-5", null],
    [null, -2147483648, null, "x"],
  ],
};

describe("unpivot", () => {
  it("turns columns into rows in input row order, then column order, widening the values", async () => {
    const r = await runNode(unpivotNode, { columns: [DROP, QUOTE] }, { in: [input] });
    expect(r.ok, JSON.stringify(r)).toBe(true);
    if (!r.ok) return;
    expect(r.schemas.out).toEqual([
      { name: SEL, type: "string" },
      { name: UNI, type: "string" },
      { name: "name", type: "string" },
      { name: "value", type: "bigint" },
    ]);
    expect(r.rows.out).toEqual([
      { [SEL]: "r1", [UNI]: "ü", name: DROP, value: "9223372036854775807" },
      { [SEL]: "r1", [UNI]: "ü", name: QUOTE, value: "1" },
      { [SEL]: "r2", [UNI]: null, name: DROP, value: "-5" },
      { [SEL]: "r2", [UNI]: null, name: QUOTE, value: null },
      { [SEL]: null, [UNI]: "x", name: DROP, value: null },
      { [SEL]: null, [UNI]: "x", name: QUOTE, value: "-2147483648" },
    ]);
  });

  it("drops null values when asked, and names the output columns as configured", async () => {
    const r = await runNode(unpivotNode, { columns: [QUOTE, DROP], nameColumn: APOS, valueColumn: "v", nulls: "drop" }, { in: [input] });
    expect(r.ok && r.rows.out?.map((x) => [x[APOS], x.v])).toEqual([
      [QUOTE, "1"],
      [DROP, "9223372036854775807"],
      [DROP, "-5"],
      [QUOTE, "-2147483648"],
    ]);
  });

  it("widens mixed types to text and keeps doubles at the extremes", async () => {
    const t = {
      columns: [
        { name: "d", type: "double" as const },
        { name: "b", type: "boolean" as const },
      ],
      rows: [[1e300, true], [5e-324, null], [100, false]],
    };
    const r = await runNode(unpivotNode, { columns: ["d", "b"] }, { in: [t] });
    expect(r.ok && r.schemas.out).toEqual([{ name: "name", type: "string" }, { name: "value", type: "string" }]);
    // "100.0" in a run inside PostgreSQL too, whose own cast wrote "100".
    expect(r.ok && r.rows.out?.map((x) => x.value)).toEqual(["1e+300", "true", "5e-324", null, "100.0", "false"]);
    const only = await runNode(unpivotNode, { columns: ["d"] }, { in: [t] });
    expect(only.ok && only.rows.out?.map((x) => x.value)).toEqual([1e300, 5e-324, 100]);
  });

  it("takes any column names, also those of the SQL it writes (a run inside PostgreSQL failed: 'column reference \"v\" is ambiguous')", async () => {
    const names = ["n", "i", "v", "r", "e", "s", "u0", "k0"];
    const t = { columns: names.map((name) => ({ name, type: "integer" as const })), rows: [[1, 2, 3, 4, 5, 6, 7, 8]] };
    const r = await runNode(unpivotNode, { columns: ["v", "r", "u0"], nameColumn: "which", valueColumn: "value" }, { in: [t] });
    expect(r.ok && r.rows.out).toEqual([
      { n: 1, i: 2, e: 5, s: 6, k0: 8, which: "v", value: 3 },
      { n: 1, i: 2, e: 5, s: 6, k0: 8, which: "r", value: 4 },
      { n: 1, i: 2, e: 5, s: 6, k0: 8, which: "u0", value: 7 },
    ]);
  });

  it("handles an empty input", async () => {
    const r = await runNode(unpivotNode, { columns: [QUOTE] }, { in: [{ ...input, rows: [] }] });
    expect(r.ok && r.rows.out).toEqual([]);
  });

  it("reports unknown, repeated, missing and clashing columns", async () => {
    const codes = async (config: unknown) => {
      const r = await runNode(unpivotNode, config, { in: [input] });
      return r.ok ? [] : r.issues.map((i) => `${i.code}@${i.field}`);
    };
    expect(await codes({ columns: [] })).toEqual(["NO_COLUMNS@columns"]);
    expect(await codes({ columns: ["SELECT"] })).toEqual(["UNKNOWN_COLUMN@columns.0"]);
    expect(await codes({ columns: [QUOTE, QUOTE] })).toEqual(["DUPLICATE_COLUMN@columns.1"]);
    expect(await codes({ columns: [QUOTE], nameColumn: "SELECT" })).toEqual(["DUPLICATE_COLUMN@nameColumn"]);
    expect(await codes({ columns: [QUOTE], valueColumn: "Name" })).toEqual(["DUPLICATE_COLUMN@valueColumn"]);
    expect(await codes({ columns: [QUOTE], valueColumn: "__sluice_row" })).toEqual(["RESERVED_COLUMN_NAME@valueColumn"]);
  });
});
