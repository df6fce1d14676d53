import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { csvPieces, csvRowRanges } from "./csv-row-ranges.ts";
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

describe("csvPieces", () => {
  const file = (rows: number) => {
    const p = path.join(work.dir, `p${Math.random().toString(36).slice(2)}.csv`);
    writeFileSync(p, Array.from({ length: rows }, (_, i) => `${i},row\n`).join(""));
    return { path: p, size: readFileSync(p).length };
  };
  const text = (ps: Awaited<ReturnType<typeof csvPieces>>) => ps.map((p) => readFileSync(p.file).subarray(p.range.start, p.range.end).toString());
  const perFile = (ps: Awaited<ReturnType<typeof csvPieces>>, files: { path: string }[]) => files.map((f) => ps.filter((p) => p.file === f.path).length);

  it("cuts the largest files until there are as many pieces as parts, skipping empty files", async () => {
    const [big, small, empty] = [file(400), file(100), file(0)];
    const got = await csvPieces([small, empty, big], 4);
    expect(perFile(got, [small, empty, big])).toEqual([1, 0, 3]);
    const inFileOrder = [...got].sort((a, b) => (a.file === b.file ? a.range.start - b.range.start : a.file === small.path ? -1 : 1));
    expect(text(inFileOrder).join("")).toBe(readFileSync(small.path, "utf8") + readFileSync(big.path, "utf8"));
    // Largest first, so connections taking them from a queue finish together.
    const sizes = got.map((p) => p.range.end - p.range.start);
    expect(sizes).toEqual([...sizes].sort((a, b) => b - a));
  });

  it("keeps files whole, largest first, when there are as many as parts or more, and gives none for empty files only", async () => {
    const files = [file(10), file(20), file(30)];
    expect((await csvPieces(files, 2)).map((p) => [p.file, p.range])).toEqual([...files].reverse().map((f) => [f.path, { start: 0, end: f.size }]));
    expect(await csvPieces([file(0), file(0)], 4)).toEqual([]);
  });
});
