import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";
import { error, fail, ok, type Result } from "@sluice/model";
import { quoteLiteral } from "@sluice/pipeline";
import type { DuckExec } from "./connector.ts";
import { DuckQueryError, describeDuckError, duckDetail } from "./duck-error.ts";
import { defaultMemoryLimit } from "./memory-limit.ts";

export interface EngineOptions {
  /** The only folders DuckDB may read or write: uploaded files, work folders, outputs. Absolute paths. */
  allowedDirectories: string[];
  /** Single files DuckDB may also read or write, when their folder is not to be opened whole. Absolute paths. */
  allowedFiles?: string[] | undefined;
  /** Each session spills into a private folder under this one when data outgrows memory; removed on close. */
  spillDirectory: string;
  /** DuckDB syntax, e.g. "4GB"; default 60% of the memory available to the process (container-aware). */
  memoryLimit?: string | undefined;
  /** Default: every core. */
  threads?: number | undefined;
  /**
   * Runs only: how many sinks may write at the same time (default 1, one after the other). Worth raising when
   * sinks wait on remote databases; on a machine with few cores, local loads only compete for them.
   */
  sinkParallelism?: number | undefined;
}

/** A column of a result, with DuckDB's type as text (e.g. "BIGINT", "DECIMAL(18,3)"). */
export interface ResultColumn {
  name: string;
  type: string;
}

/** One locked-down DuckDB. Every statement's failure is a DuckQueryError; nothing of DuckDB's leaks out. */
export interface DuckSession {
  /** The same statements as `run` and `query`, in the shape connectors get. */
  readonly duck: DuckExec;
  run(sql: string): Promise<void>;
  query(sql: string): Promise<Record<string, unknown>[]>;
  /** Rows (JSON-friendly values as DuckDB converts them) together with the result's column types. */
  read(sql: string): Promise<{ columns: ResultColumn[]; rows: Record<string, unknown>[] }>;
  /** Stops the statement running now; it fails with QUERY_INTERRUPTED. Harmless when nothing runs. */
  interrupt(): void;
  /** How far the running statement is, 0–100, when DuckDB can tell. */
  progress(): number | null;
  readonly memoryLimit: string;
  readonly threads: number;
  /**
   * Further connections to the same database, for statements that run at the same time as others (sinks
   * writing side by side). They see the same tables; `interrupt` stops them too.
   */
  readonly lanes: DuckSession[];
  /** Closes DuckDB and removes this session's spill folder. Safe to call twice. */
  close(): void;
}

/** `dir/`, so that allowing "/data/files" does not also allow "/data/files-old". */
const asDirectory = (d: string) => (d.endsWith(path.sep) ? d : d + path.sep);

function checkOptions(o: EngineOptions): string | undefined {
  for (const f of o.allowedFiles ?? []) if (!path.isAbsolute(f)) return `"${f}" is not an absolute path.`;
  for (const d of [...o.allowedDirectories, o.spillDirectory]) {
    if (!path.isAbsolute(d)) return `"${d}" is not an absolute path.`;
    if (path.resolve(d) === path.parse(path.resolve(d)).root) return `"${d}" is a file system root; DuckDB may not be given the whole disk.`;
  }
  if (o.threads !== undefined && (!Number.isInteger(o.threads) || o.threads < 1)) return `threads must be a whole number of at least 1 (got ${o.threads}).`;
  return undefined;
}

/**
 * Opens an in-process DuckDB, in memory, and locks it down before anything else runs on it: no extension
 * can be installed or loaded, no file outside `allowedDirectories` can be read or written (so no node can
 * read /etc/passwd or reach the network through a file function), and the configuration is then locked,
 * so no later statement can undo any of it. Data beyond the memory limit spills to a private folder.
 */
