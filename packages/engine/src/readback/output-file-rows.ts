import { stat } from "node:fs/promises";
import path from "node:path";
import { error, fail, ok, type Result } from "@sluice/model";
import { quoteLiteral } from "@sluice/pipeline";
import { openSession, type EngineOptions } from "../duckdb-session.ts";
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
    const { columns, rows } = await session.read(`SELECT * FROM ${READERS[format](file)} LIMIT ${clampLimit(options.limit)}`);
    return ok({ columns, rows: jsonSafeRows(rows, columns) });
  } catch (e) {
    return fail(error("TARGET_UNREADABLE", `${name} could not be read: ${e instanceof DuckQueryError ? e.message : readableDuckError(e)}`));
  } finally {
    session.close();
  }
}
