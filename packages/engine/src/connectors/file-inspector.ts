import { open, realpath, stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { error, fail, ok, type Column, type Issue, type RenamedColumn, type Result } from "@sluice/model";
import { fileReadSql, logicalType, quoteIdent, quoteLiteral, type DataFileInfo, type DataFileOptions } from "@sluice/pipeline";
import { duckDetail, DuckQueryError } from "../duck-error.ts";
import { openSession, type DuckSession } from "../duckdb-session.ts";
import { headerRenames } from "./header-renames.ts";
import { MAX_NESTING, nestingIssue, typeNesting } from "./nesting-limit.ts";
import { scanText } from "./text-scan.ts";

export type FileFormat = DataFileInfo["format"];

export interface InspectedFile {
  format: FileFormat;
  columns: Column[];
  options: DataFileOptions;
  rowCount: number;
  /** Headers not kept as names (CSV and TSV): DuckDB named those columns itself. */
  renamedColumns: RenamedColumn[];
}

const EXTENSIONS: Record<string, FileFormat> = {
  ".csv": "csv",
  ".tsv": "tsv",
  ".tab": "tsv",
  ".json": "json",
  ".ndjson": "ndjson",
  ".jsonl": "ndjson",
  ".parquet": "parquet",
};

class InspectProblem extends Error {
  constructor(readonly issue: Issue) {
    super(issue.message);
  }
}
const problem = (code: string, message: string) => new InspectProblem(error(code, message, { field: "file" }));

type Query = (sql: string) => Promise<Record<string, unknown>[]>;

async function head(file: string, bytes: number): Promise<Buffer> {
  const handle = await open(file, "r");
  try {
    const buf = Buffer.alloc(bytes);
    const { bytesRead } = await handle.read(buf, 0, bytes, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/** The first line's text, without a byte order mark. */
const firstLine = (buf: Buffer) => buf.toString("utf8").replace(/^\ufeff/, "").split(/\r?\n/)[0] ?? "";
const firstChar = (buf: Buffer) => buf.toString("utf8").replace(/^\ufeff/, "").trimStart()[0];

/** A short, path-free account of a DuckDB error about a file: the line it names and what is wrong there. */
export function summarizeReadError(message: string, file: string, name: string): string {
  const lines = message.split("\n");
  const line = /CSV Error on Line: (\d+)/.exec(message)?.[1];
  const original = /^Original Line: (.*)$/m.exec(message)?.[1];
  const originalIndex = lines.findIndex((l) => l.startsWith("Original Line:"));
  // The original line may itself span lines (an open quote), so look for DuckDB's known reasons first.
  const known = lines.find((l) => /Expected Number of Columns|unterminated quote|Could not convert|Invalid unicode|Maximum line size/i.test(l));
  const reason = (known ?? (originalIndex >= 0 ? lines[originalIndex + 1] : lines[0]) ?? message)
    .trim()
    .replace(/^[A-Za-z ]+ Error: /, "")
    .replace(/Expected Number of Columns: (\d+) Found: (\d+)/, (_m, expected: string, found: string) => `it has ${found} fields where the header has ${expected}`)
    .replaceAll(file, name);
  if (!line) return `"${name}" could not be read: ${reason}`;
  const shown = original && original.length > 120 ? `${original.slice(0, 117)}...` : original;
  return `Line ${line} of "${name}": ${reason}${shown !== undefined ? ` (the line reads: ${shown})` : ""}`;
}

/** A value that did not fit the detected type: worth detecting again from every row. */
const isConversionError = (e: unknown) =>
  (e instanceof DuckQueryError && e.code === "CONVERSION_FAILED") || /Conversion Error|Could not convert|could not parse/i.test(duckDetail(e));

function columnsFrom(described: { name: string; type: string }[], file: string): { columns: Column[]; offsetTimestamps: string[] } {
  // Reading a nested value walks its type recursively, in this process and later in the server's: refuse deep ones here.
  const deep = described.find((d) => typeNesting(d.type) > MAX_NESTING);
  if (deep) {
    throw problem(
      "FILE_TOO_DEEPLY_NESTED",
      `Column "${deep.name}" of "${file}" nests structs, lists or maps more than ${MAX_NESTING} levels deep, more than Sluice reads. Flatten it and upload the file again.`,
    );
  }
  const columns = described.map((d) => ({ name: d.name, ...logicalType(d.type) }));
  const offsetTimestamps = described.filter((d) => /^TIMESTAMP WITH TIME ZONE$|^TIMESTAMPTZ$/i.test(d.type)).map((d) => d.name);
  return { columns, offsetTimestamps };
}

/** Reads the whole file exactly as a file source will, forcing every column to parse; returns the row count. */
async function verify(query: Query, info: DataFileInfo): Promise<number> {
  const counts = info.columns.map((c, i) => `count(${quoteIdent(c.name)}) AS c${i}`);
  const rows = await query(`SELECT ${["count(*) AS n", ...counts].join(", ")} FROM (${fileReadSql(info, info.columns, { text: false, csv: {} })})`);
  return Number(rows[0]?.n ?? 0);
}

async function sniffCsv(query: Query, file: string, name: string, format: FileFormat, fullSample: boolean) {
  const args = [quoteLiteral(file), ...(format === "tsv" ? ["delim='\t'"] : []), ...(fullSample ? ["sample_size=-1"] : [])];
  const [s] = await query(`SELECT * FROM sniff_csv(${args.join(", ")})`);
  if (!s) throw problem("FILE_MALFORMED", "The file could not be read as CSV.");
  const unset = (v: unknown) => (v === null || v === undefined || v === "(empty)" ? "" : String(v));
  const quote = unset(s.Quote);
  const { columns, offsetTimestamps } = columnsFrom(s.Columns as { name: string; type: string }[], name);
  const options: DataFileOptions = {
    delimiter: unset(s.Delimiter) || ",",
    header: s.HasHeader === true,
    quote,
    // Without an explicit escape, a quote inside a quoted value is written twice: the escape is the quote.
    escape: unset(s.Escape) || quote,
    nullStrings: [""],
    ...(Number(s.SkipRows) > 0 ? { skip: Number(s.SkipRows) } : {}),
    ...(unset(s.Comment) ? { comment: unset(s.Comment) } : {}),
    ...(unset(s.DateFormat) ? { dateFormat: unset(s.DateFormat) } : {}),
    ...(unset(s.TimestampFormat) ? { timestampFormat: unset(s.TimestampFormat) } : {}),
    ...(offsetTimestamps.length ? { offsetTimestamps } : {}),
  };
  return { columns, options };
}

/**
 * When rows disagree on their number of fields, DuckDB's sniffer gives up on the delimiter and returns one
 * column. If the first line has an obvious delimiter, read with it to find and name the first bad line.
 */
async function raggedLine(query: Query, file: string, firstRow: string): Promise<string | undefined> {
  const candidates = [",", ";", "\t", "|"].map((d) => ({ d, n: firstRow.split(d).length - 1 })).filter((c) => c.n > 0);
  const best = candidates.sort((a, b) => b.n - a.n)[0];
  if (!best) return undefined;
  const columns = Array.from({ length: best.n + 1 }, (_, i) => `'c${i}': 'VARCHAR'`).join(", ");
  try {
    await query(
      `SELECT count(*) FROM read_csv(${quoteLiteral(file)}, auto_detect=false, header=false, delim=${quoteLiteral(best.d)}, quote='"', escape='"', columns={${columns}})`,
    );
    return undefined;
  } catch (e) {
    return duckDetail(e);
  }
}

async function inspectCsv(query: Query, file: string, name: string, format: FileFormat): Promise<InspectedFile> {
  let sniffed = await sniffCsv(query, file, name, format, false);
  if (sniffed.columns.length === 1) {
    const ragged = await raggedLine(query, file, firstLine(await head(file, 64 * 1024)));
    if (ragged) throw problem("FILE_MALFORMED", summarizeReadError(ragged, file, name));
  }
  const delimiterFormat: FileFormat = sniffed.options.delimiter === "\t" ? "tsv" : "csv";
  const info = (s: typeof sniffed): DataFileInfo => ({ id: "", name, path: file, format: delimiterFormat, columns: s.columns, options: s.options });
  const inspected = async (s: typeof sniffed) => {
    const rowCount = await verify(query, info(s));
    return { format: delimiterFormat, ...s, rowCount, renamedColumns: await headerRenames(query, info(s)) };
  };
  try {
    return await inspected(sniffed);
  } catch (e) {
    if (!isConversionError(e)) throw e;
  }
  // A value past the sniffer's sample did not fit the detected type: detect again from every row.
  sniffed = await sniffCsv(query, file, name, format, true);
  return await inspected(sniffed);
}

async function inspectJson(query: Query, file: string, name: string, isArray: boolean): Promise<InspectedFile> {
  // One object per line is NDJSON; anything else that is not an array (e.g. one pretty-printed object) is read as "auto".
  let format: FileFormat = isArray ? "json" : "ndjson";
  const describe = async (readFormat: string, fullSample: boolean) =>
    (await query(
      `DESCRIBE SELECT * FROM read_json(${quoteLiteral(file)}, format=${quoteLiteral(readFormat)}${fullSample ? ", sample_size=-1" : ""})`,
    )) as { column_name: string; column_type: string }[];
  let described: { column_name: string; column_type: string }[];
  if (isArray) described = await describe("array", false);
  else {
    try {
      described = await describe("newline_delimited", false);
    } catch {
      format = "json";
      described = await describe("auto", false);
    }
  }
  const readFormat = format === "ndjson" ? "newline_delimited" : isArray ? "array" : "auto";
  const build = (d: typeof described) => {
    const { columns, offsetTimestamps } = columnsFrom(d.map((x) => ({ name: x.column_name, type: x.column_type })), name);
    const options: DataFileOptions = offsetTimestamps.length ? { offsetTimestamps } : {};
    return { columns, options, info: { id: "", name, path: file, format, columns, options } satisfies DataFileInfo };
  };
  let built = build(described);
  try {
    return { format, columns: built.columns, options: built.options, rowCount: await verify(query, built.info), renamedColumns: [] };
  } catch (e) {
    if (!isConversionError(e)) throw e;
  }
  built = build(await describe(readFormat, true));
  return { format, columns: built.columns, options: built.options, rowCount: await verify(query, built.info), renamedColumns: [] };
}

async function inspectParquet(query: Query, file: string, name: string): Promise<InspectedFile> {
  const described = (await query(`DESCRIBE SELECT * FROM read_parquet(${quoteLiteral(file)})`)) as { column_name: string; column_type: string }[];
  const { columns, offsetTimestamps } = columnsFrom(described.map((x) => ({ name: x.column_name, type: x.column_type })), name);
  const options: DataFileOptions = offsetTimestamps.length ? { offsetTimestamps } : {};
  const rowCount = await verify(query, { id: "", name, path: file, format: "parquet", columns, options });
  return { format: "parquet", columns, options, rowCount, renamedColumns: [] };
}

function detectFormat(name: string, start: Buffer, hint: FileFormat | undefined): FileFormat | "json-any" {
  if (start.subarray(0, 4).toString("latin1") === "PAR1") return "parquet";
  const byExtension = hint ?? EXTENSIONS[path.extname(name).toLowerCase()];
  if (byExtension === "parquet") return "parquet";
  const c = firstChar(start);
  if (byExtension === "json" || byExtension === "ndjson" || (byExtension === undefined && (c === "[" || c === "{"))) return "json-any";
  return byExtension ?? "csv";
}

/**
 * FILE_TOO_DEEPLY_NESTED when the file, read as inspectFile would read it, nests past MAX_NESTING. It counts
 * brackets or reads a Parquet footer, with no DuckDB, so any process may run it: inspectFileIsolated asks before
 * starting a child.
 */
export async function nestingProblem(file: string, hint: { name: string; format?: FileFormat }): Promise<Issue | undefined> {
  const format = detectFormat(hint.name, await head(file, 64 * 1024), hint.format);
  return nestingIssue(format === "json-any" ? "json" : format, file, hint.name);
}

/**
 * Works out an uploaded file's format, parsing options, columns and row count, reading it the way a file
 * source will. Problems come back as FILE_EMPTY, FILE_ENCODING (naming the line), FILE_TOO_DEEPLY_NESTED,
 * FILE_MALFORMED (naming the line where DuckDB says) or FILE_UNREADABLE. DuckDB runs in this process: for a
 * file from someone else, use inspectFileIsolated, which runs this in a child process a crash cannot spread from.
 */
export async function inspectFile(given: string, hint: { name: string; format?: FileFormat } = { name: path.basename(given) }): Promise<Result<InspectedFile>> {
  const name = hint.name;
  // DuckDB compares paths as written: the one it may open must be the real one, links resolved.
  let file = path.resolve(given);
  let session: DuckSession | undefined;
  try {
    file = await realpath(file);
    const size = (await stat(file)).size;
    if (size === 0) throw problem("FILE_EMPTY", `"${name}" is empty.`);
    const start = await head(file, 64 * 1024);
    const format = detectFormat(name, start, hint.format);
    if (format !== "parquet") {
      const scan = await scanText(file);
      if (scan.kind === "blank") throw problem("FILE_EMPTY", `"${name}" has no data, only blank lines.`);
      if (scan.kind === "utf16") throw problem("FILE_ENCODING", `"${name}" is encoded as UTF-16; save it as UTF-8 and upload it again.`);
      if (scan.kind === "invalid") {
        throw problem(
          "FILE_ENCODING",
          `Line ${scan.line} of "${name}" is not valid UTF-8 (byte 0x${scan.byte.toString(16).toUpperCase().padStart(2, "0")}); the file probably uses another encoding such as Latin-1 or Windows-1252. Save it as UTF-8 and upload it again.`,
        );
      }
    }
    // Before DuckDB sees it: its JSON and Parquet readers recurse once per level, and a deep enough file overflows the stack.
    const tooDeep = await nestingIssue(format === "json-any" ? "json" : format, file, name);
    if (tooDeep) throw new InspectProblem(tooDeep);
    // The same locked-down DuckDB as runs and previews, opened to this one file only; it spills to the temporary folder.
    const opened = await openSession({ allowedDirectories: [], allowedFiles: [file], spillDirectory: os.tmpdir() });
    if (!opened.ok) return opened;
    session = opened.value;
    const query: Query = session.query;
    const inspected =
      format === "parquet"
        ? await inspectParquet(query, file, name)
        : format === "json-any"
          ? await inspectJson(query, file, name, firstChar(start) === "[")
          : await inspectCsv(query, file, name, format);
    if (inspected.columns.length === 0) throw problem("FILE_MALFORMED", `"${name}" has no columns.`);
    return ok(inspected);
  } catch (e) {
    if (e instanceof InspectProblem) return fail(e.issue);
    const err = e as NodeJS.ErrnoException;
    if (err.code === "ENOENT" || err.code === "EACCES") return fail(error("FILE_UNREADABLE", `"${name}" could not be opened (${err.code}).`, { field: "file" }));
    return fail(error("FILE_MALFORMED", summarizeReadError(duckDetail(e), file, name), { field: "file" }));
  } finally {
    session?.close();
  }
}
