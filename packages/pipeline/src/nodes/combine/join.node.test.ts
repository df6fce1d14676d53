import { describe, expect, it } from "vitest";
import { DuckDBInstance } from "@duckdb/node-api";
import { joinNode } from "./join.node.ts";
import { emptyEnv, runNode, HOSTILE_NAMES, type FixtureTable } from "../../testing/duckdb-harness.ts";
import { ROW_ORDER_COLUMN } from "../../catalog/node-definition.ts";
import { duckdbDialect } from "../../sql/duckdb-dialect.ts";
import type { Column } from "@sluice/model";

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

  it("stored and numbered by position, gives the numbered order over many rows sorted on several threads", async () => {
    const instance = await DuckDBInstance.create(":memory:", { threads: "4", preserve_insertion_order: "true" });
    const conn = await instance.connect();
    try {
      // 300,000 left rows whose keys cycle backwards; 2 right rows per key, listed in reverse: the sort does the work.
      // Left keys 0-999 have no match, nor do right keys 5000-5999.
      await conn.run(`CREATE TABLE l AS SELECT (300000 - i) % 5000 AS k, 'l' || i AS a, i + 1 AS "${ROW_ORDER_COLUMN}" FROM range(300000) t(i)`);
      await conn.run(`CREATE TABLE r AS SELECT (9999 - i) // 2 + 1000 AS k, 'r' || i AS b, i + 1 AS "${ROW_ORDER_COLUMN}" FROM range(10000) t(i)`);
      const inputs: Record<string, Column[][]> = { left: [[{ name: "k", type: "bigint" }, { name: "a", type: "string" }]], right: [[{ name: "k", type: "bigint" }, { name: "b", type: "string" }]] };
      for (const kind of ["inner", "left", "full"] as const) {
        const config = joinNode.configSchema.parse({ kind, keys: [{ left: "k", right: "k" }] });
        const inferred = joinNode.inferSchema({ nodeId: "j", inputs, env: emptyEnv }, config);
        if (!inferred.ok) throw new Error("join did not infer");
        const step = joinNode.compile({ nodeId: "j", inputs, env: emptyEnv, relations: { left: ["l"], right: ["r"] }, outputs: inferred.value, dialect: duckdbDialect }, config);
        if (step.kind !== "query" || !step.unnumbered?.out) throw new Error("expected an unnumbered form");
        await conn.run(`CREATE OR REPLACE TABLE by_window AS ${step.outputs.out}`);
        await conn.run(`CREATE OR REPLACE TABLE stored AS ${step.unnumbered.out}`);
        const differences = await conn.runAndReadAll(`SELECT count(*)::INTEGER AS n, (SELECT count(*)::INTEGER FROM by_window) AS total, (SELECT count(*)::INTEGER FROM stored) AS kept FROM (
          SELECT *, rowid + 1 AS "${ROW_ORDER_COLUMN}" FROM stored EXCEPT ALL SELECT * FROM by_window)`);
        const [n, total, kept] = differences.getRows()[0] as [number, number, number];
        // No stored row differs from the numbered ones, and there are as many: the same rows, numbers and order.
        expect([kind, n, kept]).toEqual([kind, 0, total]);
        expect(total).toBe({ inner: 480_000, left: 540_000, full: 542_000 }[kind]);
      }
    } finally {
      conn.closeSync();
      instance.closeSync();
    }
  });

  it("leaves a column named rowid to be numbered while streaming", () => {
    const inputs: Record<string, Column[][]> = { left: [[{ name: "k", type: "bigint" }, { name: "RowID", type: "string" }]], right: [[{ name: "k", type: "bigint" }]] };
    const config = joinNode.configSchema.parse({ keys: [{ left: "k", right: "k" }] });
    const inferred = joinNode.inferSchema({ nodeId: "j", inputs, env: emptyEnv }, config);
    const step = joinNode.compile({ nodeId: "j", inputs, env: emptyEnv, relations: { left: ["l"], right: ["r"] }, outputs: inferred.ok ? inferred.value : {}, dialect: duckdbDialect }, config);
    expect(step.kind === "query" && step.unnumbered).toBeUndefined();
  });
});
