import { describe, expect, it } from "vitest";
import { decimalCommaHint } from "./retype-decimal-hint.ts";

const config = { columns: [{ column: "Amount (EUR)", to: "double" }, { column: "code", to: "string" }] };
const rows = (values: unknown[]) => values.map((v) => ({ "Amount (EUR)": v, code: "12,50" }));

describe("decimalCommaHint", () => {
  it("suggests a decimal comma, with . for thousands, when the numbers read that way", () => {
    expect(decimalCommaHint(config, rows(["424,19", " 1.234,56 ", "7", null]))).toEqual({
      examples: ["424,19", "1.234,56"],
      settings: { decimalSeparator: ",", thousandsSeparator: "." },
    });
    expect(decimalCommaHint({ ...config, thousandsSeparator: " " }, rows(["1 234,5", "3,25"]))?.settings).toEqual({ decimalSeparator: ",", thousandsSeparator: " " });
  });

  it("stays quiet for points, ambiguous values, other columns and a comma already chosen", () => {
    expect(decimalCommaHint(config, rows(["424.19", "1,234.56", "3"]))).toBeNull();
    expect(decimalCommaHint(config, rows(["1,234", "5,000"]))).toBeNull();
    expect(decimalCommaHint(config, rows(["1.5", "2.25", "3,75"]))).toBeNull();
    expect(decimalCommaHint({ columns: [{ column: "code", to: "string" }] }, rows(["x"]))).toBeNull();
    expect(decimalCommaHint({ ...config, decimalSeparator: "," }, rows(["424,19"]))).toBeNull();
  });
});
