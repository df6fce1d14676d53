import { describe, expect, it } from "vitest";
import { fileNameMatches } from "./file-watch.schema.ts";

describe("fileNameMatches", () => {
  it("matches * and ? against the whole name, case-insensitively, everything else literally", () => {
    const cases: [string, string, boolean][] = [
      ["orders-*.csv", "orders-2026-12.csv", true],
      ["orders-*.csv", "ORDERS-1.CSV", true],
      ["orders-*.csv", "orders-1.csv.bak", false],
      ["orders-*.csv", "my-orders-1.csv", false],
      ["*", "", true],
      ["*", "anything at all", true],
      ["?.csv", "a.csv", true],
      ["?.csv", "ab.csv", false],
      ["a*b*c", "aXXbYYc", true],
      ["a*b*c", "aXXcYYb", false],
      ["**x", "yyx", true],
      ["data[1].csv", "data[1].csv", true],
      ["data.(x)+", "data.(x)+", true],
      ["data.csv", "dataXcsv", false],
      ["é*", "École.csv".replace("É", "é"), true],
      ["ÉCOLE*", "école-1.csv", true],
      ["", "", true],
      ["", "a", false],
    ];
    for (const [pattern, name, want] of cases) expect(fileNameMatches(pattern, name), `${pattern} ~ ${name}`).toBe(want);
  });

  it("answers at once for a pattern of many stars against a long name (a RegExp of .* per star backtracked without end)", () => {
    // Before, this took longer than any test's timeout; now at most pattern x name steps.
    expect(fileNameMatches(`${"*a".repeat(60)}*b`, "a".repeat(250))).toBe(false);
    expect(fileNameMatches(`${"*a".repeat(60)}*`, "a".repeat(250))).toBe(true);
  });
});
