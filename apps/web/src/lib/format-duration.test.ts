import { describe, expect, it } from "vitest";
import { formatCount, formatDuration } from "./format-duration.ts";

describe("formatDuration", () => {
  it("chooses a unit by size", () => {
    expect([formatDuration(850), formatDuration(12_340), formatDuration(245_000), formatDuration(7_380_000)]).toEqual(["850 ms", "12.3 s", "4 min 05 s", "2 h 03 min"]);
    expect([formatDuration(null), formatCount(null), formatCount(1234567)]).toEqual(["–", "–", (1234567).toLocaleString()]);
  });
});

describe("formatBytes", () => {
  it("uses the largest unit under 1024", async () => {
    const { formatBytes } = await import("./format-bytes.ts");
    expect([formatBytes(912), formatBytes(1536), formatBytes(5 * 1024 * 1024), formatBytes(30 * 1024 ** 3)]).toEqual(["912 B", "1.5 KB", "5.0 MB", "30 GB"]);
  });
});
