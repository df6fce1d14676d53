import { describe, expect, it } from "vitest";
import { offsetParam, pageRange } from "./page-range.ts";

describe("pageRange", () => {
  it("says a page's first and last item and the total, all with the locale's separators", () => {
    const n = (x: number) => x.toLocaleString();
    expect(pageRange(0, 50, 1234)).toBe(`1–50 of ${n(1234)}`);
    expect(pageRange(10_000, 50, 10_050)).toBe(`${n(10_001)}–${n(10_050)} of ${n(10_050)}`);
    expect(pageRange(50, 1, 51)).toBe("51–51 of 51");
  });

  it("never says 1–0: a page past the end is empty, not a list of nothing", () => {
    expect(pageRange(0, 0, 0)).toBe("none");
    expect(pageRange(100, 0, 60)).toBe("none of 60 on this page");
  });
});

describe("offsetParam", () => {
  it("reads any text as a whole offset the API takes", () => {
    expect([offsetParam(null), offsetParam("50"), offsetParam("1.5"), offsetParam("-3"), offsetParam("abc"), offsetParam("1e12")]).toEqual([0, 50, 1, 0, 0, 2_147_483_647]);
  });
});
