import { mkdirSync, rmSync } from "node:fs";
import type { CompiledNodeStep, CompiledPipeline } from "@sluice/pipeline";

import type { PostgresConnectionSettings } from "./connector.ts";
import type { Connectors } from "./connectors/connectors.ts";
import { openSession, readableDuckError, type DuckSession, type EngineOptions } from "./duckdb-session.ts";

export type NodeStatus = "running" | "succeeded" | "failed" | "cancelled";

export type ExecutionEvent =
  | { type: "node"; nodeId: string; status: NodeStatus; rowsIn: number | null; rowsOut: number | null; durationMs: number | null; error: string | null; startedAt: Date; finishedAt?: Date }
  | { type: "log"; level: "info" | "warn" | "error"; message: string; nodeId?: string };

export interface ExecuteOptions {
  engine: EngineOptions;
  /** A private folder for this execution; removed at the end. Must be inside engine.allowedDirectories. */
  workDir: string;
  connectors: Connectors;
  connection(id: string): Promise<PostgresConnectionSettings>;
  /** Identifies the run for exactly-once sink loads; undefined never happens for real runs. */
  runId: string;
  signal: AbortSignal;
  onEvent(e: ExecutionEvent): void | Promise<void>;
}

export type ExecutionResult =
  | { ok: true; rowsRead: number; rowsWritten: number }
  | { ok: false; error: string; nodeId?: string; cancelled: boolean; transient: boolean };

/** Errors worth another attempt: the network or the database hiccuped, the data was not at fault. */
const TRANSIENT = /ECONNRESET|ECONNREFUSED|EPIPE|ETIMEDOUT|connection terminated|Connection terminated|server closed the connection|serialization failure|could not serialize|deadlock detected|40001|40P01|57P01/;

class StepFailure extends Error {
  constructor(readonly nodeId: string, message: string) {
    super(message);
  }
}

async function countRows(session: DuckSession, relation: string): Promise<number> {
  const rows = await session.duck.query(`SELECT count(*)::BIGINT AS n FROM ${relation}`);
  return Number(rows[0]?.n ?? 0);
}

/**
 * Executes a compiled pipeline on a fresh, locked-down DuckDB. Query steps become tables (so each node's
 * row count is known and a step read twice is computed once); load and sink steps go to the connectors.
 * Sinks commit only at their own end, so a failure or a cancel leaves every target as it was.
 */
export async function executePipeline(compiled: CompiledPipeline, o: ExecuteOptions): Promise<ExecutionResult> {
  mkdirSync(o.workDir, { recursive: true });
  // In memory: DuckDB spills to the spill directory when a run outgrows its memory limit.
  const session = await openSession(o.engine);
  const onAbort = () => session.interrupt();
  o.signal.addEventListener("abort", onAbort);
  const rowsOut = new Map<string, number>();
  let rowsRead = 0;
  let rowsWritten = 0;
  let current: CompiledNodeStep | undefined;
  try {
    for (const s of compiled.steps) {
      if (o.signal.aborted) throw new StepFailure(s.nodeId, "cancelled");
      current = s;
      const startedAt = new Date();
      const rowsIn = Object.values(s.inputRelations).flat().reduce((n, rel) => n + (rowsOut.get(rel) ?? 0), 0);
      await o.onEvent({ type: "node", nodeId: s.nodeId, status: "running", rowsIn, rowsOut: null, durationMs: null, error: null, startedAt });
      let out: number | null = null;
      const step = s.step;
      try {
        switch (step.kind) {
          case "query":
            for (const [port, sql] of Object.entries(step.outputs)) {
              const rel = s.relations[port]!;
              await session.duck.run(`CREATE TABLE ${rel} AS ${sql}`);
              rowsOut.set(rel, await countRows(session, rel));
            }
            out = rowsOut.get(Object.values(s.relations)[0]!) ?? 0;
            break;
          case "load": {
            const rel = Object.values(s.relations)[0]!;
            const r = await o.connectors.load(step.source, { ...context(o, s, session), table: rel, columns: Object.values(s.outputs)[0] ?? [] }, step.spec);
            if (!r.ok) throw new StepFailure(s.nodeId, r.issues.map((i) => i.message).join(" "));
            rowsOut.set(rel, r.value.rowsLoaded);
            rowsRead += r.value.rowsLoaded;
            out = r.value.rowsLoaded;
            break;
          }
          case "sink": {
            const r = await o.connectors.sink(
              step.target,
              { ...context(o, s, session), select: step.input, columns: s.inputs.in?.[0] ?? [], loadKey: { runId: o.runId, nodeId: s.nodeId } },
              step.spec,
            );
            if (!r.ok) throw new StepFailure(s.nodeId, r.issues.map((i) => i.message).join(" "));
            rowsWritten += r.value.rowsWritten;
            out = r.value.rowsWritten;
            if (r.value.output) await o.onEvent({ type: "log", level: "info", nodeId: s.nodeId, message: `Wrote ${r.value.output.name} (${r.value.output.bytes} bytes).` });
            break;
          }
          default: {
            const never: never = step;
            throw new Error(`unknown step ${JSON.stringify(never)}`);
          }
        }
      } catch (e) {
        if (e instanceof StepFailure) throw e;
        throw new StepFailure(s.nodeId, readableDuckError(e));
      }
      if (s.type === "file" || s.type === "inline") rowsRead += out ?? 0;
      const finishedAt = new Date();
      await o.onEvent({ type: "node", nodeId: s.nodeId, status: "succeeded", rowsIn, rowsOut: out, durationMs: finishedAt.getTime() - startedAt.getTime(), error: null, startedAt, finishedAt });
    }
    return { ok: true, rowsRead, rowsWritten };
  } catch (e) {
    const cancelled = o.signal.aborted;
    const message = cancelled ? "Cancelled." : e instanceof Error ? e.message : String(e);
    const nodeId = e instanceof StepFailure ? e.nodeId : current?.nodeId;
    if (nodeId) {
      const now = new Date();
      await o.onEvent({ type: "node", nodeId, status: cancelled ? "cancelled" : "failed", rowsIn: null, rowsOut: null, durationMs: null, error: cancelled ? null : message, startedAt: now, finishedAt: now });
    }
    const label = compiled.steps.find((s) => s.nodeId === nodeId)?.label;
    return {
      ok: false,
      error: cancelled ? "Cancelled." : nodeId ? `${label ?? nodeId} (${nodeId}): ${message}` : message,
      ...(nodeId ? { nodeId } : {}),
      cancelled,
      transient: !cancelled && TRANSIENT.test(message),
    };
  } finally {
    o.signal.removeEventListener("abort", onAbort);
    session.close();
    rmSync(o.workDir, { recursive: true, force: true });
  }
}

function context(o: ExecuteOptions, s: CompiledNodeStep, session: DuckSession) {
  return {
    duck: session.duck,
    workDir: o.workDir,
    signal: o.signal,
    nodeId: s.nodeId,
    connection: o.connection,
    log: (level: "info" | "warn" | "error", message: string) => void o.onEvent({ type: "log", level, message, nodeId: s.nodeId }),
  };
}

