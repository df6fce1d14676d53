import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Column } from "@sluice/model";
import type { DuckExec, LoadContext, PostgresConnectionSettings, SinkContext } from "../../connector.ts";

export interface TestContextOptions {
  duck: DuckExec;
  workDir: string;
  settings?: PostgresConnectionSettings;
  signal?: AbortSignal;
  nodeId?: string;
}

function base(o: TestContextOptions) {
  const logs: string[] = [];
  return {
    logs,
    ctx: {
      duck: o.duck,
      workDir: o.workDir,
      signal: o.signal ?? new AbortController().signal,
      nodeId: o.nodeId ?? "n1",
      connection: async (id: string) => {
        if (!o.settings || id !== "conn") throw new Error(`connection ${id} does not exist`);
        return o.settings;
      },
      log: (level: string, message: string) => void logs.push(`${level}: ${message}`),
    },
  };
}

export function testLoadContext(o: TestContextOptions & { table: string; columns: Column[] }): LoadContext & { logs: string[] } {
  const { ctx, logs } = base(o);
  return { ...ctx, table: o.table, columns: o.columns, logs };
}

export function testSinkContext(
  o: TestContextOptions & { select: string; columns: Column[]; loadKey?: SinkContext["loadKey"] },
): SinkContext & { logs: string[] } {
  const { ctx, logs } = base(o);
  return { ...ctx, select: o.select, columns: o.columns, loadKey: o.loadKey, logs };
}

/** A temporary folder, removed by `remove`; `file` writes a file into it and returns its path. */
export function tempDir(prefix: string): { dir: string; file(name: string, content: Buffer | string): string; remove(): void } {
  const dir = mkdtempSync(path.join(tmpdir(), `sluice-${prefix}-`));
  return {
    dir,
    file: (name, content) => {
      const p = path.join(dir, name);
      writeFileSync(p, content);
      return p;
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
