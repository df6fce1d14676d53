import type pg from "pg";
import { isTransientFailure } from "../transient-failure.ts";
import type { Column } from "@sluice/model";
import { becameNullFromOutput, postgresDialect, postgresSourceConfigSchema, quoteIdent, ROW_ORDER_COLUMN, type CompiledNodeStep, type CompiledPipeline } from "@sluice/pipeline";
import type { PostgresConnectionSettings } from "../connector.ts";
import type { ExecutionEvent } from "../execution-events.ts";
import type { ExecutionResult } from "../executor.ts";
import { connectPostgres } from "../postgres-connection.ts";
import { asPgError, connectionLost, pgMessage, setLocal } from "../connectors/postgres-errors.ts";
import { postgresReadExpression } from "../connectors/postgres-types.ts";
import { NodeTracker } from "../node-tracker.ts";
import { failedChecksMessage } from "../quality-checks.ts";
import { becameNullMessage } from "../became-null.ts";
import { evaluateChecksInDatabase } from "./database-checks.ts";
import { writeSinkInDatabase } from "./database-sink.ts";
import { extendedQuery } from "../connectors/pg-extended-query.ts";
import { isStagedSource, SourceStager, type StagingOptions } from "./database-stage.ts";

export interface DatabaseExecuteOptions {
  /** The one connection every source and sink of the pipeline uses (chooseEngine). */
  settings: PostgresConnectionSettings;
  /** Identifies the run to sinks' load ledgers, for exactly-once loads. */
  runId: string;
  signal?: AbortSignal | undefined;
  timeoutMs?: number | undefined;
  onEvent(e: ExecutionEvent): void | Promise<void>;
  /** How long to wait for a lock on a target before failing. Default 30 s. */
  lockTimeoutMs?: number | undefined;
  /** How file and HTTP sources are read before their rows are copied in (engine "database"); needed when there are any. */
  staging?: StagingOptions | undefined;
}

const ORDER = quoteIdent(ROW_ORDER_COLUMN);

/**
 * The search_path of the nodes' own SQL and the prelude's functions: every function and operator they name
 * unqualified is PostgreSQL's, and every relation pg_catalog's or the run's temporary tables. On the user's path, a
 * function another database user made in a schema of it (public) would be chosen over pg_catalog's wherever its
 * argument types match more closely, and run with this connection's rights.
 */
export const SLUICE_PATH = "pg_catalog, pg_temp";

/**
 * Runs `work` with `path` as the transaction's search_path, then puts Sluice's back. A source's read and a sink's
 * write run on the user's own path, as on the DuckDB path: their triggers, and functions of their views, name
 * tables unqualified; the SQL of those steps names only types and functions that pg_catalog has exactly.
 */
async function withPath<T>(c: pg.Client, path: string, work: () => Promise<T>): Promise<T> {
  if (path === SLUICE_PATH) return await work();
  await setLocal(c, { search_path: path });
  const result = await work();
  await setLocal(c, { search_path: SLUICE_PATH });
  return result;
}

/**
 * Sets up the transaction for the nodes' SQL (runs and previews alike), then adds the dialect's prelude functions.
 * Literals are quoted for standard strings: a database set to read backslashes as escapes must not turn a value into
 * SQL. The nodes' SQL runs with PostgreSQL's own functions only (withPath puts the user's path back for sources and sinks).
 */
export async function prepareSession(c: pg.Client, extra: Record<string, string> = {}): Promise<void> {
  await setLocal(c, { TimeZone: "UTC", DateStyle: "ISO, YMD", search_path: SLUICE_PATH, standard_conforming_strings: "on", ...extra });
  for (const statement of postgresDialect.prelude) await c.query(statement);
}

