import { describe, expect, it } from "vitest";
import { formatPercent } from "./format-percent.ts";

describe("formatPercent", () => {
  it("says none and all only when it is so", () => {
    expect([formatPercent(0, 10), formatPercent(10, 10), formatPercent(1, 1000), formatPercent(999, 1000), formatPercent(1, 3), formatPercent(0.996, 1)]).toEqual(["0%", "100%", "<1%", ">99%", "33%", ">99%"]);
    expect([formatPercent(5, 0), formatPercent(Number.NaN, 1)]).toEqual(["0%", "0%"]);
  });
});
