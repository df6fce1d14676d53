import { describe, expect, it } from "vitest";
import { getNodeDefinition } from "@sluice/pipeline";
import { nodeSummary } from "./node-summary.ts";

describe("nodeSummary", () => {
  it("fills in fields a config saved before they existed lacks, so a file source's card never says 'files matching undefined'", () => {
    const file = getNodeDefinition("file");
    // A file source as saved before patterns existed (the seeded demo's shape).
    expect(nodeSummary(file, { fileId: "f1", types: "text" })).toBe("all columns as text");
    expect(nodeSummary(file, { fileId: "f1", pattern: "orders-*.csv" })).toBe("files matching orders-*.csv");
  });

  it("is empty for a node type this app does not know", () => {
    expect(nodeSummary(undefined, {})).toBe("");
  });
});
