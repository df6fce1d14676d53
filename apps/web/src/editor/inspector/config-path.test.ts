import { describe, expect, it } from "vitest";
import { getAt, moveItem, parsePath, removeItem, replaceItem, setAt } from "./config-path.ts";

describe("config edits at paths", () => {
  it("reads the paths validation problems name", () => {
    expect(parsePath("keys.0.left")).toEqual(["keys", 0, "left"]);
    expect(parsePath("")).toEqual([]);
    const config = { keys: [{ left: "a", right: "b" }] };
    expect(getAt(config, parsePath("keys.0.right"))).toBe("b");
    expect(getAt(config, parsePath("keys.3.right"))).toBeUndefined();
    expect(getAt(config, parsePath("keys.left"))).toBeUndefined();
  });

  it("sets a value without touching the original, sharing untouched branches", () => {
    const config = { kind: "inner", keys: [{ left: "a", right: "b" }, { left: "c", right: "d" }], other: { x: 1 } };
    const frozen = structuredClone(config);
    const next = setAt(config, parsePath("keys.1.left"), "z") as typeof config;
    expect(next.keys[1]).toEqual({ left: "z", right: "d" });
    expect(config).toEqual(frozen);
    expect(next.keys[0]).toBe(config.keys[0]);
    expect(next.other).toBe(config.other);
  });

  it("creates missing objects and lists on the way, and removes a key set to undefined", () => {
    expect(setAt({}, parsePath("aggregations.0.fn"), "sum")).toEqual({ aggregations: [{ fn: "sum" }] });
    expect(setAt({ fn: "sum", as: "total" }, ["as"], undefined)).toEqual({ fn: "sum" });
  });

  it("moves, removes and replaces list items immutably", () => {
    const list = ["a", "b", "c"];
    expect(moveItem(list, 0, 1)).toEqual(["b", "a", "c"]);
    expect(moveItem(list, 2, -1)).toEqual(["a", "c", "b"]);
    expect(moveItem(list, 0, -1)).toEqual(list);
    expect(moveItem(list, 2, 1)).toEqual(list);
    expect(removeItem(list, 1)).toEqual(["a", "c"]);
    expect(replaceItem(list, 2, "z")).toEqual(["a", "b", "z"]);
    expect(list).toEqual(["a", "b", "c"]);
  });
});
