import { describe, expect, it } from "vitest";
import type { Column } from "@sluice/model";
import { MAX_UNION_CELLS, unionNode } from "./union.node.ts";
import { duckdbDialect } from "../../sql/duckdb-dialect.ts";
import { emptyEnv, runNode, HOSTILE_NAMES } from "../../testing/duckdb-harness.ts";
import { widen, widenAll } from "../../catalog/type-widening.ts";

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

  it("keeps every input's row order and survives column names like the ones it uses inside", async () => {
    const cols = [...HOSTILE_NAMES, "i", "r", "c0", "u"].map((name) => ({ name, type: "string" as const }));
    const row = (tag: string) => cols.map((c) => `${tag}:${c.name}`);
    const a = { columns: cols, rows: [row("a1"), row("a2"), row("a3")] };
    const b = { columns: [...cols].reverse(), rows: [row("b1").reverse(), row("b2").reverse()] };
    const r = await runNode(unionNode, {}, { in: [a, b, a] });
    expect(r.ok, JSON.stringify(r)).toBe(true);
    if (!r.ok) return;
    expect(r.schemas.out?.map((c) => c.name)).toEqual(cols.map((c) => c.name));
    expect(r.rows.out?.map((x) => x.i)).toEqual(["a1:i", "a2:i", "a3:i", "b1:i", "b2:i", "a1:i", "a2:i", "a3:i"]);
    expect(r.rows.out?.[3]).toEqual(Object.fromEntries(cols.map((c) => [c.name, `b1:${c.name}`])));
  });

  it("matches names ignoring case, as DuckDB does, keeping the first spelling", async () => {
    const a = { columns: [{ name: "Name", type: "string" as const }], rows: [["Ünï"]] };
    const b = { columns: [{ name: "NAME", type: "string" as const }, { name: "ünï cödé", type: "bigint" as const }], rows: [["x", "9223372036854775807"]] };
    const r = await runNode(unionNode, {}, { in: [a, b] });
    expect(r.ok && r.schemas.out).toEqual([{ name: "Name", type: "string" }, { name: "ünï cödé", type: "bigint" }]);
    expect(r.ok && r.rows.out).toEqual([{ Name: "Ünï", "ünï cödé": null }, { Name: "x", "ünï cödé": "9223372036854775807" }]);
  });

  it("widens decimals exactly and very small numbers survive", async () => {
    const a = { columns: [{ name: "v", type: "decimal" as const, precision: 10, scale: 2 }], rows: [["12345678.91"]] };
    const b = { columns: [{ name: "v", type: "bigint" as const }], rows: [["-9223372036854775808"]] };
    const c = { columns: [{ name: "v", type: "decimal" as const, precision: 5, scale: 4 }], rows: [["0.0001"]] };
    const r = await runNode(unionNode, {}, { in: [a, b, c] });
    expect(r.ok && r.schemas.out).toEqual([{ name: "v", type: "decimal", precision: 23, scale: 4 }]);
    expect(r.ok && r.rows.out).toEqual([{ v: "12345678.9100" }, { v: "-9223372036854775808.0000" }, { v: "0.0001" }]);
    const d = { columns: [{ name: "v", type: "double" as const }], rows: [[5e-324]] };
    const tiny = await runNode(unionNode, {}, { in: [d, b] });
    expect(tiny.ok && tiny.rows.out).toEqual([{ v: 5e-324 }, { v: -9223372036854775808 }]);
  });

  it("turns mixed kinds into text and keeps empty inputs empty", async () => {
    const a = { columns: [{ name: "v", type: "boolean" as const }], rows: [[true], [null]] };
    const b = { columns: [{ name: "v", type: "integer" as const }], rows: [[7]] };
    const r = await runNode(unionNode, {}, { in: [a, b] });
    expect(r.ok && r.rows.out).toEqual([{ v: "true" }, { v: null }, { v: "7" }]);
    const empty = await runNode(unionNode, {}, { in: [{ ...a, rows: [] }, { ...a, rows: [] }] });
    expect(empty.ok && empty.rows.out).toEqual([]);
  });

  it("writes numbers, dates and booleans widened to text as DuckDB does, in a run inside PostgreSQL too", async () => {
    // PostgreSQL's own cast wrote the double 100 as "100" where DuckDB writes "100.0".
    const a = { columns: [{ name: "v", type: "double" as const }], rows: [[100], [0.1], [1e21], [-2.5e-7]] };
    const b = { columns: [{ name: "v", type: "boolean" as const }], rows: [[false]] };
    const c = { columns: [{ name: "v", type: "decimal" as const, precision: 6, scale: 2 }], rows: [["-1.50"]] };
    const d = { columns: [{ name: "v", type: "timestamp" as const }], rows: [["2024-01-31 08:00:00"]] };
    const r = await runNode(unionNode, {}, { in: [a, b, c, d] });
    expect(r.ok && r.rows.out?.map((x) => x.v)).toEqual(["100.0", "0.1", "1e+21", "-2.5e-07", "false", "-1.50", "2024-01-31 08:00:00"]);
  });

  it("refuses a source column that clashes or is reserved", async () => {
    const a = { columns: [{ name: "From", type: "integer" as const }], rows: [[1]] };
    const clash = await runNode(unionNode, { sourceColumn: "from" }, { in: [a, a] });
    expect(!clash.ok && clash.issues.map((i) => [i.code, i.field])).toEqual([["DUPLICATE_COLUMN", "sourceColumn"]]);
    const reserved = await runNode(unionNode, { sourceColumn: "__sluice_row" }, { in: [a, a] });
    expect(!reserved.ok && reserved.issues.map((i) => i.code)).toEqual(["RESERVED_COLUMN_NAME"]);
  });

  it("widens as documented", () => {
    expect(widen({ type: "integer" }, { type: "bigint" })).toEqual({ type: "bigint" });
    expect(widen({ type: "bigint" }, { type: "decimal", precision: 10, scale: 2 })).toEqual({ type: "decimal", precision: 21, scale: 2 });
    expect(widen({ type: "integer" }, { type: "decimal", precision: 5, scale: 2 })).toEqual({ type: "decimal", precision: 12, scale: 2 });
    expect(widen({ type: "decimal", precision: 10, scale: 2 }, { type: "decimal", precision: 12, scale: 5 })).toEqual({ type: "decimal", precision: 13, scale: 5 });
    expect(widen({ type: "decimal", precision: 38, scale: 0 }, { type: "decimal", precision: 38, scale: 30 })).toEqual({ type: "double" });
    expect(widen({ type: "bigint" }, { type: "decimal", precision: 38, scale: 30 })).toEqual({ type: "double" });
    expect(widen({ type: "decimal", precision: 10, scale: 2 }, { type: "double" })).toEqual({ type: "double" });
    expect(widen({ type: "date" }, { type: "timestamp" })).toEqual({ type: "timestamp" });
    expect(widen({ type: "date" }, { type: "integer" })).toEqual({ type: "string" });
    expect(widen({ type: "json" }, { type: "string" })).toEqual({ type: "string" });
    expect(widen({ type: "json" }, { type: "json" })).toEqual({ type: "json" });
    expect(widenAll([{ type: "decimal" }])).toEqual({ type: "decimal", precision: 18, scale: 3 });
    expect(widenAll([])).toBeUndefined();
  });

  // Its columns are looked up by name key, not searched (1,000 edges of a 400-column input took 53 s to compile). Not
  // timed here: a busy machine made a clock bound fail; the widest accepted union is checked for its output instead.
  it("checks and compiles the widest union MAX_UNION_CELLS allows, and refuses one input more", () => {
    const cols = (n: number) => Array.from({ length: n }, (_, i) => ({ name: `Column_${i}`, type: "integer" as const }));
    const ctx = (inputs: Column[][]) => ({ nodeId: "u", inputs: { in: inputs }, env: emptyEnv, params: new Map() });
    const work = (inputs: Column[][]) => ({
      inferred: unionNode.inferSchema(ctx(inputs), {}),
      sql: unionNode.compile({ ...ctx(inputs), relations: { in: inputs.map((_, i) => `"s${i}"`) }, outputs: {}, dialect: duckdbDialect }, {}),
      lineage: unionNode.lineage({ ...ctx(inputs), outputs: {} }, {}),
    });
    // 500 edges of one 400-column input, the most MAX_UNION_CELLS allows.
    const many = Array.from({ length: 500 }, () => cols(400));
    const { inferred, sql, lineage } = work(many);
    expect(inferred.ok && inferred.value.out).toHaveLength(400);
    expect(sql.kind === "query" && sql.outputs.out!.includes('CAST("Column_399" AS INTEGER) AS "c399", 500 AS "i", "__sluice_row" AS "r" FROM "s499"')).toBe(true);
    expect(lineage.out?.columns.Column_7).toHaveLength(500);
    // One more input than fits: each input's SELECT lists every output column.
    const over = Array.from({ length: MAX_UNION_CELLS / 400 + 1 }, () => cols(400));
    const refused = unionNode.inferSchema(ctx(over), {});
    expect(!refused.ok && refused.issues).toEqual([{ severity: "error", code: "UNION_TOO_WIDE", message: expect.stringContaining("501 inputs of 400 columns"), nodeId: "u", port: "in" }]);
    expect(unionNode.inferSchema(ctx(over.slice(1)), {}).ok).toBe(true);
  });
});
