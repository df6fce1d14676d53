import { describe, expect, it } from "vitest";
import type { Column } from "@sluice/model";
import { suggestRetypes } from "./retype-type-suggestion.ts";

const text = (...names: string[]): Column[] => names.map((name) => ({ name, type: "string" }));
const rows = (column: string, ...values: unknown[]) => values.map((v) => ({ [column]: v }));
const suggest = (values: unknown[], config = {}) => suggestRetypes(config, text("v"), rows("v", ...values));

describe("suggestRetypes", () => {
  it("suggests the messy-orders demo's conversions: two date formats and money as an exact decimal", () => {
    const data = [
      { order_id: "ORD-1001", order_date: "2024-04-05", amount: "1,629.08", status: "shipped" },
      { order_id: "ORD-1003", order_date: "02/05/2024", amount: "540.67", status: "delivered" },
      { order_id: "ORD-1005", order_date: "15/05/2024", amount: null, status: "shipped" },
      { order_id: "ORD-1006", order_date: "2024-06-01", amount: "878.7", status: "shipped" },
    ];
    expect(suggestRetypes({}, text("order_id", "order_date", "amount", "status"), data)).toEqual([
      { column: "order_date", to: "date", formats: ["%Y-%m-%d", "%d/%m/%Y"] },
      { column: "amount", to: "decimal", precision: 18, scale: 2, formats: [] },
    ]);
  });

  it("suggests nothing for a column one value of which does not convert, an empty one included", () => {
    expect(suggest(["12", "n/a"])).toEqual([]);
    expect(suggest(["12", " "])).toEqual([]);
    expect(suggest(["2024-01-01", "2024-02-30"])).toEqual([]);
    expect(suggest([null, null])).toEqual([]);
  });

  it("keeps codes with leading zeros as text", () => {
    expect(suggest(["007", "123"])).toEqual([]);
    expect(suggest(["0", "10", "0.5"])).toEqual([{ column: "v", to: "decimal", precision: 18, scale: 1, formats: [] }]);
  });

  it("makes whole numbers integer, or bigint past 32 bits, with the node's thousands separator", () => {
    expect(suggest([" 1,200 ", "-3"])).toEqual([{ column: "v", to: "integer", formats: [] }]);
    expect(suggest(["3000000000"])).toEqual([{ column: "v", to: "bigint", formats: [] }]);
    expect(suggest(["1,200"], { thousandsSeparator: null })).toEqual([]);
    expect(suggest(["1.200,5"], { thousandsSeparator: ".", decimalSeparator: "," })).toEqual([{ column: "v", to: "decimal", precision: 18, scale: 1, formats: [] }]);
  });

  it("reads slash dates only when one of day-first and month-first fits every value", () => {
    expect(suggest(["02/05/2024", "04/02/2024"])).toEqual([]);
    expect(suggest(["02/05/2024", "12/31/2024"])).toEqual([{ column: "v", to: "date", formats: ["%m/%d/%Y"] }]);
    expect(suggest(["02/05/2024", "31/12/2024", "12/31/2024"])).toEqual([]);
  });

  it("suggests boolean for the node's true and false words, and double past 18 digits", () => {
    expect(suggest(["Yes", "no"])).toEqual([{ column: "v", to: "boolean", formats: [] }]);
    expect(suggest(["yes", "maybe"])).toEqual([]);
    expect(suggest(["12345678901234567.25"])).toEqual([{ column: "v", to: "double", formats: [] }]);
  });

  it("leaves columns already converted and columns that are not text alone", () => {
    const columns: Column[] = [{ name: "n", type: "integer" }, ...text("a", "b")];
    const data = [{ n: 1, a: "1", b: "2" }];
    expect(suggestRetypes({ columns: [{ column: "a" }] }, columns, data)).toEqual([{ column: "b", to: "integer", formats: [] }]);
  });
});
