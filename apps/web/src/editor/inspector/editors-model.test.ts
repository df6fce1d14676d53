import { describe, expect, it } from "vitest";
import type { Column } from "@sluice/model";
import { getNodeDefinition, RETYPE_ERROR_COLUMN } from "@sluice/pipeline";
import { defaultOutputName, withPart } from "./aggregation.ts";
import { commonUnpaired, newPair, suggestedJoinKey } from "./join-keys.ts";
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

  it("counts failing values per column exactly, from the values the engine counted as nulled, not from the rows returned", () => {
    // 2,028 rows fail but only the first 1,000 come back: the per-column counts must not stop at 1,000.
    const rows = Array.from({ length: 1000 }, (_, i) => ({ amount: `${i},5`, [RETYPE_ERROR_COLUMN]: `column "amount": "${i},5" is not a double` }));
    const becameNull = [
      { column: "amount", field: "columns.0.column", values: 4988, nulled: 2028 },
      { column: "day", field: "columns.1.column", values: 5000, nulled: 1 },
      { column: "status", field: "columns.2.column", values: 4997, nulled: 0 },
    ];
    // "id" is retyped to the type it has: not converted, so not listed, and nothing of it fails.
    const counts = countRetypeFailures({ rows, rowCount: 2028, sampled: null }, { sampled: null, becameNull }, ["amount", "day", "status", "id"], RETYPE_ERROR_COLUMN);
    expect(counts.total).toBe(2028);
    expect(Object.fromEntries(counts.byColumn)).toEqual({ amount: 2028, day: 1, status: 0, id: 0 });
    expect(counts.reasons).toEqual(['column "amount": "0,5" is not a double', 'column "amount": "1,5" is not a double', 'column "amount": "2,5" is not a double']);
  });

  it("gives no per-column count rather than one over other rows", () => {
    const rejects = { rows: [], rowCount: 0, sampled: null };
    const becameNull = [{ column: "amount", field: "columns.0.column", values: 10, nulled: 0 }];
    expect(countRetypeFailures(rejects, null, ["amount"], RETYPE_ERROR_COLUMN).byColumn.size).toBe(0);
    expect(countRetypeFailures(rejects, { sampled: { sourceRows: 100 }, becameNull }, ["amount"], RETYPE_ERROR_COLUMN).byColumn.size).toBe(0);
    expect(countRetypeFailures(rejects, { sampled: null, becameNull }, ["amount"], RETYPE_ERROR_COLUMN)).toMatchObject({ total: 0, byColumn: new Map([["amount", 0]]) });
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

describe("join's suggested key", () => {
  const col = (name: string, type: Column["type"] = "string"): Column => ({ name, type });
  it("is the one identifier both inputs have, else the only common column", () => {
    expect(suggestedJoinKey(orders, customers, [])).toBe("customer_id");
    expect(suggestedJoinKey([col("name"), col("customer_id"), col("paid")], [col("paid"), col("name"), col("customer_id")], [])).toBe("customer_id");
    expect(suggestedJoinKey([col("customerId"), col("country")], [col("customerId"), col("country")], [])).toBe("customerId");
    expect(suggestedJoinKey([col("country"), col("x")], [col("country")], [])).toBe("country");
    expect(newPair([col("name"), col("id")], [col("name"), col("id")], [])).toEqual({ left: "id", right: "id" });
  });
  it("is nothing when it would be a guess, the types differ or the key is paired", () => {
    expect(suggestedJoinKey([col("id"), col("customer_id")], [col("id"), col("customer_id")], [])).toBeNull();
    expect(suggestedJoinKey([col("name"), col("paid")], [col("name"), col("paid")], [])).toBeNull();
    expect(suggestedJoinKey([col("customer_id", "bigint")], [col("customer_id")], [])).toBeNull();
    expect(suggestedJoinKey(orders, customers, [{ left: "customer_id", right: "customer_id" }])).toBeNull();
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
