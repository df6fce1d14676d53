import { describe, expect, it } from "vitest";
import { profileNote, profileScope } from "./profile-note.ts";

const exact = { nulls: 0, distinct: 4000, distinctApproximate: false, min: "1", max: "4000" };

describe("profileNote", () => {
  it("shows exact counts plainly and estimates with ≈", () => {
    expect(profileNote(exact, 4000)).toBe("0% null · 4,000 distinct · 1…4000");
    expect(profileNote({ ...exact, distinct: 3_900_000, distinctApproximate: true }, 5_000_000)).toBe("0% null · ≈3,900,000 distinct · 1…4000");
  });

  it("shows a double's min and max as the grid shows its values", () => {
    expect(profileNote({ ...exact, min: "0.30000000000000004", max: "11147.309999999998" }, 4000, "double")).toBe("0% null · 4,000 distinct · 0.3…11147.31");
  });

  it("never rounds a share of nulls to none or to all", () => {
    expect(profileNote({ ...exact, nulls: 1 }, 1000)).toMatch(/^<1% null/);
    expect(profileNote({ ...exact, nulls: 999 }, 1000)).toMatch(/^>99% null/);
    expect(profileNote({ ...exact, nulls: 1000, min: null, max: null }, 1000)).toBe("100% null · 4,000 distinct · –…–");
  });
});

describe("profileScope", () => {
  it("says which rows the profiles cover", () => {
    const p = { rowCount: 100_000, rows: [], sampled: null, profile: { id: exact } };
    expect(profileScope(p)).toBe("Column profiles: all 100,000 rows");
    expect(profileScope({ ...p, sampled: { sourceRows: 100_000 }, rowCount: 8_123 })).toBe("Column profiles: the 8,123 rows computed from a sample");
    expect(profileScope({ ...p, profile: { id: { ...exact, distinctApproximate: true } } })).toBe("Column profiles: all 100,000 rows; distinct counts estimated");
  });
});
