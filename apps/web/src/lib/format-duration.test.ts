import { describe, expect, it } from "vitest";
import { formatCount, formatDuration } from "./format-duration.ts";

describe("formatDuration", () => {
  it("chooses a unit by size", () => {
    expect([formatDuration(850), formatDuration(12_340), formatDuration(245_000), formatDuration(7_380_000)]).toEqual(["850 ms", "12.3 s", "4 min 05 s", "2 h 03 min"]);
    expect([formatDuration(null), formatCount(null), formatCount(1234567)]).toEqual(["–", "–", (1234567).toLocaleString()]);
  });
});
