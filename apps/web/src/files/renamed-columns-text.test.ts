import { describe, expect, it } from "vitest";
import { renamedColumnsNote } from "./renamed-columns-text.ts";

describe("renamedColumnsNote", () => {
  it("says nothing when every header was kept", () => {
    expect(renamedColumnsNote([])).toBeNull();
  });

  it("names each renamed column by position, what its header was and the name it got", () => {
    expect(
      renamedColumnsNote([
        { position: 3, original: "amount", name: "amount_1", reason: "duplicate" },
        { position: 4, original: "", name: "column3", reason: "blank" },
      ]),
    ).toBe('2 headers could not be used as column names: column 3 "amount" repeats an earlier header: named amount_1; column 4 has no header: named column3.');
    expect(renamedColumnsNote([{ position: 1, original: " ", name: "column0", reason: "blank" }])).toBe("1 header could not be used as a column name: column 1 has no header: named column0.");
  });
});
