import { describe, expect, it } from "vitest";
import { formatSlot } from "./format-time.ts";

describe("formatSlot", () => {
  it("tells apart slots five seconds apart when the cron has seconds, and keeps minutes otherwise", () => {
    const a = formatSlot("2026-12-06T13:49:05Z", true);
    const b = formatSlot("2026-12-06T13:49:10Z", true);
    expect(a).not.toBe(b);
    expect(formatSlot("2026-12-06T13:49:05Z", false)).toBe(formatSlot("2026-12-06T13:49:10Z", false));
    expect(formatSlot("not a date", true)).toBe("not a date");
  });
});
