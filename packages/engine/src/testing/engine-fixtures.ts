import { mkdirSync } from "node:fs";
import path from "node:path";
import { ok, type Column, type Result } from "@sluice/model";
import { ROW_ORDER_COLUMN, quoteIdent, relationName, type CompiledNodeStep, type CompiledStep, type DataFileInfo, type PipelineEnvironment } from "@sluice/pipeline";
import type { LoadContext, SinkContext, SinkResult } from "../connector.ts";
import type { Connectors } from "../connectors/connectors.ts";
import type { LoadResult } from "../connectors/load-result.ts";
import { tempDir } from "../connectors/testing/test-context.ts";
import type { EngineOptions } from "../duckdb-session.ts";
import type { ExecutionEvent } from "../execution-events.ts";

/** Sluice's folders in a temporary directory, and engine options confined to them. */
export function engineFolders(prefix: string) {
  const { dir, remove } = tempDir(prefix);
  const folders = { files: path.join(dir, "files"), work: path.join(dir, "work"), outputs: path.join(dir, "outputs"), spill: path.join(dir, "spill") };
  for (const f of Object.values(folders)) mkdirSync(f, { recursive: true });
  const engine: EngineOptions = { allowedDirectories: [folders.files, folders.work, folders.outputs], spillDirectory: folders.spill, memoryLimit: "1GB", threads: 2 };
  return { dir, ...folders, engine, remove };
}

/** An environment that knows the given uploaded files and no external sources. */
export function environment(files: DataFileInfo[] = []): PipelineEnvironment {
  return { file: (id) => files.find((f) => f.id === id), sourceColumns: () => undefined };
}

/** A hand-built query step, as the compiler would produce it, reading the named upstream nodes' "out". */
export function queryStep(nodeId: string, sql: (inputs: string[]) => string, o: { inputs?: string[]; columns?: Column[]; type?: string; keepsRowCount?: boolean; recompute?: "projection" | "row-filter"; unnumbered?: string } = {}): CompiledNodeStep {
  const inputs = (o.inputs ?? []).map((id) => relationName(id, "out"));
  const step: CompiledStep = { kind: "query", outputs: { out: sql(inputs) }, ...(o.unnumbered ? { unnumbered: { out: o.unnumbered } } : {}) };
  return {
    nodeId,
    type: o.type ?? "test",
    label: nodeId,
    step,
    relations: { out: relationName(nodeId, "out") },
    inputRelations: inputs.length ? { in: inputs } : {},
    inputs: inputs.length ? { in: inputs.map(() => o.columns ?? []) } : {},
    outputs: { out: o.columns ?? [] },
    keepsRowCount: o.keepsRowCount ?? true,
    recompute: o.recompute ?? null,
  };
}

/** `range(n)` as a source: columns i (BIGINT) and the row order. */
export const rangeSql = (n: number) => `SELECT range AS i, range + 1 AS ${quoteIdent(ROW_ORDER_COLUMN)} FROM range(${n})`;

/** A sink step writing the upstream node's rows through the test connectors. */
export function sinkStep(nodeId: string, input: string, columns: Column[]): CompiledNodeStep {
  const rel = relationName(input, "out");
  const list = columns.map((c) => quoteIdent(c.name)).join(", ");
  return {
    nodeId,
    type: "test-sink",
    label: nodeId,
    step: { kind: "sink", target: "file", spec: { name: nodeId }, input: `SELECT ${list} FROM ${rel} ORDER BY ${quoteIdent(ROW_ORDER_COLUMN)}`, inputAsStored: `SELECT ${list} FROM ${rel}` },
    relations: {},
    inputRelations: { in: [rel] },
    inputs: { in: [columns] },
    outputs: {},
    keepsRowCount: true,
    recompute: null,
  };
}

/** A load step whose rows the recording connectors make up. */
export function loadStep(nodeId: string, columns: Column[], spec: Record<string, unknown> = {}): CompiledNodeStep {
  return {
    nodeId,
    type: "postgres",
    label: nodeId,
    step: { kind: "load", source: "postgres", spec },
    relations: { out: relationName(nodeId, "out") },
    inputRelations: {},
    inputs: {},
    outputs: { out: columns },
    keepsRowCount: false,
    recompute: null,
  };
}

export interface RecordingConnectors extends Connectors {
  loads: { nodeId: string; table: string; rowLimit: number | undefined }[];
  /** `sorted`: the sink's SELECT sorted its input (it was not found stored in row order). */
  sinks: { nodeId: string; rows: Record<string, unknown>[]; loadKey: SinkContext["loadKey"]; sorted: boolean }[];
}

/** Connectors that record their calls: a load makes `rows` rows (a BIGINT column "i"); a sink reads its SELECT. */
export function recordingConnectors(o: { rows?: number } = {}): RecordingConnectors {
  const loads: RecordingConnectors["loads"] = [];
  const sinks: RecordingConnectors["sinks"] = [];
  return {
    loads,
    sinks,
    async load(_source, ctx: LoadContext & { rowLimit?: number }): Promise<Result<LoadResult>> {
      loads.push({ nodeId: ctx.nodeId, table: ctx.table, rowLimit: ctx.rowLimit });
      const n = o.rows ?? 10;
      await ctx.duck.run(`CREATE TABLE ${ctx.table} AS SELECT range AS i, range + 1 AS ${quoteIdent(ROW_ORDER_COLUMN)} FROM range(${n})`);
      return ok({ rowsLoaded: n });
    },
    async sink(_target, ctx: SinkContext): Promise<Result<SinkResult>> {
      const rows = await ctx.duck.query(ctx.select);
      sinks.push({ nodeId: ctx.nodeId, rows, loadKey: ctx.loadKey, sorted: /ORDER BY/.test(ctx.select) });
      return ok({ rowsWritten: rows.length });
    },
  };
}

/** Collects a run's events; node events per node as "status" or "status:rowsOut". */
export function eventLog() {
  const events: ExecutionEvent[] = [];
  return {
    events,
    onEvent: (e: ExecutionEvent) => void events.push(e),
    statuses: (nodeId: string) => events.flatMap((e) => (e.type === "node" && e.nodeId === nodeId ? [e.status] : [])),
  };
}
