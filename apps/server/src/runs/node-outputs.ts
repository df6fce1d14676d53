import { existsSync } from "node:fs";
import { lstat, readFile, readdir, rm } from "node:fs/promises";
import path from "node:path";
import { LIMIT_FILE, NODES_FILE } from "@sluice/engine";

/**
 * Where a run keeps its nodes' outputs for a later resume: DATA_DIR/outputs/<run id>/.nodes, one Parquet file per
 * stored relation. The same storage as the files file sinks write (run-outputs.ts) and beside the uploaded files
 * (DATA_DIR/files): DATA_DIR is the one folder every server and worker process shares (on several machines, a shared
 * mount), so a resume may run on any worker, and DuckDB is already allowed to read and write there. The dot keeps it
 * out of the run's downloads (listOutputs offers plain files only, and no sink may write a hidden name).
 */
export const nodeOutputsDir = (outputsDir: string, runId: string) => path.join(outputsDir, runId, ".nodes");

export interface NodeOutputSettings {
  /** RUN_OUTPUTS_RETENTION_DAYS, in ms: how long a run's node outputs are kept. */
  retentionMs: number;
  /** RUN_OUTPUTS_MAX_MB, in bytes: one run's node outputs above this are not kept. */
  maxBytes: number;
}

export const DEFAULT_NODE_OUTPUTS: NodeOutputSettings = { retentionMs: 7 * 24 * 3_600_000, maxBytes: 10 * 1024 ** 3 };

/** Whether a run's node outputs can be reused: kept, gone (expired or never written), or dropped for their size (with why). */
export async function nodeOutputsState(outputsDir: string, runId: string): Promise<{ kind: "kept"; stored: Set<string> } | { kind: "gone" } | { kind: "too-large"; message: string }> {
  const dir = nodeOutputsDir(outputsDir, runId);
  if (!existsSync(dir)) return { kind: "gone" };
  const limit = path.join(dir, LIMIT_FILE);
  if (existsSync(limit)) return { kind: "too-large", message: await readFile(limit, "utf8") };
  const nodes = await readFile(path.join(dir, NODES_FILE), "utf8").catch(() => "[]");
  const ids = JSON.parse(nodes) as unknown;
  return { kind: "kept", stored: new Set(Array.isArray(ids) ? ids.filter((x): x is string => typeof x === "string") : []) };
}

/**
 * Removes node outputs older than the retention (by the folder's time, which the run's last write set). Runs still
 * executing are passed in `live` and kept whatever their age. Returns the run ids whose outputs were removed.
 */
export async function sweepNodeOutputs(outputsDir: string, retentionMs: number, live: ReadonlySet<string> = new Set(), now = Date.now()): Promise<string[]> {
  const removed: string[] = [];
  const runs = await readdir(outputsDir).catch(() => [] as string[]);
  for (const runId of runs) {
    if (live.has(runId)) continue;
    const dir = nodeOutputsDir(outputsDir, runId);
    const st = await lstat(dir).catch(() => undefined);
    if (!st?.isDirectory() || now - st.mtimeMs <= retentionMs) continue;
    await rm(dir, { recursive: true, force: true });
    removed.push(runId);
  }
  return removed;
}
