import { createReadStream } from "node:fs";
import { error, type Issue } from "@sluice/model";
import type { DataFileInfo } from "@sluice/pipeline";
import { parquetSchemaDepth } from "./parquet-schema-depth.ts";

/**
 * How many objects and arrays an uploaded file may nest inside one another. DuckDB's JSON reader and its
 * nested types are handled by recursive code: a file nested thousands deep overflows its stack and kills the
 * process (a 120 KB file nested 20,000 deep did). Real data rarely nests past 10; 64 leaves ample room.
 */
export const MAX_NESTING = 64;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACKET = 0x5b;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACKET = 0x5d;
const CLOSE_BRACE = 0x7d;

/**
 * Counts how deeply brackets and braces nest in JSON text, fed in chunks, skipping those inside strings.
 * It is a limit, not a parser: on valid JSON the count is exact, and where text is not valid JSON it errs
 * towards counting more. A raw control character (a newline above all) cannot occur inside a JSON string,
 * so it ends one here: a stray quote cannot hide the lines after it, which DuckDB may parse on their own.
 */
export class JsonNestingScanner {
  depth = 0;
  /** 1-based line of the current byte. */
  line = 1;
  private inString = false;
  private escaped = false;

  constructor(private readonly limit: number) {}

  /** Reads a chunk; returns the line where nesting first went past the limit, or undefined. */
  feed(chunk: Uint8Array): number | undefined {
    // Locals, not fields, in the loop: it sees every byte of uploads up to gigabytes.
    let { depth, line, inString, escaped } = this;
    const limit = this.limit;
    let over: number | undefined;
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i]!;
      if (b < 0x20) {
        inString = false;
        escaped = false;
        if (b === 0x0a) line++;
      } else if (inString) {
        if (escaped) escaped = false;
        else if (b === BACKSLASH) escaped = true;
        else if (b === QUOTE) inString = false;
      } else if (b === QUOTE) inString = true;
      else if (b === OPEN_BRACKET || b === OPEN_BRACE) {
        if (++depth > limit) {
          over = line;
          break;
        }
      } else if ((b === CLOSE_BRACKET || b === CLOSE_BRACE) && depth > 0) depth--;
    }
    Object.assign(this, { depth, line, inString, escaped });
    return over;
  }
}

export type NestingScan = { kind: "ok" } | { kind: "too-deep"; line: number };

/** Streams a JSON or NDJSON file once and stops at the first place it nests deeper than `limit`. */
export async function scanJsonNesting(path: string, limit = MAX_NESTING): Promise<NestingScan> {
  const scanner = new JsonNestingScanner(limit);
  const stream = createReadStream(path, { highWaterMark: 1 << 20 });
  try {
    for await (const chunk of stream) {
      const line = scanner.feed(chunk as Buffer);
      if (line !== undefined) return { kind: "too-deep", line };
    }
    return { kind: "ok" };
  } finally {
    stream.destroy();
  }
}

/**
 * FILE_TOO_DEEPLY_NESTED, naming the line, when a JSON or NDJSON file nests deeper than MAX_NESTING: checked
 * before DuckDB is given the file, at upload and (for files stored before the limit) before it is first read.
 */
export async function jsonNestingIssue(path: string, name: string): Promise<Issue | undefined> {
  const scan = await scanJsonNesting(path);
  if (scan.kind === "ok") return undefined;
  return error(
    "FILE_TOO_DEEPLY_NESTED",
    `Line ${scan.line} of "${name}" nests objects and arrays more than ${MAX_NESTING} levels deep, more than Sluice reads. Flatten the data (or keep its deepest parts as text) and upload it again.`,
    { field: "file" },
  );
}

/**
 * FILE_TOO_DEEPLY_NESTED when a Parquet schema nests deeper than its types may, read from the footer without
 * DuckDB. A list or map is two groups in Parquet and one level in DuckDB's type, hence twice the limit here;
 * the exact limit applies to the types once DuckDB has described them (see typeNesting).
 */
export async function parquetNestingIssue(path: string, name: string): Promise<Issue | undefined> {
  const depth = await parquetSchemaDepth(path);
  if (depth === undefined || depth <= 2 * MAX_NESTING) return undefined;
  return error(
    "FILE_TOO_DEEPLY_NESTED",
    `"${name}" has columns that nest structs, lists or maps more than ${MAX_NESTING} levels deep (${depth} groups), more than Sluice reads. Flatten them and upload the file again.`,
    { field: "file" },
  );
}

/** The nesting check for a file of this format, before DuckDB reads it; CSV and TSV cannot nest. */
export function nestingIssue(format: DataFileInfo["format"], path: string, name: string): Promise<Issue | undefined> {
  switch (format) {
    case "json":
    case "ndjson":
      return jsonNestingIssue(path, name);
    case "parquet":
      return parquetNestingIssue(path, name);
    case "csv":
    case "tsv":
      return Promise.resolve(undefined);
    default: {
      const never: never = format;
      throw new Error(`unknown format ${String(never)}`);
    }
  }
}

/**
 * How deeply a DuckDB type nests: `STRUCT(a STRUCT(b INTEGER[]))` is 3. Parquet files carry their own
 * types, which DuckDB also walks recursively, so the same limit applies to them. Quoted field names may
 * hold any character and are skipped.
 */
export function typeNesting(type: string): number {
  // One frame per open parenthesis: the deepest finished member so far, and the member being read.
  const frames = [{ max: 0, current: 0 }];
  const close = () => {
    const done = frames.pop()!;
    frames[frames.length - 1]!.current = 1 + Math.max(done.max, done.current);
  };
  for (let i = 0; i < type.length; i++) {
    const c = type[i];
    const top = frames[frames.length - 1]!;
    if (c === '"') {
      i++;
      while (i < type.length && !(type[i] === '"' && type[i + 1] !== '"')) i += type[i] === '"' ? 2 : 1;
    } else if (c === "(") frames.push({ max: 0, current: 0 });
    else if (c === ")" && frames.length > 1) close();
    else if (c === "[") {
      top.current++;
      while (i < type.length && type[i] !== "]") i++;
    } else if (c === ",") {
      top.max = Math.max(top.max, top.current);
      top.current = 0;
    }
  }
  // A parenthesis left open (never in a type from DuckDB) still counts.
  while (frames.length > 1) close();
  return Math.max(frames[0]!.max, frames[0]!.current);
}
