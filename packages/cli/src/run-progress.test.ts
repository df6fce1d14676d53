import { describe, expect, it } from "vitest";
import { progressLine } from "./run-progress.ts";

const nodes = new Map([["src", { label: "Orders", sink: false }]]);

describe("progressLine", () => {
  it("says which watermark range an incremental source read", () => {
    expect(progressLine({ type: "watermark", nodeId: "src", column: "id", before: "1000", after: "1010" }, nodes)).toEqual({
      line: "  Orders (src): watermark on id 1000 -> 1010",
      isError: false,
    });
    expect(progressLine({ type: "watermark", nodeId: "src", column: "id", before: null, after: null }, nodes)?.line).toBe(
      "  Orders (src): watermark on id none -> none",
    );
  });
});
