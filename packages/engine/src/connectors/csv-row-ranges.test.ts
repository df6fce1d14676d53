import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { csvRowRanges } from "./csv-row-ranges.ts";
import { tempDir } from "./testing/test-context.ts";

const work = tempDir("csv-ranges");
afterAll(() => work.remove());

function pieces(text: string, parts: number, chunkBytes?: number) {
  const file = path.join(work.dir, `f${Math.random().toString(36).slice(2)}.csv`);
  writeFileSync(file, text);
  return csvRowRanges(file, parts, chunkBytes).then((ranges) => {
    const bytes = readFileSync(file);
    return ranges.map((r) => bytes.subarray(r.start, r.end).toString());
  });
}

describe("csvRowRanges", () => {
  it("cuts only between rows, never inside quoted text that holds newlines or quotes", async () => {
    const rows = Array.from({ length: 200 }, (_, i) => (i % 3 === 0 ? `${i},"line one\nline ""two""\n, three"\n` : `${i},plain\n`));
    const text = rows.join("");
    // Small read chunks put quotes, newlines and cut points on chunk boundaries.
    for (const [parts, chunk] of [[2, undefined], [3, 7], [7, 1], [5, 64]] as const) {
      const got = await pieces(text, parts, chunk);
      expect(got.join("")).toBe(text);
      expect(got.length).toBe(parts);
      for (const piece of got) {
        // Every piece starts a row: its first field is a row number.
        expect(piece).toMatch(/^\d+,/);
        expect(piece.endsWith("\n")).toBe(true);
        expect((piece.match(/"/g) ?? []).length % 2).toBe(0);
      }
    }
  });

  it("gives fewer pieces when rows are longer than a piece, and one for an empty file or one part", async () => {
    const long = `1,"${"x\n".repeat(5000)}"\n2,short\n`;
    const got = await pieces(long, 4);
    expect(got).toEqual([`1,"${"x\n".repeat(5000)}"\n`, "2,short\n"]);
    expect(await pieces("", 3)).toEqual([""]);
    expect(await pieces("1,a\n2,b\n", 1)).toEqual(["1,a\n2,b\n"]);
  });
});
