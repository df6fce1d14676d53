import { describe, expect, it } from "vitest";
import type { Column } from "@sluice/model";
import { getNodeDefinition, RETYPE_ERROR_COLUMN } from "@sluice/pipeline";
import { defaultOutputName, withPart } from "./aggregation.ts";
import { commonUnpaired, newPair } from "./join-keys.ts";
import { countRetypeFailures } from "./retype-failure-counts.ts";
import { newEntry, withTarget } from "./retype-mapping.ts";

const orders: Column[] = [
  { name: "order_id", type: "string" },
  { name: "customer_id", type: "bigint" },
  { name: "amount", type: "decimal", precision: 12, scale: 2 },
];
const customers: Column[] = [
  { name: "customer_id", type: "bigint" },
  { name: "country", type: "string" },
];
const valid = (type: string, config: unknown) => getNodeDefinition(type)!.configSchema.safeParse(config).success;

describe("retype's mapping table", () => {
  it("adds the next unmapped column at its own type, so nothing changes until a target is chosen", () => {
    const first = newEntry([], orders);
    expect(first).toEqual({ column: "order_id", to: "string", formats: [] });
    expect(newEntry([first], orders)).toEqual({ column: "customer_id", to: "bigint", formats: [] });
    expect(newEntry([first, { column: "customer_id", to: "bigint" }], orders)).toEqual({ column: "amount", to: "decimal", precision: 12, scale: 2, formats: [] });
    expect(valid("retype", { columns: [first] })).toBe(true);
  });

  it("keeps only the settings the new target uses", () => {
    const date = { column: "day", to: "date" as const, formats: ["%d/%m/%Y"] };
    expect(withTarget(date, "timestamp").formats).toEqual(["%d/%m/%Y"]);
    expect(withTarget(date, "double")).toEqual({ column: "day", to: "double", formats: [] });
    expect(withTarget({ column: "x", to: "decimal", precision: 10, scale: 2, formats: [] }, "integer")).toEqual({ column: "x", to: "integer", formats: [] });
    expect(withTarget({ column: "x", to: "string", formats: [] }, "decimal")).toEqual({ column: "x", to: "decimal", formats: [] });
  });

  it("counts failing values per column exactly, from the nulls the conversion adds, not from the rows returned", () => {
    // 2,028 rows fail but only the first 1,000 come back: the per-column counts must not stop at 1,000.
    const rows = Array.from({ length: 1000 }, (_, i) => ({ amount: `${i},5`, [RETYPE_ERROR_COLUMN]: `column "amount": "${i},5" is not a double` }));
    const profiled = (nulls: Record<string, number>) => ({ rowCount: 5000, sampled: null, profile: Object.fromEntries(Object.entries(nulls).map(([k, n]) => [k, { nulls: n }])) });
    const nulls = { before: profiled({ amount: 12, day: 0, status: 3 }), after: profiled({ amount: 2040, day: 1, status: 3 }) };
    const counts = countRetypeFailures({ rows, rowCount: 2028 }, nulls, ["amount", "day", "status"], RETYPE_ERROR_COLUMN);
    expect(counts.total).toBe(2028);
    expect(Object.fromEntries(counts.byColumn)).toEqual({ amount: 2028, day: 1, status: 0 });
    expect(counts.reasons).toEqual(['column "amount": "0,5" is not a double', 'column "amount": "1,5" is not a double', 'column "amount": "2,5" is not a double']);
  });

  it("gives no per-column count rather than one over other rows", () => {
    const profiled = (rowCount: number, sampled: { sourceRows: number } | null) => ({ rowCount, sampled, profile: { amount: { nulls: 1 } } });
    const rejects = { rows: [], rowCount: 0 };
    expect(countRetypeFailures(rejects, null, ["amount"], RETYPE_ERROR_COLUMN).byColumn.size).toBe(0);
    expect(countRetypeFailures(rejects, { before: profiled(10, null), after: profiled(9, null) }, ["amount"], RETYPE_ERROR_COLUMN).byColumn.size).toBe(0);
    expect(countRetypeFailures(rejects, { before: profiled(10, { sourceRows: 10 }), after: profiled(10, null) }, ["amount"], RETYPE_ERROR_COLUMN).byColumn.size).toBe(0);
    expect(countRetypeFailures(rejects, { before: profiled(10, null), after: profiled(10, null) }, ["amount"], RETYPE_ERROR_COLUMN)).toMatchObject({ total: 0, byColumn: new Map([["amount", 0]]) });
  });
});

describe("join's key pairs", () => {
  it("offers the columns both inputs have, and starts a new pair with one", () => {
    expect(commonUnpaired(orders, customers, [])).toEqual(["customer_id"]);
    expect(commonUnpaired(orders, customers, [{ left: "customer_id", right: "customer_id" }])).toEqual([]);
    const pair = newPair(orders, customers, []);
    expect(pair).toEqual({ left: "customer_id", right: "customer_id" });
    expect(valid("join", { kind: "inner", keys: [pair] })).toBe(true);
    expect(newPair(orders, [{ name: "other", type: "string" }], [])).toEqual({ left: "", right: "" });
  });
});

describe("aggregation list", () => {
  it("names outputs as the group node does, and leaves out cleared parts", () => {
    expect(defaultOutputName({ fn: "count" })).toBe("count");
    expect(defaultOutputName({ fn: "sum", column: "amount" })).toBe("amount_sum");
    const a = withPart(withPart({ fn: "count", separator: ", " }, "column", "amount"), "fn", "sum");
    expect(a).toEqual({ fn: "sum", column: "amount", separator: ", " });
    expect(withPart({ ...a, as: "revenue" }, "as", "")).toEqual(a);
    expect(withPart(a, "column", "")).toEqual({ fn: "sum", separator: ", " });
    expect(valid("group", { keys: [], aggregations: [withPart(a, "as", "revenue")] })).toBe(true);
    expect(valid("group", { keys: [], aggregations: [{ ...a, as: "" }] })).toBe(false);
  });
});
