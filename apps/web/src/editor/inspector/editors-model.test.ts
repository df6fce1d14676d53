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

  it("counts failing rows per column from the rejects' error texts", () => {
    const rows = [
      { amount: "n/a", [RETYPE_ERROR_COLUMN]: 'column "amount": "n/a" is not a double' },
      { amount: "x", [RETYPE_ERROR_COLUMN]: 'column "day": "31/02" is not a date; column "amount": "x" is not a double' },
      // A column whose name ends like another's is not counted for it.
      { amount: "1", [RETYPE_ERROR_COLUMN]: 'column "net amount": "?" is not a double' },
    ];
    const counts = countRetypeFailures({ rows, rowCount: 40 }, ["amount", "day", "status"], RETYPE_ERROR_COLUMN);
    expect(Object.fromEntries(counts.byColumn)).toEqual({ amount: 2, day: 1, status: 0 });
    expect(counts.total).toBe(40);
    expect(counts.partial).toBe(true);
    expect(counts.reasons).toEqual(['column "amount": "n/a" is not a double', 'column "day": "31/02" is not a date', 'column "amount": "x" is not a double']);
    expect(countRetypeFailures({ rows: [], rowCount: 0 }, ["amount"], RETYPE_ERROR_COLUMN)).toMatchObject({ total: 0, partial: false });
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
