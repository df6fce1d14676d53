import { describe, expect, it } from "vitest";
import { joinNode } from "./join.node.ts";
import { runNode, HOSTILE_NAMES, type FixtureTable } from "../../testing/duckdb-harness.ts";

const [SEL, QUOTE, DROP, , UNI] = HOSTILE_NAMES;
const left: FixtureTable = {
  columns: [
    { name: SEL, type: "integer" as const },
    { name: QUOTE, type: "string" as const },
  ],
  rows: [
    [1, "a"],
    [2, "b"],
    [null, "n"],
    [1, "a2"],
    [4, "ü"],
  ],
};
const right: FixtureTable = {
  columns: [
    { name: SEL, type: "bigint" as const },
    { name: QUOTE, type: "string" as const },
    { name: UNI, type: "double" as const },
  ],
  rows: [
    [1, "x", 1e300],
    [3, "y", -1e-300],
    [null, "z", null],
    [1, "x2", 0],
  ],
};
const run = async (config: unknown, l = left, r = right) => {
  const res = await runNode(joinNode, { keys: [{ left: SEL, right: SEL }], ...(config as object) }, { left: [l], right: [r] });
  if (!res.ok) throw new Error(JSON.stringify(res));
  return res;
};
const rows = async (config: unknown, l = left, r = right) =>
  (await run(config, l, r)).rows.out!.map((x) => Object.values(x));

describe("join", () => {
  it("inner: merges same-named keys, suffixes clashing right columns, orders by left then right", async () => {
    const r = await run({ kind: "inner" });
    expect(r.schemas.out).toEqual([
      { name: SEL, type: "bigint" },
      { name: QUOTE, type: "string" },
      { name: `${QUOTE}_right`, type: "string" },
      { name: UNI, type: "double" },
    ]);
    expect(r.rows.out).toEqual([
      { [SEL]: "1", [QUOTE]: "a", [`${QUOTE}_right`]: "x", [UNI]: 1e300 },
      { [SEL]: "1", [QUOTE]: "a", [`${QUOTE}_right`]: "x2", [UNI]: 0 },
      { [SEL]: "1", [QUOTE]: "a2", [`${QUOTE}_right`]: "x", [UNI]: 1e300 },
      { [SEL]: "1", [QUOTE]: "a2", [`${QUOTE}_right`]: "x2", [UNI]: 0 },
    ]);
    expect(r.actualTypes.out).toEqual(r.schemas.out);
  });

  it("left keeps unmatched left rows; null keys never match", async () => {
    expect(await rows({ kind: "left", rightSuffix: " (r)" })).toEqual([
      ["1", "a", "x", 1e300],
      ["1", "a", "x2", 0],
      ["2", "b", null, null],
      [null, "n", null, null],
      ["1", "a2", "x", 1e300],
      ["1", "a2", "x2", 0],
      ["4", "ü", null, null],
    ]);
  });

  it("right and full put unmatched right rows last, in right order, with merged keys", async () => {
    expect(await rows({ kind: "right" })).toEqual([
      ["1", "a", "x", 1e300],
      ["1", "a", "x2", 0],
      ["1", "a2", "x", 1e300],
      ["1", "a2", "x2", 0],
      ["3", null, "y", -1e-300],
      [null, null, "z", null],
    ]);
    expect(await rows({ kind: "full" })).toEqual([
      ["1", "a", "x", 1e300],
      ["1", "a", "x2", 0],
      ["2", "b", null, null],
      [null, "n", null, null],
      ["1", "a2", "x", 1e300],
      ["1", "a2", "x2", 0],
      ["4", "ü", null, null],
      ["3", null, "y", -1e-300],
      [null, null, "z", null],
    ]);
  });

  it("semi and anti return left columns only, each left row at most once", async () => {
    const semi = await run({ kind: "semi" });
    expect(semi.schemas.out).toEqual(left.columns);
    expect(semi.rows.out!.map((x) => x[QUOTE])).toEqual(["a", "a2"]);
    expect((await run({ kind: "anti" })).rows.out!.map((x) => x[QUOTE])).toEqual(["b", "n", "ü"]);
  });

  it("joins on several differently named keys and keeps both key columns", async () => {
    const r2 = { columns: [{ name: DROP, type: "double" as const }, { name: "label", type: "string" as const }], rows: [[1, "a2"], [2, "b"]] };
    const r = await runNode(joinNode, { kind: "inner", keys: [{ left: SEL, right: DROP }, { left: QUOTE, right: "label" }] }, { left: [left], right: [r2] });
    expect(r.ok && r.rows.out).toEqual([
      { [SEL]: 2, [QUOTE]: "b", [DROP]: 2, label: "b" },
      { [SEL]: 1, [QUOTE]: "a2", [DROP]: 1, label: "a2" },
    ]);
  });

  it("handles empty inputs", async () => {
    expect(await rows({ kind: "full" }, { ...left, rows: [] }, { ...right, rows: [] })).toEqual([]);
    expect(await rows({ kind: "left" }, left, { ...right, rows: [] })).toHaveLength(5);
    expect(await rows({ kind: "anti" }, left, { ...right, rows: [] })).toHaveLength(5);
  });

  it("reports problems as issues", async () => {
    const codes = async (config: unknown, r = right) => {
      const res = await runNode(joinNode, config, { left: [left], right: [r] });
      return res.ok ? [] : res.issues.map((i) => [i.code, i.field]);
    };
    expect(await codes({ keys: [] })).toEqual([["JOIN_NO_KEYS", "keys"]]);
    expect(await codes({ keys: [{ left: "nope", right: SEL }] })).toEqual([["UNKNOWN_COLUMN", "keys.0.left"]]);
    expect(await codes({ keys: [{ left: SEL, right: QUOTE }] })).toEqual([["TYPE_MISMATCH", "keys.0"]]);
    const clash: FixtureTable = { ...right, columns: [...right.columns.slice(0, 2), { name: `${QUOTE}_right`, type: "double" as const }] };
    expect(await codes({ keys: [{ left: SEL, right: SEL }] }, clash)).toEqual([["DUPLICATE_COLUMN", "rightSuffix"]]);
  });
});
