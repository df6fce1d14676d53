import { open } from "node:fs/promises";

export interface ByteRange {
  start: number;
  /** Exclusive. */
  end: number;
}

const QUOTE = 0x22;
const NEWLINE = 0x0a;

/**
 * Cuts a CSV file, as DuckDB writes it (fields quoted with `"`, quotes doubled), into about `parts` byte
 * ranges of similar size that each hold whole rows, so several connections can COPY it at once. A row
 * ends at a newline outside quotes; tracking the quote parity from the start of the file finds those even
 * when quoted text holds newlines. Ranges keep the file's order.
 */
export async function csvRowRanges(path: string, parts: number, chunkBytes = 1 << 20): Promise<ByteRange[]> {
  const file = await open(path, "r");
  try {
    const size = (await file.stat()).size;
    if (parts <= 1 || size === 0) return [{ start: 0, end: size }];
    const targets = Array.from({ length: parts - 1 }, (_, k) => Math.floor((size * (k + 1)) / parts));
    const cuts: number[] = [];
    const buffer = Buffer.allocUnsafe(chunkBytes);
    let quoted = false;
    let offset = 0;
    let target = targets.shift();
    while (target !== undefined && offset < size) {
      const { bytesRead } = await file.read(buffer, 0, buffer.length, offset);
      if (bytesRead === 0) break;
      const chunk = buffer.subarray(0, bytesRead);
      let i = 0;
      while (i < bytesRead && target !== undefined) {
        if (offset + i < target) {
          // Before the target only the quote parity matters.
          const limit = Math.min(bytesRead, target - offset);
          const q = chunk.subarray(0, limit).indexOf(QUOTE, i);
          if (q === -1) i = limit;
          else {
            quoted = !quoted;
            i = q + 1;
          }
          continue;
        }
        const q = chunk.indexOf(QUOTE, i);
        const n = chunk.indexOf(NEWLINE, i);
        if (n !== -1 && (q === -1 || n < q)) {
          i = n + 1;
          if (!quoted) {
            const cut = offset + i;
            if (cut < size) cuts.push(cut);
            while (target !== undefined && target < cut) target = targets.shift();
          }
        } else if (q !== -1) {
          quoted = !quoted;
          i = q + 1;
        } else i = bytesRead;
      }
      offset += bytesRead;
    }
    const bounds = [0, ...cuts, size];
    return bounds.slice(1).map((end, k) => ({ start: bounds[k]!, end }));
  } finally {
    await file.close();
  }
}

/** A part of a CSV file holding whole rows, copied over one connection. */
export interface CsvPiece {
  file: string;
  range: ByteRange;
}

/**
 * Splits CSV files (DuckDB's per thread) into about `parts` pieces of similar size: every non-empty file is
 * at least one piece, and while there are fewer pieces than `parts`, the file with the largest pieces is cut once
 * more. More files than `parts` stay whole: the connections then take them one after another, largest first.
 */
export async function csvPieces(files: { path: string; size: number }[], parts: number): Promise<CsvPiece[]> {
  const nonEmpty = files.filter((f) => f.size > 0);
  const cuts = nonEmpty.map(() => 1);
  const pieceSize = (k: number) => nonEmpty[k]!.size / cuts[k]!;
  for (let n = nonEmpty.length; n > 0 && n < parts; n++) {
    const largest = cuts.reduce((best, _, k) => (pieceSize(k) > pieceSize(best) ? k : best), 0);
    cuts[largest]!++;
  }
  const ranges = await Promise.all(nonEmpty.map((f, k) => csvRowRanges(f.path, cuts[k]!)));
  // Largest first: connections taking pieces from a queue then finish at about the same time.
  const size = (p: CsvPiece) => p.range.end - p.range.start;
  return ranges.flatMap((rs, k) => rs.map((range) => ({ file: nonEmpty[k]!.path, range }))).sort((a, b) => size(b) - size(a));
}
