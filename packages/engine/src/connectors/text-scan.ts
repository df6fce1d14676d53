import { isUtf8 } from "node:buffer";
import { createReadStream } from "node:fs";

export type TextScan =
  | { kind: "ok" }
  | { kind: "blank" }
  | { kind: "utf16" }
  | { kind: "invalid"; line: number; byte: number; offset: number }
  /** A NUL byte: valid UTF-8, but never in text (UTF-16 without a byte order mark, or a binary file), nor in PostgreSQL. */
  | { kind: "nul"; line: number; offset: number };

/** Index of the first byte that does not start or continue a valid UTF-8 sequence, or -1. */
export function firstInvalidUtf8(buf: Uint8Array): number {
  let i = 0;
  while (i < buf.length) {
    const b = buf[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let min: number;
    if (b >= 0xc2 && b <= 0xdf) {
      need = 1;
      min = 0x80;
    } else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      min = 0x800;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      min = 0x10000;
    } else return i;
    let cp = b & (0x3f >> need);
    for (let k = 1; k <= need; k++) {
      const c = buf[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return -1;
}

/** Length of a trailing multi-byte sequence cut off by the chunk boundary (0 when the chunk ends cleanly). */
function incompleteTail(buf: Buffer): number {
  for (let back = 1; back <= Math.min(3, buf.length); back++) {
    const b = buf[buf.length - back]!;
    if ((b & 0xc0) === 0x80) continue; // a continuation byte: keep looking for the lead byte
    const len = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return len > back ? back : 0;
  }
  return 0;
}

const countNewlines = (buf: Uint8Array, end = buf.length) => {
  let n = 0;
  for (let i = 0; i < end; i++) if (buf[i] === 0x0a) n++;
  return n;
};

const BLANK = new Set([0x20, 0x09, 0x0a, 0x0d]);

/**
 * Streams a text file once: is it blank, UTF-16, not valid UTF-8 or holding a NUL byte (and where: the 1-based
 * line and byte offset of the first bad byte)? A UTF-8 byte order mark is fine.
 */
export async function scanText(path: string): Promise<TextScan> {
  let carry = Buffer.alloc(0);
  let offset = 0; // bytes before `carry`
  let lines = 1;
  let first = true;
  let content = false;
  for await (const raw of createReadStream(path, { highWaterMark: 1 << 20 })) {
    let chunk = carry.length ? Buffer.concat([carry, raw as Buffer]) : (raw as Buffer);
    if (first) {
      first = false;
      if (chunk.length >= 2 && ((chunk[0] === 0xff && chunk[1] === 0xfe) || (chunk[0] === 0xfe && chunk[1] === 0xff))) return { kind: "utf16" };
      if (chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) {
        chunk = chunk.subarray(3);
        offset = 3;
      }
    }
    const tail = incompleteTail(chunk);
    const whole = chunk.subarray(0, chunk.length - tail);
    if (!content) content = whole.some((b) => !BLANK.has(b));
    const nul = whole.indexOf(0);
    if (!isUtf8(whole)) {
      const at = firstInvalidUtf8(whole);
      if (nul < 0 || at < nul) return { kind: "invalid", line: lines + countNewlines(whole, at), byte: whole[at] ?? 0, offset: offset + at };
    }
    if (nul >= 0) return { kind: "nul", line: lines + countNewlines(whole, nul), offset: offset + nul };
    lines += countNewlines(whole);
    offset += whole.length;
    carry = Buffer.from(chunk.subarray(chunk.length - tail));
  }
  if (carry.length) return { kind: "invalid", line: lines, byte: carry[0]!, offset };
  return content ? { kind: "ok" } : { kind: "blank" };
}

export type LineEnding = "\n" | "\r\n" | "\r";

/**
 * The first line (1-based) to end in each way, when the file's lines end in more than one way (a Unix file with
 * Windows lines appended, say), which DuckDB's CSV reader cannot read; undefined when they all end alike. Quotes
 * are not followed, so a line break inside a quoted value counts too: a hint for a file DuckDB already refused.
 */
export async function mixedLineEndings(path: string): Promise<{ ending: LineEnding; line: number }[] | undefined> {
  const first = new Map<LineEnding, number>();
  let line = 1;
  let pendingCr = false;
  for await (const raw of createReadStream(path, { highWaterMark: 1 << 20 })) {
    const chunk = raw as Buffer;
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i]!;
      if (pendingCr) {
        pendingCr = false;
        const ending: LineEnding = b === 0x0a ? "\r\n" : "\r";
        if (!first.has(ending)) first.set(ending, line);
        line++;
        if (b === 0x0a) continue;
      }
      if (b === 0x0d) pendingCr = true;
      else if (b === 0x0a) {
        if (!first.has("\n")) first.set("\n", line);
        line++;
      }
    }
    if (first.size > 1) break;
  }
  if (pendingCr && !first.has("\r")) first.set("\r", line);
  return first.size > 1 ? [...first].map(([ending, at]) => ({ ending, line: at })).sort((a, b) => a.line - b.line) : undefined;
}
