import { stat } from "node:fs/promises";
import path from "node:path";
import { error, fail, ok, type Result } from "@sluice/model";
import { quoteLiteral } from "@sluice/pipeline";
import { openSession, type EngineOptions, type ResultColumn } from "../duckdb-session.ts";
import { jsonSafeRows } from "../json-values.ts";
import { DuckQueryError, readableDuckError } from "../duck-error.ts";
import { clampLimit, type SinkRows } from "./sink-rows.ts";

export type OutputFormat = "csv" | "parquet" | "json";

/** How each format is read back: the way the file sink writes it (CSV with a header, JSON as one array). */
const READERS: Record<OutputFormat, (file: string) => string> = {
  csv: (f) => `read_csv(${quoteLiteral(f)}, header = true)`,
  parquet: (f) => `read_parquet(${quoteLiteral(f)})`,
  json: (f) => `read_json(${quoteLiteral(f)}, format = 'array')`,
};

/** The same rows with every column as the text the file holds (a JSON number as its digits). */
const TEXT_READERS: Record<"csv" | "json", (file: string, columns: ResultColumn[]) => string> = {
  csv: (f) => `read_csv(${quoteLiteral(f)}, header = true, all_varchar = true)`,
  json: (f, columns) => `read_json(${quoteLiteral(f)}, format = 'array', columns = {${columns.map((c) => `${quoteLiteral(c.name)}: 'VARCHAR'`).join(", ")}})`,
};

/** A plain number with more significant digits than a double holds. */
const tooPreciseForDouble = (text: string) => /^[+-]?\d*\.?\d+$/.test(text) && text.replace(/[^\d]/g, "").replace(/^0+/, "").length > 15;
const infinite = (text: string) => /^[+-]?inf(inity)?$/i.test(text.trim());

/**
 * A CSV or JSON file has no types: reading one back detects them, and the detection can show other values than
 * the file holds. A number of more digits than a double holds (a decimal(38,10), an id past 2^63) was shown rounded,
 * and a CSV date or timestamp `infinity` as 1900-01-01. Such values are shown as the text the file holds (JSON
 * numbers with a fraction excepted: DuckDB's JSON reader makes them doubles as it parses them).
 */
async function asWritten(
  query: (sql: string) => Promise<Record<string, unknown>[]>,
  file: string,
  format: "csv" | "json",
  columns: ResultColumn[],
  typed: Record<string, unknown>[],
  limit: number,
): Promise<Record<string, unknown>[]> {
  const risky = columns.filter((c) => /^(DOUBLE|FLOAT|DATE|TIMESTAMP)/.test(c.type));
  if (risky.length === 0 || typed.length === 0) return typed;
  const text = await query(`SELECT * FROM ${TEXT_READERS[format](file, columns)} LIMIT ${limit}`);
  return typed.map((row, i) => {
    const out = { ...row };
    for (const c of risky) {
      const written = text[i]?.[c.name];
      if (typeof written !== "string") continue;
      if (/^(DOUBLE|FLOAT)/.test(c.type) ? tooPreciseForDouble(written.trim()) : infinite(written)) out[c.name] = written.trim();
    }
    return out;
  });
}

export interface OutputReadbackOptions {
  limit: number;
  /** Where the session spills and how much memory it may take; it may read this one file and nothing else. */
  engine: Pick<EngineOptions, "spillDirectory" | "memoryLimit">;
}

/**
 * The first `limit` rows of a file a file sink wrote, read by a DuckDB session locked down to that one file
 * (no folder is opened to it), in file order. `file` is an absolute path the caller has checked is the output.
 */
export async function readOutputFile(file: string, format: OutputFormat, options: OutputReadbackOptions): Promise<Result<SinkRows>> {
  const name = path.basename(file);
  const exists = await stat(file).then((s) => s.isFile(), () => false);
  if (!exists) return fail(error("TARGET_GONE", `${name} is no longer there; it was removed after the run.`));
  const opened = await openSession(
    { allowedDirectories: [], allowedFiles: [file], spillDirectory: options.engine.spillDirectory, memoryLimit: options.engine.memoryLimit ?? "256MB", threads: 1 },
    { memoryShare: 0.1 },
  );
  if (!opened.ok) return opened;
  const session = opened.value;
  try {
    const limit = clampLimit(options.limit);
    const { columns, rows } = await session.read(`SELECT * FROM ${READERS[format](file)} LIMIT ${limit}`);
    const typed = jsonSafeRows(rows, columns);
    if (format === "parquet") return ok({ columns, rows: typed });
    return ok({ columns, rows: await asWritten(session.query, file, format, columns, typed, limit) });
  } catch (e) {
    return fail(error("TARGET_UNREADABLE", `${name} could not be read: ${e instanceof DuckQueryError ? e.message : readableDuckError(e)}`));
  } finally {
    session.close();
  }
}
