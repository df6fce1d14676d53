import { describe, expect, it } from "vitest";
import { expressionReads } from "./expression-reads.ts";

describe("expressionReads", () => {
  it("splits the columns an expression reads into values and conditions, from its syntax tree", () => {
    expect(expressionReads("amount")).toEqual({ identity: true, values: ["amount"], conditions: [] });
    expect(expressionReads("round(amount * [fx rate], 2) + param('fee')")).toEqual({ identity: false, values: ["amount", "fx rate"], conditions: [] });
    expect(expressionReads("case when status = 'paid' and not refunded then amount else 0 end")).toEqual({ identity: false, values: ["amount"], conditions: ["status", "refunded"] });
    // A column both picked and passed on is a value.
    expect(expressionReads("case when amount > 0 then amount end")?.conditions).toEqual([]);
    expect(expressionReads("1 +")).toBeUndefined();
  });
});
