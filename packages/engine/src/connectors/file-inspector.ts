import { open, realpath, stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { error, fail, ok, type Column, type Issue, type RenamedColumn, type Result } from "@sluice/model";
import { fileReadSql, logicalType, MAX_COLUMNS, quoteIdent, quoteLiteral, type DataFileInfo, type DataFileOptions } from "@sluice/pipeline";
import { duckDetail, DuckQueryError } from "../duck-error.ts";
import { openSession, type DuckSession } from "../duckdb-session.ts";
import { headerRenames } from "./header-renames.ts";
import { MAX_NESTING, nestingIssue, typeNesting } from "./nesting-limit.ts";
import { mixedLineEndings, scanText, type LineEnding } from "./text-scan.ts";
import { exactNumbers, infiniteDates } from "./refine-detected-types.ts";

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

type Query = DuckSession["query"];

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
  // The original line may itself span lines (an open quote), so look for DuckDB's known reasons first; never in its
  // "Possible fixes" bullets ("* Be sure that the maximum line size is set…"), which name options, not what is wrong.
  const known = lines.find((l) => !l.trimStart().startsWith("*") && /Expected Number of Columns|unterminated quote|Could not convert|Invalid unicode|Maximum line size/i.test(l));
  const reason = (known ?? (originalIndex >= 0 ? lines[originalIndex + 1] : lines[0]) ?? message)
    .trim()
    .replace(/^[A-Za-z ]+ Error: /, "")
    .replace(/Expected Number of Columns: (\d+) Found: (\d+)/, (_m, expected: string, found: string) => `it has ${found} fields where the header has ${expected}`)
    .replace(
      /Maximum line size of (\d+) bytes exceeded\. Actual Size: ?(\d+) bytes\.?/,
      (_m, max: string, actual: string) =>
        `it is ${Number(actual).toLocaleString("en-US")} bytes long, and a line may have at most ${Number(max).toLocaleString("en-US")}. A quote opened and never closed makes one long line of the rest of the file; otherwise split the longest values`,
    )
    .replaceAll(file, name);
  if (!line) return `"${name}" could not be read: ${reason}`;
  const shown = original && original.length > 120 ? `${original.slice(0, 117)}...` : original;
  return `Line ${line} of "${name}": ${reason}${shown !== undefined ? ` (the line reads: ${shown})` : ""}`;
}

/** A value that did not fit the detected type: worth detecting again from every row. */
const isConversionError = (e: unknown) =>
  (e instanceof DuckQueryError && e.code === "CONVERSION_FAILED") || /Conversion Error|Could not convert|could not parse/i.test(duckDetail(e));

/**
 * Whole numbers wider than a bigint (64-bit signed) are read as exact decimals: Parquet's UINT64 as a bigint refused
 * every file with a value past 9223372036854775807 ("can't be cast because the value is out of range").
 */
const WIDE_INTEGERS: Record<string, Pick<Column, "type" | "precision" | "scale">> = {
  UBIGINT: { type: "decimal", precision: 20, scale: 0 },
  HUGEINT: { type: "decimal", precision: 38, scale: 0 },
  UHUGEINT: { type: "decimal", precision: 38, scale: 0 },
};

function columnsFrom(described: { name: string; type: string }[], file: string): { columns: Column[]; offsetTimestamps: string[] } {
  // Reading a nested value walks its type recursively, in this process and later in the server's: refuse deep ones here.
  const deep = described.find((d) => typeNesting(d.type) > MAX_NESTING);
  if (deep) {
    throw problem(
      "FILE_TOO_DEEPLY_NESTED",
      `Column "${deep.name}" of "${file}" nests structs, lists or maps more than ${MAX_NESTING} levels deep, more than Sluice reads. Flatten it and upload the file again.`,
    );
  }
  const columns = described.map((d) => ({ name: d.name, ...(WIDE_INTEGERS[d.type.toUpperCase()] ?? logicalType(d.type)) }));
  const offsetTimestamps = described.filter((d) => /^TIMESTAMP WITH TIME ZONE$|^TIMESTAMPTZ$/i.test(d.type)).map((d) => d.name);
  return { columns, offsetTimestamps };
}

/** Reads the whole file exactly as a file source will, forcing every column to parse; returns the row count. */
async function verify(query: Query, info: DataFileInfo): Promise<number> {
  const counts = info.columns.map((c, i) => `count(${quoteIdent(c.name)}) AS c${i}`);
  const rows = await query(`SELECT ${["count(*) AS n", ...counts].join(", ")} FROM (${fileReadSql(info, info.columns, { text: false, csv: {} })})`);
  return Number(rows[0]?.n ?? 0);
}

