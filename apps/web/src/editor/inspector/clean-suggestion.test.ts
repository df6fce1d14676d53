import { describe, expect, it } from "vitest";
import type { Column } from "@sluice/model";
import { suggestCleaning } from "./clean-suggestion.ts";

const text = (...names: string[]): Column[] => names.map((name) => ({ name, type: "string" }));
const one = (...values: unknown[]) => suggestCleaning({}, text("v"), values.map((v) => ({ v })));

describe("suggestCleaning", () => {
  it("suggests the messy-orders demo's cleaning: status trimmed and lower-cased, amount trimmed with its placeholders null", () => {
    const rows = [
      { order_id: "ORD-1", status: "Shipped", amount: "1,629.08" },
      { order_id: "ORD-2", status: " SHIPPED", amount: " 179.29 " },
      { order_id: "ORD-3", status: "delivered ", amount: "n/a" },
      { order_id: "ORD-4", status: "Delivered", amount: "" },
      { order_id: "ORD-5", status: "shipped", amount: null },
    ];
    expect(suggestCleaning({}, text("order_id", "status", "amount"), rows)).toEqual([
      {
        column: "status",
        operations: [{ op: "trim" }, { op: "case", to: "lower" }],
        reasons: ["spaces around 2 values", "5 spellings of 2 values, differing only in case"],
      },
      { column: "amount", operations: [{ op: "trim" }, { op: "null_if", values: ["", "n/a"] }], reasons: ["spaces around 1 value", '"", "n/a" for missing'] },
    ]);
  });

  it("re-cases only a category: at most 20 values, each seen twice or more on average; never names", () => {
    const names = Array.from({ length: 21 }, (_, i) => `Name ${i}`);
    expect(one(...names, ...names, "name 0")).toEqual([]);
    expect(one("Ada", "ada", "Bo")).toEqual([]);
    const twenty = names.slice(0, 19);
    expect(one(...twenty, ...twenty, "name 0")).toEqual([{ column: "v", operations: [{ op: "case", to: "lower" }], reasons: ["20 spellings of 19 values, differing only in case"] }]);
  });

  it("leaves tidy columns, columns of placeholders only, columns already cleaned and non-text columns alone", () => {
    expect(one("a", "b", null)).toEqual([]);
    expect(one("n/a", "-")).toEqual([]);
    expect(suggestCleaning({ columns: [{ column: "v" }] }, text("v"), [{ v: " a " }])).toEqual([]);
    expect(suggestCleaning({}, [{ name: "n", type: "integer" }], [{ n: 1 }])).toEqual([]);
  });
});
