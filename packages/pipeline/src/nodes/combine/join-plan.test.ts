import { describe, expect, it } from "vitest";
import type { Column } from "@sluice/model";
import { duckdbDialect } from "../../sql/duckdb-dialect.ts";
import { planJoin, type JoinConfig } from "./join-plan.ts";
import { joinNode } from "./join.node.ts";
import { runNode, type FixtureTable } from "../../testing/duckdb-harness.ts";

const config = (c: Partial<JoinConfig>): JoinConfig => ({ kind: "inner", keys: [], rightSuffix: "_right", ...c });
const names = (cols: Column[]) => cols.map((c) => c.name);

describe("planJoin", () => {
  const left: Column[] = [{ name: "id", type: "integer" }, { name: "Amount", type: "double" }, { name: "note", type: "string" }];
  const right: Column[] = [{ name: "ID", type: "decimal", precision: 10, scale: 2 }, { name: "amount", type: "double" }, { name: "note_right", type: "string" }];

  it("merges same-named keys (ignoring ASCII case, as DuckDB does) and suffixes clashing right names", () => {
    const p = planJoin(left, right, config({ keys: [{ left: "id", right: "ID" }] }), "n1");
    expect(p.issues).toEqual([]);
    expect(p.out.map((o) => o.column)).toEqual([
      { name: "id", type: "decimal", precision: 12, scale: 2 },
      { name: "Amount", type: "double" },
      { name: "note", type: "string" },
      { name: "amount_right", type: "double" },
      { name: "note_right", type: "string" },
    ]);
    expect(p.out[0]?.sql(duckdbDialect)).toBe(`CAST(coalesce(l."id", r."ID") AS DECIMAL(12,2))`);
  });

  it("keeps both key columns when their names differ", () => {
    const q = planJoin(left, [{ name: "key", type: "bigint" }], config({ keys: [{ left: "id", right: "key" }] }), "n1");
    expect(names(q.out.map((o) => o.column))).toEqual(["id", "Amount", "note", "key"]);
  });

  it("outputs only left columns for semi and anti joins", () => {
    for (const kind of ["semi", "anti"] as const) {
      const p = planJoin(left, right, config({ kind, keys: [{ left: "id", right: "ID" }] }), "n1");
      expect(p.out.map((o) => o.column)).toEqual(left);
    }
  });

  it("reports every problem at once, each on its field", () => {
    const p = planJoin(
      [...left, { name: "data", type: "json" }, { name: "day", type: "date" }],
      [...right, { name: "data", type: "json" }, { name: "flag", type: "boolean" }],
      config({ keys: [{ left: "idd", right: "amout" }, { left: "data", right: "data" }, { left: "day", right: "flag" }, { left: "note", right: "amount" }] }),
      "n1",
    );
    expect(p.issues.map((i) => [i.code, i.field, i.port])).toEqual([
      ["UNKNOWN_COLUMN", "keys.0.left", "left"],
      ["UNKNOWN_COLUMN", "keys.0.right", "right"],
      ["TYPE_MISMATCH", "keys.1", undefined],
      ["TYPE_MISMATCH", "keys.2", undefined],
      ["TYPE_MISMATCH", "keys.3", undefined],
    ]);
    expect(p.issues[0]?.message).toContain('did you mean "id"');
    expect(p.issues[2]?.message).toContain("JSON columns cannot be join keys");
    expect(p.issues[4]?.message).toMatch(/Key "note" \(string\) cannot be matched with "amount" \(double\)/);
  });

  it("refuses a suffix that still clashes or makes the reserved row-order name", () => {
    const clash = planJoin(left, right, config({ keys: [{ left: "id", right: "ID" }], rightSuffix: "_right" }), "n1");
    expect(clash.issues).toEqual([]);
    const twice = planJoin([{ name: "k", type: "integer" }, { name: "v", type: "string" }, { name: "v2", type: "string" }], [{ name: "k", type: "integer" }, { name: "v", type: "string" }], config({ keys: [{ left: "k", right: "k" }], rightSuffix: "2" }), "n1");
    expect(twice.issues.map((i) => [i.code, i.field])).toEqual([["DUPLICATE_COLUMN", "rightSuffix"]]);
    const reserved = planJoin([{ name: "k", type: "integer" }, { name: "__sluice", type: "string" }], [{ name: "k", type: "integer" }, { name: "__SLUICE", type: "string" }], config({ keys: [{ left: "k", right: "k" }], rightSuffix: "_row" }), "n1");
    expect(reserved.issues.map((i) => i.code)).toEqual(["RESERVED_COLUMN_NAME"]);
  });
});

describe("join on DuckDB", () => {
  const events: FixtureTable = {
    columns: [{ name: "day", type: "date" }, { name: "what", type: "string" }],
    rows: [["2024-02-29", "leap"], ["2024-03-01", "after"], [null, "never"]],
  };
  const stamps: FixtureTable = {
    columns: [{ name: "day", type: "timestamp" }, { name: "n", type: "bigint" }],
    rows: [["2024-03-01 00:00:00", "9223372036854775807"], ["2024-02-29 12:00:00", "-9223372036854775808"], ["2024-02-29 00:00:00", "1"], [null, "0"]],
  };

  it("matches dates with timestamps at midnight; the merged key becomes a timestamp", async () => {
    const r = await runNode(joinNode, { kind: "full", keys: [{ left: "day", right: "day" }] }, { left: [events], right: [stamps] });
    expect(r.ok && r.schemas.out).toEqual([{ name: "day", type: "timestamp" }, { name: "what", type: "string" }, { name: "n", type: "bigint" }]);
    expect(r.ok && r.rows.out).toEqual([
      { day: "2024-02-29 00:00:00", what: "leap", n: "1" },
      { day: "2024-03-01 00:00:00", what: "after", n: "9223372036854775807" },
      { day: null, what: "never", n: null },
      { day: "2024-02-29 12:00:00", what: null, n: "-9223372036854775808" },
      { day: null, what: null, n: "0" },
    ]);
    expect(r.ok && r.actualTypes.out).toEqual(r.ok && r.schemas.out);
  });

  it("anti join keeps left rows with null keys, since nulls never match", async () => {
    const r = await runNode(joinNode, { kind: "anti", keys: [{ left: "day", right: "day" }] }, { left: [events], right: [{ ...stamps, rows: stamps.rows.slice(0, 1) }] });
    expect(r.ok && r.rows.out).toEqual([{ day: "2024-02-29", what: "leap" }, { day: null, what: "never" }]);
  });

  it("matches text exactly: case, accents and trailing spaces matter", async () => {
    const a: FixtureTable = { columns: [{ name: "k", type: "string" }], rows: [["é"], ["E"], ["x "], ["名前"]] };
    const b: FixtureTable = { columns: [{ name: "k", type: "string" }, { name: "hit", type: "boolean" }], rows: [["e", true], ["x", true], ["é", true], ["名前", false]] };
    const r = await runNode(joinNode, { kind: "left", keys: [{ left: "k", right: "k" }] }, { left: [a], right: [b] });
    expect(r.ok && r.rows.out).toEqual([{ k: "é", hit: true }, { k: "E", hit: null }, { k: "x ", hit: null }, { k: "名前", hit: false }]);
  });
});
