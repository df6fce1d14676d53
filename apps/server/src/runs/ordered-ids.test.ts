import { describe, expect, it } from "vitest";
import { orderedIds } from "./ordered-ids.ts";

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe("orderedIds", () => {
  it("gives valid UUIDs that sort in the order given", () => {
    const ids = orderedIds(20_000);
    for (const id of ids) expect(id).toMatch(UUID_V4);
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
    expect(orderedIds(0)).toEqual([]);
  });

  it("gives each id its own first 8 characters (the run's name in the UI), not 00000000, 00000001…", () => {
    const names = new Set<string>();
    for (let k = 0; k < 50; k++) {
      const ids = orderedIds(3);
      expect(new Set(ids.map((id) => id.slice(0, 8))).size).toBe(3);
      names.add(ids[0]!.slice(0, 8));
    }
    // A backfill's first run is not always called the same.
    expect(names.size).toBeGreaterThan(45);
  });
});
