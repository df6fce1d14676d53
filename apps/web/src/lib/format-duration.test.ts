import { describe, expect, it } from "vitest";
import { formatCompact, formatCount, formatDuration } from "./format-duration.ts";

describe("formatDuration", () => {
  it("chooses a unit by size", () => {
    expect([formatDuration(850), formatDuration(12_340), formatDuration(245_000), formatDuration(7_380_000)]).toEqual(["850 ms", "12.3 s", "4 min 05 s", "2 h 03 min"]);
    expect([formatDuration(null), formatCount(null), formatCount(1234567)]).toEqual(["–", "–", "1,234,567"]);
  });
});

describe("formatBytes", () => {
  it("uses the largest unit under 1024", async () => {
    const { formatBytes } = await import("./format-bytes.ts");
    expect([formatBytes(912), formatBytes(1536), formatBytes(5 * 1024 * 1024), formatBytes(30 * 1024 ** 3)]).toEqual(["912 B", "1.5 KB", "5.0 MB", "30 GB"]);
  });
});

describe("formatDuration at the edges of its units", () => {
  it("rounds before choosing the unit, so no unit shows a value that belongs to the next one", () => {
    expect(formatDuration(999.4)).toBe("999 ms");
    expect(formatDuration(999.6)).toBe("1.0 s");
    expect(formatDuration(59_940)).toBe("59.9 s");
    expect(formatDuration(59_960)).toBe("1 min 00 s");
    expect(formatDuration(119_600)).toBe("2 min 00 s");
    expect(formatDuration(3_599_600)).toBe("1 h 00 min");
  });

  it("says sub-second, multi-hour and multi-day durations as they are, and never less than nothing", () => {
    expect(formatDuration(0)).toBe("0 ms");
    expect(formatDuration(30)).toBe("30 ms");
    expect(formatDuration(-12)).toBe("0 ms");
    expect(formatDuration(26 * 3_600_000 + 3 * 60_000 + 59_000)).toBe("26 h 03 min");
    expect(formatDuration(Number.NaN)).toBe("–");
  });
});

describe("formatBytes at the edges of its units", () => {
  it("rounds before choosing the unit: never 1024 of one unit, never 10.0 of another", async () => {
    const { formatBytes } = await import("./format-bytes.ts");
    expect(formatBytes(0)).toBe("0 B");
    expect(formatBytes(1023)).toBe("1023 B");
    expect(formatBytes(1024)).toBe("1.0 KB");
    expect(formatBytes(1024 * 1024 - 1)).toBe("1.0 MB");
    expect(formatBytes(1024 ** 3 - 100)).toBe("1.0 GB");
    expect(formatBytes(9.97 * 1024)).toBe("10 KB");
    expect(formatBytes(2 ** 53)).toBe("8.0 PB");
  });
});

describe("durations on screen", () => {
  it("are all said by formatDuration: no component prints milliseconds or seconds of its own", () => {
    const sources = import.meta.glob<string>("../**/*.tsx", { query: "?raw", import: "default", eager: true });
    const own = /\/ 1000\)\.toFixed|(elapsedMs|durationMs)(\.toLocaleString\(\))?\} ms\b/;
    expect(Object.keys(sources).length).toBeGreaterThan(20);
    expect(Object.entries(sources).filter(([, text]) => own.test(text)).map(([file]) => file)).toEqual([]);
  });
});

describe("counts on screen", () => {
  it("all have the separators of the server's sentences: no count is said in the browser's locale", () => {
    const sources = import.meta.glob<string>(["../**/*.ts", "../**/*.tsx", "!../**/*.test.ts"], { query: "?raw", import: "default", eager: true });
    expect(Object.keys(sources).length).toBeGreaterThan(50);
    expect(Object.entries(sources).filter(([, text]) => /\.toLocaleString\(\)/.test(text)).map(([file]) => file)).toEqual([]);
    expect(formatCount(2 ** 31)).toBe("2,147,483,648");
  });
});

describe("formatCompact", () => {
  it("keeps a chart axis's ticks inside its 40 px margin, where 40,000,000 showed as \"0,000,000\"", () => {
    expect([0, 950, 41_000, 3_250_000, 40_000_000, 2 ** 31, 86_400].map(formatCompact)).toEqual(["0", "950", "41K", "3.3M", "40M", "2.1B", "86.4K"]);
    expect(Math.max(...[999_999, 2 ** 40, 123_456_789].map((n) => formatCompact(n).length))).toBeLessThanOrEqual(6);
  });
});
