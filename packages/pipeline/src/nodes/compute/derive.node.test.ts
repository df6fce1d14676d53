import { describe, expect, it } from "vitest";
import { deriveNode, MAX_DERIVATIONS, MAX_DERIVE_SQL_SIZE } from "./derive.node.ts";
import { emptyEnv, runNode, HOSTILE_NAMES } from "../../testing/duckdb-harness.ts";
import { duckdbDialect } from "../../sql/duckdb-dialect.ts";

const input = {
  columns: [
    { name: "price", type: "double" as const },
    { name: "qty", type: "integer" as const },
    { name: HOSTILE_NAMES[3], type: "string" as const },
    { name: "d", type: "date" as const },
  ],
  rows: [
    [2.5, 4, " Ünï ", "2024-02-29"],
    [null, 0, null, null],
    [1e300, 10, "x; drop table y", "1999-12-31"],
  ],
};
const derive = (derivations: { column: string; expression: string }[]) => runNode(deriveNode, { derivations }, { in: [input] });

describe("derive", () => {
  it("refuses more derivations than one node may have, before checking any of them", () => {
    const derivations = (n: number) => Array.from({ length: n }, (_, i) => ({ column: `c${i}`, expression: "1" }));
    expect(deriveNode.configSchema.safeParse({ derivations: derivations(MAX_DERIVATIONS) }).success).toBe(true);
    const tooMany = deriveNode.configSchema.safeParse({ derivations: derivations(10_000) });
    expect(!tooMany.success && tooMany.error.issues[0]?.message).toMatch(/at most 400 derivations/);
  });

  it("refuses derivations whose nested SELECTs would list more than MAX_DERIVE_SQL_SIZE of columns, with the field", () => {
    // Each derivation lists every column: 400 over one column named with 1.9 MB made 760 MB of SQL.
    const derivations = (n: number) => Array.from({ length: n }, (_, i) => ({ column: `c${i}`, expression: "1" }));
    const long = [{ name: "x".repeat(200_000), type: "integer" as const }];
    const ctx = { nodeId: "d", inputs: { in: [long] }, env: emptyEnv, params: new Map() };
    const refused = deriveNode.inferSchema(ctx, { derivations: derivations(MAX_DERIVATIONS) });
    expect(!refused.ok && refused.issues).toEqual([{ severity: "error", code: "DERIVE_TOO_LARGE", message: expect.stringContaining("400 derivations over these 401 columns"), nodeId: "d", field: "derivations" }]);
    expect(deriveNode.inferSchema(ctx, { derivations: derivations(Math.floor(MAX_DERIVE_SQL_SIZE / 200_016) - 1) }).ok).toBe(true);
    // As many derivations as a node may have over 1,000 columns still fit.
    const wide = Array.from({ length: 1000 }, (_, i) => ({ name: `column_${i}`, type: "integer" as const }));
    expect(deriveNode.inferSchema({ ...ctx, inputs: { in: [wide] } }, { derivations: derivations(MAX_DERIVATIONS) }).ok).toBe(true);
  });

  it("runs as many derivations as one node may have, each reading the one before, on DuckDB", async () => {
    const chain = Array.from({ length: MAX_DERIVATIONS }, (_, i) => ({ column: `c${i}`, expression: i === 0 ? "qty * 2.5" : `c${i - 1} + price` }));
    const r = await derive(chain);
    expect(r.ok, r.ok ? "" : JSON.stringify(r).slice(0, 500)).toBe(true);
    expect(r.ok && (r.rows.out?.[0]?.[`c${MAX_DERIVATIONS - 1}`] as number)).toBeCloseTo(4 * 2.5 + 2.5 * (MAX_DERIVATIONS - 1));
  }, 60_000);

  it("puts derivations that read no column an earlier one defines into one SELECT, and nests only where one does", () => {
    const ctx = { nodeId: "n1", inputs: { in: [input.columns] }, relations: { in: ['"rel"'] }, outputs: {}, dialect: duckdbDialect } as never;
    const selects = (derivations: { column: string; expression: string }[]) => {
      const step = deriveNode.compile(ctx, deriveNode.configSchema.parse({ derivations }));
      return step.kind === "query" ? step.outputs.out!.match(/\bSELECT\b/g)!.length : 0;
    };
    // The innermost "SELECT * FROM rel", then one level per group.
    const independent = Array.from({ length: MAX_DERIVATIONS }, (_, i) => ({ column: `c${i}`, expression: `price * ${i}` }));
    expect(selects(independent)).toBe(2);
    expect(selects([{ column: "a", expression: "price" }, { column: "b", expression: "a + 1" }, { column: "c", expression: "qty" }])).toBe(3);
    expect(selects([{ column: "a", expression: "price" }, { column: "a", expression: "qty" }])).toBe(3);
  });

  it("gives each derivation the columns as the ones before it left them, within one SELECT or across", async () => {
    const r = await derive([
      { column: "old_price", expression: "price * 2" },
      { column: "Price", expression: "price + 1" },
      { column: "new_price", expression: "Price" },
      { column: "x", expression: "qty + 1" },
      { column: "x", expression: "x * 2" },
      { column: "y", expression: "x + old_price" },
    ]);
    expect(r.ok, JSON.stringify(r).slice(0, 300)).toBe(true);
    const row = r.ok ? r.rows.out![0]! : {};
    expect([row.old_price, row.Price, row.new_price, row.x, row.y]).toEqual([5, 3.5, 3.5, "10", 15]);
    expect(r.ok && Object.keys(row).filter((k) => k !== "__sluice_row")).toEqual(["Price", "qty", HOSTILE_NAMES[3], "d", "old_price", "new_price", "x", "y"]);
  });

  it("computes arithmetic, text, dates and conditions, each derivation seeing the ones before", async () => {
    const r = await derive([
      { column: "total", expression: "price * qty" },
      { column: "per_unit", expression: "total / qty" },
      { column: "label", expression: "upper(trim([with space])) & '-' & qty" },
      { column: "month", expression: "date_trunc('month', d)" },
      { column: "size", expression: "case when total > 100 then 'big' when is_null(total) then 'none' else 'small' end" },
      { column: "qty", expression: "coalesce(qty, 0) + 1" },
    ]);
    expect(r.ok, JSON.stringify(!r.ok && r.issues)).toBe(true);
    if (!r.ok) return;
    expect(r.schemas.out?.map((c) => `${c.name}:${c.type}`)).toEqual([
      "price:double",
      "qty:bigint",
      "with space:string",
      "d:date",
      "total:double",
      "per_unit:double",
      "label:string",
      "month:date",
      "size:string",
    ]);
    expect(r.rows.out).toEqual([
      { price: 2.5, qty: "5", "with space": " Ünï ", d: "2024-02-29", total: 10, per_unit: 2.5, label: "ÜNÏ-4", month: "2024-02-01", size: "small" },
      { price: null, qty: "1", "with space": null, d: null, total: null, per_unit: null, label: null, month: null, size: "none" },
      { price: 1e300, qty: "11", "with space": "x; drop table y", d: "1999-12-31", total: 1e301, per_unit: 1e300, label: "X; DROP TABLE Y-10", month: "1999-12-01", size: "big" },
    ]);
  });

  it("keeps injection attempts as data", async () => {
    const r = await derive([{ column: "s", expression: "'''); drop table x; --' & [with space]" }]);
    expect(r.ok && r.rows.out?.[0]?.s).toBe("'); drop table x; -- Ünï ");
  });

  it("divides by zero to null", async () => {
    const r = await derive([{ column: "q", expression: "price / (qty - qty)" }]);
    expect(r.ok && r.rows.out?.map((x) => x.q)).toEqual([null, null, null]);
  });

  it("points parse errors at their position", async () => {
    const r = await derive([{ column: "x", expression: "price *\n  (qty + " }]);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.issues[0]).toMatchObject({ code: "EXPRESSION_PARSE_ERROR", field: "derivations.0.expression" });
    expect(!r.ok && r.issues[0]?.message).toMatch(/at 2:10/);
  });

  it("reports type errors, unknown columns and unknown functions", async () => {
    const r = await derive([
      { column: "a", expression: "'a' + 1" },
      { column: "b", expression: "prcie * 2" },
      { column: "c", expression: "uper([with space])" },
      { column: "d", expression: "date_trunc('fortnight', d)" },
    ]);
    expect(!r.ok && r.issues.map((i) => i.code)).toEqual(["EXPRESSION_TYPE_ERROR", "UNKNOWN_COLUMN", "UNKNOWN_FUNCTION", "EXPRESSION_TYPE_ERROR"]);
    expect(!r.ok && r.issues[1]?.message).toContain('did you mean "price"');
    expect(!r.ok && r.issues[2]?.message).toContain('did you mean "upper"');
  });

  it("reads and writes hostile column names, keeping the declared types", async () => {
    const hostile = { columns: HOSTILE_NAMES.map((name) => ({ name, type: "string" as const })), rows: [["a", "b", "c", "d", "é", "f"], [null, null, null, null, null, null]] };
    const derivations = HOSTILE_NAMES.map((name) => ({ column: name, expression: `upper([${name}]) & ''''` }));
    const r = await runNode(deriveNode, { derivations: [...derivations, { column: "__sluice", expression: `[select] & [a"b]` }] }, { in: [hostile] });
    expect(r.ok, JSON.stringify(!r.ok && r.issues)).toBe(true);
    if (!r.ok) return;
    expect(r.rows.out).toEqual([
      { select: "A'", 'a"b': "B'", "x; drop table y": "C'", "with space": "D'", "ünï cödé": "É'", "'quoted'": "F'", __sluice: "A'B'" },
      { select: null, 'a"b': null, "x; drop table y": null, "with space": null, "ünï cödé": null, "'quoted'": null, __sluice: null },
    ]);
    expect(r.actualTypes.out).toEqual(r.schemas.out);
  });

  it("keeps very large and very small numbers, and whole numbers as bigint", async () => {
    const r = await derive([
      { column: "big", expression: "9223372036854775807" },
      { column: "tiny", expression: "price * 1e-300" },
      { column: "huge", expression: "price * 1e10" },
      { column: "whole", expression: "qty * 1000000000000" },
    ]);
    expect(r.ok && r.rows.out?.map((x) => [x.big, x.tiny, x.huge, x.whole])).toEqual([
      ["9223372036854775807", 2.5e-300, 2.5e10, "4000000000000"],
      ["9223372036854775807", null, null, "0"],
      ["9223372036854775807", 1, null, "10000000000000"],
    ]);
    expect(r.ok && r.actualTypes.out).toEqual(r.ok && r.schemas.out);
  });

  it("replaces a column named with other ASCII case in its place, as DuckDB treats them as one", async () => {
    const r = await derive([{ column: "PRICE", expression: "round(price)" }, { column: "__Sluice_Row", expression: "1" }]);
    expect(!r.ok && r.issues.map((i) => i.code)).toEqual(["RESERVED_COLUMN_NAME"]);
    const ok = await derive([{ column: "PRICE", expression: "round(price)" }]);
    expect(ok.ok && ok.schemas.out?.map((c) => c.name)).toEqual(["PRICE", "qty", "with space", "d"]);
    expect(ok.ok && ok.rows.out?.map((x) => x.PRICE)).toEqual([3, null, 1e300]);
  });

  it("gives a bare null a text column", async () => {
    const r = await derive([{ column: "nothing", expression: "null" }]);
    expect(r.ok && r.schemas.out?.at(-1)).toEqual({ name: "nothing", type: "string" });
    expect(r.ok && r.rows.out?.map((x) => x.nothing)).toEqual([null, null, null]);
  });

  it("refuses the reserved row-order name, and does not repeat an error in later derivations", async () => {
    const r = await derive([
      { column: "__sluice_row", expression: "1" },
      { column: "bad", expression: "price +" },
      { column: "uses_bad", expression: "bad * 2" },
    ]);
    expect(!r.ok && r.issues.map((i) => [i.code, i.field])).toEqual([
      ["RESERVED_COLUMN_NAME", "derivations.0.column"],
      ["EXPRESSION_PARSE_ERROR", "derivations.1.expression"],
    ]);
  });

  it("handles an empty input", async () => {
    const r = await runNode(deriveNode, { derivations: [{ column: "t", expression: "qty * 2" }] }, { in: [{ ...input, rows: [] }] });
    expect(r.ok && r.rows.out).toEqual([]);
  });
});
