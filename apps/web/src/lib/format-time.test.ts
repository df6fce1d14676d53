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

describe("formatSlot in the schedule's time zone", () => {
  it("reads on the clock the cron was written for, naming the zone, daylight saving included", () => {
    // "0 9 * * *" in America/New_York: 14:00 UTC in winter, 13:00 UTC in summer; both are 9:00 there.
    const winter = formatSlot("2026-12-08T14:00:00Z", false, "America/New_York");
    const summer = formatSlot("2026-07-08T13:00:00Z", false, "America/New_York");
    expect(winter).toMatch(/\b9:00\b/);
    expect(summer).toMatch(/\b9:00\b/);
    expect(winter).toMatch(/EST|GMT-5/);
    expect(summer).toMatch(/EDT|GMT-4/);
    expect(formatSlot("2026-12-08T14:00:05Z", true, "Asia/Kolkata")).toMatch(/7:30:05/);
    // A zone the browser does not know still gives a time, in the browser's zone.
    expect(formatSlot("2026-12-08T14:00:00Z", false, "Not/AZone")).toMatch(/\d:00/);
  });
});