/** Excel's first line `sep=;` names the delimiter and is no row (DuckDB would read it as the header). */
const excelSeparator = (firstRow: string) => /^sep=(.)$/.exec(firstRow)?.[1];

async function sniffCsv(query: Query, file: string, name: string, format: FileFormat, fullSample: boolean) {
  const sep = excelSeparator(firstLine(await head(file, 64)));
  const delimiter = sep !== undefined ? [`delim=${quoteLiteral(sep)}`, "skip=1"] : format === "tsv" ? ["delim='\t'"] : [];
  const args = [quoteLiteral(file), ...delimiter, ...(fullSample ? ["sample_size=-1"] : [])];
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

const ENDING_WORDS: Record<LineEnding, string> = { "\n": "a line feed (\\n, as on Linux and macOS)", "\r\n": "a carriage return and line feed (\\r\\n, as on Windows)", "\r": "a lone carriage return (\\r, as on classic Mac OS)" };

/** FILE_MALFORMED naming two lines that end differently, if the file's lines do: DuckDB cannot read such a file. */
async function refuseMixedLineEndings(file: string, name: string) {
  const mixed = await mixedLineEndings(file);
  if (!mixed) return;
  const [a, b] = mixed as [{ ending: LineEnding; line: number }, { ending: LineEnding; line: number }];
  throw problem(
    "FILE_MALFORMED",
    `The lines of "${name}" end in different ways: line ${a.line} with ${ENDING_WORDS[a.ending]}, line ${b.line} with ${ENDING_WORDS[b.ending]}. Save the file with one kind of line ending (most editors can convert) and upload it again.`,
  );
}

/** DuckDB's sniffer found no dialect that reads every sampled line alike (rows of different lengths, say). */
const SNIFF_FAILED = /not possible to automatically detect the CSV parsing dialect/i;

async function inspectCsv(query: Query, file: string, name: string, format: FileFormat): Promise<InspectedFile> {
  try {
    return await inspectCsvLayout(query, file, name, format);
  } catch (e) {
    // When DuckDB could not say which line is wrong ("The CSV Parser state machine reached an invalid state", no
    // dialect found), lines that end in different ways are the cause to name. A message naming a line stays.
    const unplaced = e instanceof InspectProblem ? e.issue.code === "FILE_MALFORMED" && !/^Line \d+ of /.test(e.issue.message) : !/CSV Error on Line/.test(duckDetail(e));
    if (unplaced) await refuseMixedLineEndings(file, name);
    throw e;
  }
}

async function inspectCsvLayout(query: Query, file: string, name: string, format: FileFormat): Promise<InspectedFile> {
  const ragged = async () => {
    const first = firstLine(await head(file, 64 * 1024));
    return excelSeparator(first) === undefined ? await raggedLine(query, file, first) : undefined;
  };
  let sniffed: Awaited<ReturnType<typeof sniffCsv>>;
  try {
    sniffed = await sniffCsv(query, file, name, format, false);
  } catch (e) {
    if (!SNIFF_FAILED.test(duckDetail(e))) throw e;
    const bad = await ragged();
    if (bad) throw problem("FILE_MALFORMED", summarizeReadError(bad, file, name));
    throw problem(
      "FILE_MALFORMED",
      `Sluice could not work out how "${name}" is laid out: no delimiter (comma, semicolon, tab or |) and quoting reads every line with the same number of fields. Check that each line has as many fields as the header and that every quote is closed.`,
    );
  }
  if (sniffed.columns.length === 1) {
    const bad = await ragged();
    if (bad) throw problem("FILE_MALFORMED", summarizeReadError(bad, file, name));
  } else if ((sniffed.options.skip ?? 0) > 0) {
    // Rows longer than the header make the sniffer skip the header as a title and name the columns itself: the
    // header's names and its line would be gone without a word. A title without the delimiter stays skipped.
    const bad = await ragged();
    if (bad && /Expected Number of Columns/.test(bad)) throw problem("FILE_MALFORMED", summarizeReadError(bad, file, name));
  }
  const delimiterFormat: FileFormat = sniffed.options.delimiter === "\t" ? "tsv" : "csv";
  const info = (s: typeof sniffed): DataFileInfo => ({ id: "", name, path: file, format: delimiterFormat, columns: s.columns, options: s.options });
  const inspected = async (detected: typeof sniffed) => {
    const dated = await infiniteDates(query, info(detected));
    const s = { ...detected, ...dated, columns: await exactNumbers(query, { ...info(detected), ...dated }) };
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

/**
 * FILE_KEYS_UNREADABLE when a top-level key is no column name: DuckDB names columns without case, so of "id" and "ID"
 * the second became "ID_1", and an empty key "C<n>", and a file source, which reads the keys its columns name, read
 * those columns as NULL in every row.
 */
async function refuseRenamedKeys(query: Query, file: string, name: string, readFormat: string, columns: string[]) {
  if (columns.length === 0) return;
  const rows = await query(
    `SELECT k FROM (SELECT DISTINCT unnest(json_keys(json)) AS k FROM read_json_objects(${quoteLiteral(file)}, format=${quoteLiteral(readFormat)}) WHERE json_type(json) = 'OBJECT') WHERE k NOT IN (${columns.map(quoteLiteral).join(", ")}) AND (trim(k) = '' OR lower(k) IN (${columns.map((c) => quoteLiteral(c.toLowerCase())).join(", ")})) ORDER BY k LIMIT 1`,
  );
  const lower = new Map(columns.map((c) => [c.toLowerCase(), c]));
  for (const key of rows.map((r) => String(r.k))) {
    if (key.trim() === "") {
      throw problem("FILE_KEYS_UNREADABLE", `In "${name}", a key is ${key === "" ? "empty" : "only spaces"}, which cannot be a column name. Give it a name and upload the file again.`);
    }
    const like = lower.get(key.toLowerCase());
    if (like !== undefined) {
      throw problem(
        "FILE_KEYS_UNREADABLE",
        `In "${name}", the keys "${like}" and "${key}" differ only in case, and Sluice compares column names without case, so it cannot read both. Rename one and upload the file again.`,
      );
    }
  }
}

async function inspectJson(query: Query, file: string, name: string, isArray: boolean): Promise<InspectedFile> {
  // One object per line is NDJSON; anything else that is not an array (e.g. one pretty-printed object) is read as "auto".
  let format: FileFormat = isArray ? "json" : "ndjson";
  // Every record, not a sample: a key that first appears past the sample would be no column, its values dropped
  // without a word (a file source ignores keys it has no column for), and a value of another type past it fails.
  const describe = async (readFormat: string) =>
    (await query(`DESCRIBE SELECT * FROM read_json(${quoteLiteral(file)}, format=${quoteLiteral(readFormat)}, sample_size=-1)`)) as {
      column_name: string;
      column_type: string;
    }[];
  let described: { column_name: string; column_type: string }[];
  if (isArray) {
    try {
      described = await describe("array");
    } catch (e) {
      // One array per line ("[1,2]\n[3,4]") is NDJSON that starts with "[": answer for the array only if it is not.
      try {
        described = await describe("newline_delimited");
        format = "ndjson";
      } catch {
        throw e;
      }
    }
  } else {
    try {
      described = await describe("newline_delimited");
    } catch {
      format = "json";
      described = await describe("auto");
    }
  }
  const readFormat = format === "ndjson" ? "newline_delimited" : isArray ? "array" : "auto";
  await refuseRenamedKeys(query, file, name, readFormat, described.map((d) => d.column_name));
  const { columns: detected, offsetTimestamps } = columnsFrom(described.map((x) => ({ name: x.column_name, type: x.column_type })), name);
  const options: DataFileOptions = offsetTimestamps.length ? { offsetTimestamps } : {};
  const columns = await exactNumbers(query, { id: "", name, path: file, format, columns: detected, options });
  const info: DataFileInfo = { id: "", name, path: file, format, columns, options };
  return { format, columns, options, rowCount: await verify(query, info), renamedColumns: [] };
}

/**
 * FILE_MALFORMED for a Parquet file DuckDB cannot read, saying what that likely means: DuckDB's own words ("No
 * magic bytes found at end of file", "Snappy decompression failure") name no cause a person can act on.
 */
function parquetProblem(e: unknown, file: string, name: string): InspectProblem {
  const detail = duckDetail(e);
  const reason = summarizeReadError(detail, file, name).replace(/^"[^"]*" could not be read: /, "");
  const why = /magic bytes/i.test(detail)
    ? "it is not a complete Parquet file: its end is missing (an upload or copy cut short) or it is another kind of file"
    : "part of it cannot be decoded (it may be damaged, or use a Parquet feature DuckDB does not read)";
  return problem("FILE_MALFORMED", `"${name}" could not be read as Parquet: ${why} (${reason}). Check that it opens in another tool, or export it again.`);
}

async function inspectParquet(query: Query, file: string, name: string): Promise<InspectedFile> {
  try {
    return await inspectParquetFile(query, file, name);
  } catch (e) {
    if (e instanceof InspectProblem || isConversionError(e)) throw e;
    throw parquetProblem(e, file, name);
  }
}

async function inspectParquetFile(query: Query, file: string, name: string): Promise<InspectedFile> {
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
  // Content first: JSON under a CSV name (an export saved as .csv) read as CSV made columns of its text, and no rows.
  if (byExtension === "json" || byExtension === "ndjson" || (hint === undefined && (c === "[" || c === "{"))) return "json-any";
  return byExtension ?? "csv";
}

/**
 * What to read a text file as when reading it as JSON fails: the extension's CSV or TSV for a file that only looked
 * like JSON, and CSV for a `.json` file that does not start like JSON (a CSV saved under the wrong name). A file
 * named and written as JSON stays JSON, so a truncated one is refused, not read as CSV. None when the caller said.
 */
function otherFormat(name: string, first: FileFormat | "json-any", start: Buffer, hint: FileFormat | undefined): FileFormat | undefined {
  if (hint !== undefined || first !== "json-any") return undefined;
  const byExtension = EXTENSIONS[path.extname(name).toLowerCase()];
  if (byExtension === "csv" || byExtension === "tsv") return byExtension;
  if (path.extname(name).toLowerCase() === ".txt") return "csv";
  const c = firstChar(start);
  return c === "[" || c === "{" ? undefined : "csv";
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
      if (scan.kind === "nul") {
        throw problem(
          "FILE_ENCODING",
          `Line ${scan.line} of "${name}" holds a NUL byte (0x00), which text never does: the file is probably UTF-16 without a byte order mark, or not text at all. Save it as UTF-8 text and upload it again.`,
        );
      }
      if (scan.kind === "invalid") {
        throw problem(
          "FILE_ENCODING",
          `Line ${scan.line} of "${name}" is not valid UTF-8 (byte 0x${scan.byte.toString(16).toUpperCase().padStart(2, "0")}); the file probably uses another encoding such as Latin-1 or Windows-1252. Save it as UTF-8 and upload it again.`,
        );
      }
    }
    if (format === "json-any" && start[0] === 0xef && start[1] === 0xbb && start[2] === 0xbf) {
      // DuckDB's JSON reader refuses one ("byte order mark (BOM) is not supported"); uploads have theirs removed when stored.
      throw problem("FILE_ENCODING", `"${name}" starts with a byte order mark, which Sluice's JSON reader does not take. Save it as UTF-8 without a byte order mark and try again.`);
    }
    // Before DuckDB sees it: its JSON and Parquet readers recurse once per level, and a deep enough file overflows the stack.
    const tooDeep = await nestingIssue(format === "json-any" ? "json" : format, file, name);
    if (tooDeep) throw new InspectProblem(tooDeep);
    // The same locked-down DuckDB as runs and previews, opened to this one file only; it spills to the temporary folder.
    const opened = await openSession({ allowedDirectories: [], allowedFiles: [file], spillDirectory: os.tmpdir() });
    if (!opened.ok) return opened;
    session = opened.value;
    const query: Query = session.query;
    const inspectAs = (f: FileFormat | "json-any") =>
      f === "parquet" ? inspectParquet(query, file, name) : f === "json-any" ? inspectJson(query, file, name, firstChar(start) === "[") : inspectCsv(query, file, name, f);
    let inspected: InspectedFile;
    try {
      inspected = await inspectAs(format);
    } catch (e) {
      const other = otherFormat(name, format, start, hint.format);
      if (e instanceof InspectProblem || other === undefined) throw e;
      try {
        inspected = await inspectAs(other);
      } catch (again) {
        // Neither reads it: answer for the format its name gives (a .csv's CSV problem, a .json's JSON one).
        throw EXTENSIONS[path.extname(name).toLowerCase()] === other || path.extname(name).toLowerCase() === ".txt" ? again : e;
      }
    }
    if (inspected.columns.length === 0) throw problem("FILE_MALFORMED", `"${name}" has no columns.`);
    if (inspected.columns.length > MAX_COLUMNS) {
      // Stored, it could never be read: a file source passes at most MAX_COLUMNS on, and has no way to take fewer.
      throw problem(
        "FILE_TOO_WIDE",
        `"${name}" has ${inspected.columns.length.toLocaleString("en-US")} columns; Sluice reads at most ${MAX_COLUMNS.toLocaleString("en-US")} from one file. Remove the columns you do not need, or split the file, and upload it again.`,
      );
    }
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