/** A step failed for a reason we can say: carried to the run's answer with its node. */
export class StepFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** A postgres source read in place: its table's columns cast to the inferred types, numbered in the order read. */
export function sourceSelect(spec: Record<string, unknown>, columns: Column[]): string {
  const parsed = postgresSourceConfigSchema.safeParse(spec);
  // chooseEngine keeps query sources on DuckDB, where their SELECT runs in a read-only transaction of its own.
  if (!parsed.success || parsed.data.mode !== "table") throw new StepFailure("INVALID_CONFIG", "Only a table source can be read in the database.");
  const list = columns.map((c) => `CAST(${postgresReadExpression(c, `q.${quoteIdent(c.name)}`)} AS ${postgresDialect.type(c)}) AS ${quoteIdent(c.name)}`);
  return `SELECT ${[...list, `row_number() OVER () AS ${ORDER}`].join(", ")} FROM ${quoteIdent(parsed.data.schema)}.${quoteIdent(parsed.data.table)} AS q`;
}

export function queryFailure(e: unknown): StepFailure {
  if (e instanceof StepFailure) return e;
  const err = asPgError(e);
  // A restart, a failover or an administrator ended the session, and its transaction with it.
  if (connectionLost(e)) return new StepFailure("DATABASE_CONNECTION_LOST", `${pgMessage(e)} Nothing is wrong with the pipeline; try again.`);
  if (err.code === undefined) return new StepFailure("DATABASE_FAILED", pgMessage(e));
  if (err.code.startsWith("22")) return new StepFailure("CONVERSION_FAILED", pgMessage(e));
  if (err.code === "42P01" || err.code === "42703") return new StepFailure("SOURCE_TABLE_CHANGED", `${pgMessage(e)}; validate the pipeline again.`);
  return new StepFailure("QUERY_FAILED", pgMessage(e));
}

/**
 * Runs a pipeline compiled for PostgreSQL (compileGraph with postgresDialect) inside the database of its one
 * connection, as one transaction: each node's output becomes a temporary table (dropped at commit) created from
 * its SQL, counted as it is created; sinks write their targets with the worker's modes; then one COMMIT. A failure,
 * a failed quality rule, a cancel or a timeout rolls everything back, so every target is as it was. No row passes
 * through the worker. Answers like executePipeline.
 */
