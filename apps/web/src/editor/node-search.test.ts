import { describe, expect, it } from "vitest";
import { nodeCatalog } from "@sluice/pipeline";
import { searchNodes } from "./node-search.ts";

describe("searchNodes", () => {
  it("puts names that start with the text first", () => {
    const defs = [
      { type: "a", label: "Remove duplicates", description: "one row per key, like a join would not", category: "clean" },
      { type: "b", label: "Left join", description: "", category: "combine" },
      { type: "c", label: "Join", description: "", category: "combine" },
    ];
    expect(searchNodes(defs, " JOIN ").map((d) => d.type)).toEqual(["c", "b", "a"]);
  });

  it("finds the demo's node types by the first word of their names", () => {
    for (const [q, label] of [["clean", "Clean values"], ["change", "Change types"], ["remove", "Remove duplicates"], ["filter", "Filter rows"], ["join", "Join"], ["group", "Group and aggregate"], ["postgresql t", "PostgreSQL table"], ["file", "File"]]) {
      expect(searchNodes(nodeCatalog, q!)[0]?.label, q).toBe(label);
    }
  });

  it("keeps every type, in order, when nothing is typed", () => {
    expect(searchNodes(nodeCatalog, "")).toEqual(nodeCatalog);
  });
});
