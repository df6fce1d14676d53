import { describe, expect, it } from "vitest";
import { formatNumber, showValue } from "./format-value.ts";

describe("formatNumber", () => {
  it("hides the binary noise of double arithmetic, as spreadsheets do", () => {
    expect(formatNumber(11147.309999999998)).toBe("11147.31");
    expect(formatNumber(0.1 + 0.2)).toBe("0.3");
    expect(formatNumber(-2.675000000000001)).toBe("-2.675");
  });

  it("keeps what is not noise", () => {
    expect(formatNumber(9007199254740991)).toBe("9007199254740991");
    expect(formatNumber(1e21)).toBe("1e+21");
    expect(formatNumber(123456.789012345)).toBe("123456.789012345");
    expect(formatNumber(1.5e-10)).toBe("1.5e-10");
    expect([formatNumber(-0.5), formatNumber(0), formatNumber(Number.NaN)]).toEqual(["-0.5", "0", "NaN"]);
  });
});

describe("showValue", () => {
  it("keeps the full value beside a rounded one", () => {
    expect(showValue(11147.309999999998)).toEqual({ text: "11147.31", full: "11147.309999999998" });
    expect(showValue(42.5)).toEqual({ text: "42.5" });
  });

  it("leaves text (decimals arrive as exact text) and JSON alone", () => {
    expect(showValue("11147.309999999998")).toEqual({ text: "11147.309999999998" });
    expect(showValue({ a: [1] })).toEqual({ text: '{"a":[1]}' });
    expect(showValue(true)).toEqual({ text: "true" });
  });
});