export async function executeInDatabase(compiled: CompiledPipeline, o: DatabaseExecuteOptions): Promise<ExecutionResult> {
  const started = Date.now();
  const tracker = new NodeTracker(o.onEvent);
  const elapsed = () => Date.now() - started;
  const stop = new AbortController();
  let stopReason: "cancel" | "timeout" | undefined;
  const halt = (reason: "cancel" | "timeout") => {
    stopReason ??= reason;
    stop.abort();
  };
  const onAbort = () => halt("cancel");
  if (o.signal?.aborted) halt("cancel");
  o.signal?.addEventListener("abort", onAbort, { once: true });
  const timer = o.timeoutMs !== undefined ? setTimeout(() => halt("timeout"), o.timeoutMs) : undefined;
  const answer = (code: string, error: string, nodeId?: string, transient = false): ExecutionResult => ({
    ok: false,
    code,
    error,
    ...(nodeId !== undefined ? { nodeId } : {}),
    cancelled: stopReason === "cancel",
    timedOut: stopReason === "timeout",
    transient,
    nodes: tracker.stats(),
    elapsedMs: elapsed(),
  });
  const stopped = async () => {
    const timedOut = stopReason === "timeout";
    const message = timedOut ? `Timed out after ${Math.round((o.timeoutMs ?? 0) / 1000)} s; the run was stopped and rolled back, so no target changed.` : "Cancelled; the run was rolled back, so no target changed.";
    await tracker.endUnfinished("cancelled", message);
    return answer(timedOut ? "RUN_TIMED_OUT" : "RUN_CANCELLED", message);
  };
  if (stop.signal.aborted) return await stopped();

  let client: pg.Client | undefined;
  const stager = o.staging ? new SourceStager(o.staging) : undefined;
  try {
    try {
      client = await connectPostgres(o.settings);
    } catch (e) {
      return answer("DATABASE_UNREACHABLE", `The database could not be reached: ${(e as Error).message}`, undefined, true);
    }
    const c = client;
    const pid = Number((await c.query<{ pid: number }>("SELECT pg_backend_pid() AS pid")).rows[0]?.pid);
    // A cancel interrupts the running statement from another connection; the transaction is then rolled back below.
    const interrupt = () => void cancelBackend(o.settings, pid, c);
    stop.signal.addEventListener("abort", interrupt, { once: true });
    await c.query("BEGIN");
    const userPath = (await c.query<{ p: string }>("SELECT current_setting('search_path') AS p")).rows[0]?.p ?? "";
    await prepareSession(c, { lock_timeout: String(o.lockTimeoutMs ?? 30_000) });
    await o.onEvent({ type: "log", level: "info", message: `Running ${compiled.steps.length} steps inside the database ${o.settings.database}, in one transaction.` });

    const rows = new Map<string, number>();
    let rowsRead = 0;
    let rowsWritten = 0;
    /** Sinks that wrote: they finish at COMMIT, and a failure after them rolls their writes back too. */
    const written: { nodeId: string; rows: number }[] = [];
    for (const s of compiled.steps) {
      if (stop.signal.aborted) return await stopped();
      const inputs = Object.values(s.inputRelations).flat();
      const rowsIn = inputs.length === 0 ? null : inputs.reduce((a, rel) => a + (rows.get(rel) ?? 0), 0);
      const step = s.step;
      const staged = isStagedSource(s);
      await tracker.start(s.nodeId, s.label, step.kind === "sink" ? "sink" : step.kind === "load" || staged ? "load" : "table", rowsIn, staged ? "database-staged" : undefined);
      try {
        // A staged source's SQL is Sluice's own (a temporary table and COPY), like the nodes'.
        const done = staged
          ? await stageSource(c, s, stager, stop.signal, rows)
          : await withPath(c, step.kind === "query" ? SLUICE_PATH : userPath, () => runStep(c, s, o.runId, rows));
        if (stop.signal.aborted) return await stopped();
        for (const line of done.logs) await o.onEvent({ type: "log", level: line.level, nodeId: s.nodeId, message: line.message });
        if (done.checks) {
          await o.onEvent({ type: "checks", nodeId: s.nodeId, results: done.checks });
          const failed = failedChecksMessage(done.checks);
          if (failed) throw new StepFailure("CHECK_FAILED", failed);
        }
        if (step.kind === "load" || staged) rowsRead += done.rowsOut;
        if (step.kind === "sink") {
          rowsWritten += done.rowsOut;
          written.push({ nodeId: s.nodeId, rows: done.rowsOut });
        } else await tracker.finish(s.nodeId, done.rowsOut);
      } catch (e) {
        if (stop.signal.aborted) return await stopped();
        const f = queryFailure(e);
        await tracker.fail(s.nodeId, "failed", f.message, f.code);
        await tracker.endUnfinished("cancelled", `Stopped because "${s.label}" failed; rolled back, so nothing was written here.`);
        return answer(f.code, `${s.label} (${s.nodeId}): ${f.message.replace(/\.$/, "")}; the run was rolled back, so no target changed.`, s.nodeId, isTransientFailure(f.message));
      }
    }
    if (stop.signal.aborted) return await stopped();
    await c.query("COMMIT");
    for (const w of written) await tracker.finish(w.nodeId, w.rows);
    return { ok: true, rowsRead, rowsWritten, nodes: tracker.stats(), elapsedMs: elapsed() };
  } catch (e) {
    if (stop.signal.aborted) return await stopped();
    return answer("DATABASE_FAILED", `The run stopped unexpectedly: ${pgMessage(e)}`, undefined, true);
  } finally {
    clearTimeout(timer);
    o.signal?.removeEventListener("abort", onAbort);
    // After a COMMIT this does nothing; otherwise every target stays as it was.
    await client?.query("ROLLBACK").catch(() => undefined);
    await client?.end().catch(() => undefined);
    stager?.close();
  }
}

