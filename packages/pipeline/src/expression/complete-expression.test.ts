import { describe, expect, it } from "vitest";
import type { Column } from "@sluice/model";
import { columnReference, completeExpression } from "./complete-expression.ts";
import { parseExpression } from "./parse.ts";

const columns: Column[] = [
  { name: "order_total", type: "double" },
  { name: "unit price", type: "double" },
  { name: "total]net", type: "double" },
  { name: "when", type: "boolean" },
];

describe("columnReference", () => {
  it.each([
    ["amount", "amount"],
    ["prénom", "prénom"],
    ["unit price", "[unit price]"],
    ["when", "[when]"],
    ["END", "[END]"],
    ["2024", "[2024]"],
    ["a]b", "[a]]b]"],
    ['a"b', '[a"b]'],
  ])("writes %j as %s, which parses back to the same column", (name, written) => {
    expect(columnReference(name)).toBe(written);
    const parsed = parseExpression(written);
    expect(parsed.ok && parsed.value).toMatchObject({ kind: "column", name });
  });
});

describe("completeExpression", () => {
  it("offers columns and functions for a bare word, prefix matches first", () => {
    const r = completeExpression("round(tot", 9, columns);
    expect(r.from).toBe(6);
    expect(r.to).toBe(9);
    expect(r.items.map((i) => i.insert)).toEqual(["[total]]net]", "order_total"]);
    expect(completeExpression("lo", 2, columns).items.map((i) => i.insert)).toEqual(["lower(", "floor("]);
  });

  it("offers only columns inside brackets, replacing the bracket and a typed closing bracket", () => {
    const r = completeExpression("1 + [unit p] * 2", 11, columns);
    expect(r).toMatchObject({ from: 4, to: 12 });
    expect(r.items.map((i) => i.insert)).toEqual(["[unit price]"]);
  });

  it("offers functions with their signature", () => {
    const r = completeExpression("upp", 3, columns);
    expect(r.items).toEqual([{ kind: "function", label: "upper", insert: "upper(", detail: "upper(text): the text in upper case" }]);
  });

  it("offers nothing inside quoted text, even after a doubled quote", () => {
    expect(completeExpression("'it''s tot", 10, columns).items).toEqual([]);
    expect(completeExpression("'done' & tot", 12, columns).items.length).toBeGreaterThan(0);
  });
});
