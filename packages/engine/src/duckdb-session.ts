import { mkdirSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";
import type { DuckExec } from "./connector.ts";
import { quoteLiteral } from "@sluice/pipeline";

export interface EngineOptions {
  /** The only folders DuckDB may read or write: uploaded files, this run's work dir, outputs. */
  allowedDirectories: string[];
  /** Where DuckDB spills when data outgrows memory. */
  spillDirectory: string;
  /** e.g. "4GB"; default 60% of RAM. */
  memoryLimit?: string | undefined;
  threads?: number | undefined;
}

export interface DuckSession {
  duck: DuckExec;
  /** Stops the statement running now; it fails with an "Interrupted" error. */
  interrupt(): void;
  close(): void;
}

const defaultMemory = () => `${Math.max(256, Math.floor((os.totalmem() * 0.6) / 1024 / 1024))}MB`;
const dirLiteral = (d: string) => quoteLiteral(d.endsWith(path.sep) ? d : d + path.sep);

/**
 * An in-process DuckDB, locked down: no extension can be installed or loaded, no file outside Sluice's own
 * folders can be read or written, and the configuration cannot be changed back by any later statement.
 */
export async function openSession(o: EngineOptions, file = ":memory:"): Promise<DuckSession> {
  mkdirSync(o.spillDirectory, { recursive: true });
  const instance = await DuckDBInstance.create(file, {
    memory_limit: o.memoryLimit ?? defaultMemory(),
    threads: String(o.threads ?? Math.max(1, os.cpus().length)),
    temp_directory: o.spillDirectory,
    preserve_insertion_order: "true",
    autoinstall_known_extensions: "false",
    autoload_known_extensions: "false",
  });
  let conn: DuckDBConnection | undefined;
  try {
    conn = await instance.connect();
    const dirs = [...o.allowedDirectories, o.spillDirectory].map(dirLiteral).join(", ");
    await conn.run(`SET allowed_directories = [${dirs}]`);
    await conn.run("SET enable_external_access = false");
    await conn.run("SET lock_configuration = true");
  } catch (e) {
    conn?.closeSync();
    instance.closeSync();
    throw e;
  }
  const c = conn;
  return {
    duck: {
      run: async (sql) => {
        await c.run(sql);
      },
      query: async (sql) => (await c.runAndReadAll(sql)).getRowObjectsJson() as Record<string, unknown>[],
    },
    interrupt: () => c.interrupt(),
    close: () => {
      c.closeSync();
      instance.closeSync();
    },
  };
}

/** DuckDB's messages start with the error class ("Conversion Error: …"); keep what helps a person. */
export function readableDuckError(e: unknown): string {
  const message = e instanceof Error ? e.message : String(e);
  return message.replace(/\n\s*LINE \d+:[\s\S]*$/, "").trim();
}