/** A file or HTTP source: read by the worker's DuckDB, its rows copied into a temporary table of the run (database-stage.ts). */
async function stageSource(c: pg.Client, s: CompiledNodeStep, stager: SourceStager | undefined, signal: AbortSignal, rows: Map<string, number>): Promise<StepDone> {
  if (!stager) throw new StepFailure("NOT_PUSHABLE", "A file or HTTP source needs the worker to read it before it can be copied into the database.");
  const r = await stager.stage(c, s, signal);
  if (!r.ok) throw new StepFailure(r.code, r.message);
  rows.set(s.relations.out ?? "", r.value.rows);
  return { rowsOut: r.value.rows, logs: [{ level: "info", message: `Read ${r.value.rows} rows with DuckDB and copied them into a temporary table of the run (COPY).` }] };
}

interface StepDone {
  rowsOut: number;
  logs: { level: "info" | "warn"; message: string }[];
  checks?: Awaited<ReturnType<typeof evaluateChecksInDatabase>>;
}

async function runStep(c: pg.Client, s: CompiledNodeStep, runId: string, rows: Map<string, number>): Promise<StepDone> {
  const step = s.step;
  const create = async (rel: string, sql: string) => {
    const n = (await extendedQuery(c, `CREATE TEMPORARY TABLE ${rel} ON COMMIT DROP AS ${sql}`)).rowCount ?? 0;
    rows.set(rel, n);
    return n;
  };
  switch (step.kind) {
    case "load": {
      const rel = s.relations.out;
      if (step.source !== "postgres" || !rel) throw new StepFailure("NOT_PUSHABLE", "This source cannot be read in the database.");
      const n = await create(rel, sourceSelect(step.spec, s.outputs.out ?? []));
      return { rowsOut: n, logs: [{ level: "info", message: `Read ${n} rows in place.` }] };
    }
    case "query": {
      for (const [port, sql] of Object.entries(step.outputs)) {
        const rel = s.relations[port];
        if (rel) await create(rel, sql);
      }
      const main = s.inputRelations.in?.[0];
      const checks = step.checks?.length && main ? await evaluateChecksInDatabase(c, s.nodeId, step.checks, rows.get(main) ?? 0) : undefined;
      const logs: StepDone["logs"] = [];
      if (step.becameNull) {
        // From the stored output: two plain scans, not every conversion again.
        const output = s.relations[step.becameNull.port];
        const row = (await c.query<Record<string, unknown>>(output ? becameNullFromOutput(step.becameNull, output) : step.becameNull.counts)).rows[0] ?? {};
        step.becameNull.columns.forEach((col, i) => {
          const nulled = Number(row[`nulled_${i}`] ?? 0);
          if (nulled > 0) logs.push({ level: "warn", message: `${becameNullMessage({ column: col.column, field: col.field, values: Number(row[`values_${i}`] ?? 0), nulled })}.` });
        });
      }
      const first = Object.values(s.relations)[0];
      return { rowsOut: first === undefined ? 0 : (rows.get(first) ?? 0), logs, ...(checks ? { checks } : {}) };
    }
    case "sink": {
      if (step.target !== "postgres") throw new StepFailure("NOT_PUSHABLE", "A file is written by the worker, not by the database.");
      const r = await writeSinkInDatabase(c, step.spec, step.input, s.inputs.in?.[0] ?? [], { runId, nodeId: s.nodeId });
      if (!r.ok) throw new StepFailure(r.issues[0]?.code ?? "SINK_FAILED", r.issues.map((i) => i.message).join(" "));
      return { rowsOut: r.value.rowsWritten, logs: [{ level: "info", message: `Wrote ${r.value.rowsWritten} rows to ${r.value.label}; committed with the run.` }] };
    }
    default: {
      const never: never = step;
      throw new Error(`unknown step kind ${JSON.stringify(never)}`);
    }
  }
}

/** Interrupts the run's running statement from a second connection; if that fails, closes the run's connection. */
export async function cancelBackend(settings: PostgresConnectionSettings, pid: number, run: pg.Client): Promise<void> {
  let other: pg.Client | undefined;
  try {
    other = await connectPostgres(settings);
    await other.query("SELECT pg_cancel_backend($1)", [pid]);
  } catch {
    run.connection.stream.destroy();
  } finally {
    await other?.end().catch(() => undefined);
  }
}
