import { afterAll, describe, expect, it } from "vitest";
import { firstInvalidUtf8, scanText } from "./text-scan.ts";
import { tempDir } from "./testing/test-context.ts";

const tmp = tempDir("text-scan");
afterAll(() => tmp.remove());
const file = tmp.file;

describe("firstInvalidUtf8", () => {
  it("accepts valid text and finds bad bytes, overlongs, surrogates and truncation", () => {
    expect(firstInvalidUtf8(Buffer.from("ascii ü € 𝄞"))).toBe(-1);
    expect(firstInvalidUtf8(Buffer.from([0x61, 0xe9, 0x62]))).toBe(1); // Latin-1 é
    expect(firstInvalidUtf8(Buffer.from([0xc0, 0xaf]))).toBe(0); // overlong "/"
    expect(firstInvalidUtf8(Buffer.from([0xed, 0xa0, 0x80]))).toBe(0); // a surrogate
    expect(firstInvalidUtf8(Buffer.from([0x61, 0xe2, 0x82]))).toBe(1); // cut short
    expect(firstInvalidUtf8(Buffer.from([0xf4, 0x90, 0x80, 0x80]))).toBe(0); // above U+10FFFF
  });
});

describe("scanText", () => {
  it("reports the line of the first non-UTF-8 byte, even past a chunk boundary", async () => {
    expect(await scanText(file("latin.csv", Buffer.from("a,b\n1,caf\xe9\n", "latin1")))).toEqual({ kind: "invalid", line: 2, byte: 0xe9, offset: 9 });
    const big = Buffer.concat([Buffer.from("x,ü\n".repeat(400_000)), Buffer.from([0x41, 0x92, 0x0a])]);
    const r = await scanText(file("big.csv", big));
    expect(r).toEqual({ kind: "invalid", line: 400_001, byte: 0x92, offset: big.length - 2 });
  });

  it("reports the line of the first NUL byte, as UTF-16 without a byte order mark and binary files have", async () => {
    expect(await scanText(file("nul.csv", "a,b\n1,x\u0000y\n"))).toEqual({ kind: "nul", line: 2, offset: 7 });
    expect(await scanText(file("utf16-no-bom.csv", Buffer.from("a,b\n1,2\n", "utf16le")))).toEqual({ kind: "nul", line: 1, offset: 1 });
    // Whichever comes first: a bad byte before the NUL is named.
    expect(await scanText(file("both.csv", Buffer.from([0x61, 0x0a, 0xe9, 0x00, 0x0a])))).toEqual({ kind: "invalid", line: 2, byte: 0xe9, offset: 2 });
  });

  it("keeps multi-byte characters split across chunks", async () => {
    const text = "é".repeat((1 << 20) / 2 + 1) + "€".repeat(1000) + "\n";
    expect(await scanText(file("split.csv", Buffer.concat([Buffer.from("a"), Buffer.from(text)])))).toEqual({ kind: "ok" });
  });

  it("tells blank, UTF-16 and BOM-prefixed files apart", async () => {
    expect(await scanText(file("blank.csv", " \r\n\t\n"))).toEqual({ kind: "blank" });
    expect(await scanText(file("empty.csv", ""))).toEqual({ kind: "blank" });
    expect(await scanText(file("utf16.csv", Buffer.from("\ufeffa,b\n", "utf16le")))).toEqual({ kind: "utf16" });
    expect(await scanText(file("bom.csv", "\ufeffa,b\n"))).toEqual({ kind: "ok" });
    expect(await scanText(file("cut.csv", Buffer.from([0x61, 0x0a, 0xe2, 0x82])))).toEqual({ kind: "invalid", line: 2, byte: 0xe2, offset: 2 });
  });
});