export async function openSession(o: EngineOptions, defaults: { memoryShare?: number; lanes?: number } = {}): Promise<Result<DuckSession>> {
  const problem = checkOptions(o);
  if (problem) return fail(error("ENGINE_CONFIG_INVALID", `The engine's settings are not valid: ${problem}`));
  const memoryLimit = o.memoryLimit ?? defaultMemoryLimit(defaults.memoryShare);
  const threads = o.threads ?? Math.max(1, os.availableParallelism());
  let spill: string | undefined;
  let instance: DuckDBInstance | undefined;
  let conn: DuckDBConnection | undefined;
  const extra: DuckDBConnection[] = [];
  const release = () => {
    for (const c of extra) c.closeSync();
    conn?.closeSync();
    instance?.closeSync();
    if (spill) rmSync(spill, { recursive: true, force: true });
  };
  try {
    mkdirSync(o.spillDirectory, { recursive: true });
    spill = mkdtempSync(path.join(o.spillDirectory, "duck-"));
    instance = await DuckDBInstance.create(":memory:", {
      memory_limit: memoryLimit,
      threads: String(threads),
      temp_directory: spill,
      // Row order rests on it: sources are stored in file order and numbered by position, and steps keep their input's order.
      preserve_insertion_order: "true",
      autoinstall_known_extensions: "false",
      autoload_known_extensions: "false",
      allow_community_extensions: "false",
    });
    conn = await instance.connect();
    // Lanes are made now: once the configuration is locked, a new connection could not be set up.
    for (let i = 0; i < (defaults.lanes ?? 0); i++) extra.push(await instance.connect());
    // Errors as JSON give a reliable error class to translate; progress is polled, never printed. DuckDB takes
    // its TimeZone from the process (TZ), which would make casts between text, TIMESTAMP and TIMESTAMPTZ (a CSV
    // sniffed as TIMESTAMPTZ, a naive value read as an instant) depend on the server's zone: every session is UTC,
    // and a node that reads values in another zone names it in its own SQL (retype's timeZone).
    for (const c of [conn, ...extra]) {
      for (const setting of ["errors_as_json = true", "enable_progress_bar = true", "enable_progress_bar_print = false", "TimeZone = 'UTC'"]) {
        await c.run(`SET ${setting}`);
      }
    }
    // The spill folder needs no entry: DuckDB's own temporary files are not subject to this list.
    const dirs = o.allowedDirectories.map((d) => quoteLiteral(asDirectory(path.resolve(d))));
    await conn.run(`SET allowed_directories = [${dirs.join(", ")}]`);
    if (o.allowedFiles?.length) await conn.run(`SET allowed_paths = [${o.allowedFiles.map((f) => quoteLiteral(path.resolve(f))).join(", ")}]`);
    await conn.run("SET enable_external_access = false");
    await conn.run("SET lock_configuration = true");
    const lanes = extra.map((c) => wrap(c, memoryLimit, threads, () => undefined, []));
    return ok(wrap(conn, memoryLimit, threads, release, lanes));
  } catch (e) {
    release();
    const d = describeDuckError(e);
    return fail(error("ENGINE_START_FAILED", `DuckDB could not start with these settings (memory limit ${memoryLimit}, ${threads} threads): ${d.message}`));
  }
}

function wrap(c: DuckDBConnection, memoryLimit: string, threads: number, release: () => void, lanes: DuckSession[]): DuckSession {
  const guard = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (e) {
      const d = describeDuckError(e, { memoryLimit });
      throw new DuckQueryError(d.code, d.message, duckDetail(e));
    }
  };
  const run = (sql: string) => guard(async () => void (await c.run(sql)));
  const query = (sql: string) => guard(async () => (await c.runAndReadAll(sql)).getRowObjectsJson() as Record<string, unknown>[]);
  let closed = false;
  return {
    duck: { run, query },
    run,
    query,
    read: (sql) =>
      guard(async () => {
        const reader = await c.runAndReadAll(sql);
        const types = reader.columnTypes();
        return {
          columns: reader.columnNames().map((name, i) => ({ name, type: String(types[i]) })),
          rows: reader.getRowObjectsJson() as Record<string, unknown>[],
        };
      }),
    interrupt: () => {
      if (closed) return;
      c.interrupt();
      for (const lane of lanes) lane.interrupt();
    },
    progress: () => {
      if (closed) return null;
      const p = c.progress.percentage;
      return Number.isFinite(p) && p >= 0 ? Math.min(100, p) : null;
    },
    memoryLimit,
    threads,
    lanes,
    close: () => {
      if (closed) return;
      closed = true;
      for (const lane of lanes) lane.close();
      release();
    },
  };
}
