import type pg from "pg";
import type { Column, ColumnProfile } from "@sluice/model";
import { quoteIdent, ROW_ORDER_COLUMN, type CompiledNodeStep, type CompiledPipeline } from "@sluice/pipeline";
import type { PostgresConnectionSettings } from "../connector.ts";
import { connectPostgres } from "../postgres-connection.ts";
import { asPgError } from "../connectors/postgres-errors.ts";
import { extendedQuery } from "../connectors/pg-extended-query.ts";
import { jsonValue, rawText } from "../readback/postgres-table-rows.ts";
import { isoTimestamp } from "../json-values.ts";
import { rowCapOf, type SamplingPolicy } from "../preview-keys.ts";
import type { NodePreview } from "../preview.ts";
import { previewTarget } from "../preview-target.ts";
import { evaluateChecksInDatabase } from "./database-checks.ts";
import { cancelBackend, prepareSession, queryFailure, sourceSelect } from "./database-executor.ts";
import { isStagedSource, SourceStager, type StagingOptions } from "./database-stage.ts";

export interface DatabasePreviewOptions {
  /** The one connection of the pipeline's sources and sinks (chooseEngine). */
  settings: PostgresConnectionSettings;
  /** How file and HTTP sources are read before their first rows are copied in. */
  staging: StagingOptions;
  limit: number;
  /** How sources are cut (their first rows, LIMIT), as for previews on DuckDB (rowCapOf). */
  policy: SamplingPolicy;
  /** The attempt's time: past it the running statement is cancelled and the answer is a timeout. */
  timeoutMs: number;
  signal?: AbortSignal | undefined;
}

const ORDER = quoteIdent(ROW_ORDER_COLUMN);
const typeLabel = (c: Column) => (c.type === "decimal" ? `decimal(${c.precision ?? 18},${c.scale ?? 3})` : c.type);

/** Rows by position with PostgreSQL's text for every value (so nothing is parsed on the way), over the extended protocol. */
async function textRows(c: pg.Client, text: string): Promise<{ rows: (string | null)[][]; oids: number[] }> {
  const config = { text, values: [], rowMode: "array" as const, types: rawText, queryMode: "extended" as const };
  const r = await c.query<(string | null)[]>(config as pg.QueryArrayConfig);
  return { rows: r.rows, oids: r.fields.map((f) => f.dataTypeID) };
}

/**
 * A preview of a pipeline whose runs execute in the database, computed there too: in one transaction that is always
 * rolled back. File and HTTP sources have their rows copied into temporary tables first (the only writes, and only to
 * the session's own temporary tables); then the transaction turns READ ONLY, so no statement after it can write to
 * any table, and every node up to the previewed one runs as one statement of CTEs. Sources are cut to their first
 * rows with LIMIT as the policy says (rowCapOf, as on DuckDB), never sampled at random (TABLESAMPLE): the first rows
 * are what a DuckDB preview shows, they stay the same from one preview to the next, and a cut join side would lose
 * matches at random. Sinks never run: a sink shows the rows it would write. Answers like PreviewService's DuckDB
 * previews, with `engine: "database"`; a timeout is said with `timedOut`, for the caller to try sampled.
 */
export type DatabasePreviewOutcome = { ok: true; value: NodePreview } | { ok: false; nodeId: string; code: string; message: string; timedOut?: true };

export async function previewInDatabase(compiled: CompiledPipeline, target: { nodeId: string; port?: string | undefined }, o: DatabasePreviewOptions): Promise<DatabasePreviewOutcome> {
  const started = Date.now();
  const nodeId = target.nodeId;
  const fail = (code: string, message: string, at = nodeId): DatabasePreviewOutcome => ({ ok: false, nodeId: at, code, message });
  if (o.signal?.aborted) return fail("PREVIEW_CANCELLED", "The preview was cancelled.");
  const found = previewTarget(compiled, target);
  if ("code" in found) return fail(found.code, found.message);
  const { step, isSink, relation, columns } = found;

  const stop = new AbortController();
  let timedOut = false;
  const onAbort = () => stop.abort();
  o.signal?.addEventListener("abort", onAbort, { once: true });
  const timer = setTimeout(() => {
    timedOut = true;
    stop.abort();
  }, o.timeoutMs);
  const stager = new SourceStager(o.staging);
  const capOf = (s: CompiledNodeStep) => rowCapOf(s, o.policy);
  let client: pg.Client | undefined;
  let current = nodeId;
  try {
    client = await connectPostgres(o.settings);
    const c = client;
    const pid = Number((await c.query<{ pid: number }>("SELECT pg_backend_pid() AS pid")).rows[0]?.pid);
    stop.signal.addEventListener("abort", () => void cancelBackend(o.settings, pid, c), { once: true });
    await c.query("BEGIN");
    await prepareSession(c);
    const ctes: string[] = [];
    // Counts that tell whether a source was cut; they read the pipeline's tables, so they run once the transaction is read-only.
    const probes: { nodeId: string; sql: string; cap: number }[] = [];
    let sampledAt: number | null = null;
    const cut = (rows: number, cap: number) => {
      if (rows > cap) sampledAt = Math.max(sampledAt ?? 0, cap);
    };
    for (const s of compiled.steps) {
      if (s.step.kind === "sink") continue;
      current = s.nodeId;
      const rel = s.relations.out;
      const cap = capOf(s);
      if (isStagedSource(s) && rel) {
        // One row more than the cap tells whether the source was cut; that row is then removed.
        const staged = await stager.stage(c, s, stop.signal, cap === undefined ? undefined : cap + 1);
        if (!staged.ok) return stop.signal.aborted ? stopped() : fail(staged.code, staged.message, s.nodeId);
        if (cap !== undefined && staged.value.rows > cap) {
          await c.query(`DELETE FROM ${rel} WHERE ${ORDER} > ${cap}`);
          cut(staged.value.rows, cap);
        }
      } else if (s.step.kind === "load" && rel) {
        const select = sourceSelect(s.step.spec, s.outputs.out ?? []);
        if (cap === undefined) ctes.push(`${rel} AS (${select})`);
        else {
          probes.push({ nodeId: s.nodeId, sql: `SELECT count(*) FROM (${select} LIMIT ${cap + 1}) AS probe`, cap });
          ctes.push(`${rel} AS (${select} LIMIT ${cap})`);
        }
      } else if (s.step.kind === "query" && cap !== undefined && rel && Object.keys(s.step.outputs).length === 1) {
        // A source typed into the pipeline (an inline table), cut like the others.
        const sql = s.step.outputs.out ?? "";
        probes.push({ nodeId: s.nodeId, sql: `SELECT count(*) FROM (SELECT 1 FROM (${sql}) AS src LIMIT ${cap + 1}) AS probe`, cap });
        ctes.push(`${rel} AS (SELECT * FROM (${sql}) AS src ORDER BY ${ORDER} LIMIT ${cap})`);
      } else if (s.step.kind === "query") {
        for (const [p, sql] of Object.entries(s.step.outputs)) {
          const r = s.relations[p];
          if (r) ctes.push(`${r} AS (${sql})`);
        }
      }
    }
    // From here on nothing the preview runs can write to a table: the pipeline's own SQL runs read-only. Only the
    // staged sources' temporary tables were written before, by Sluice's own statements; a table source is first read
    // here, as a view over a volatile function could change what a rollback does not undo (a sequence, dblink).
    await c.query("SET TRANSACTION READ ONLY");
    for (const p of probes) {
      current = p.nodeId;
      cut(Number((await textRows(c, p.sql)).rows[0]?.[0] ?? 0), p.cap);
    }
    current = nodeId;
    const over = (sql: string) => (ctes.length ? `WITH ${ctes.join(", ")} ${sql}` : sql);
    const n = Math.min(1000, Math.max(0, Math.floor(o.limit)));
    const names = columns.map((col) => quoteIdent(col.name));
    const read = columns.length ? await textRows(c, over(`SELECT ${names.join(", ")} FROM ${relation} ORDER BY ${ORDER} LIMIT ${n}`)) : { rows: [], oids: [] };
    const rows = read.rows.map((r) => Object.fromEntries(columns.map((col, i) => [col.name, jsonValue(r[i] ?? null, read.oids[i]!)])));
    const profiled = await profile(c, over, relation, columns);
    const value: NodePreview = {
      columns: columns.map((col) => ({ name: col.name, type: typeLabel(col) })),
      rows,
      profile: profiled.profile,
      rowCount: profiled.rowCount,
      sampled: sampledAt === null ? null : { sourceRows: sampledAt },
      elapsedMs: Date.now() - started,
      engine: "database",
    };
    const main = step.inputRelations.in?.[0];
    if (!isSink && step.step.kind === "query" && step.step.checks?.length && main) {
      const checked = Number((await textRows(c, over(`SELECT count(*) FROM ${main}`))).rows[0]?.[0] ?? 0);
      // Each rule's failing rows are a query over the CTEs: wrapped whole, it stays one statement.
      const checks = step.step.checks.map((k) => (k.failingRows === undefined ? k : { ...k, failingRows: over(`SELECT * FROM (${k.failingRows}) AS rule`) }));
      value.checks = await evaluateChecksInDatabase(c, nodeId, checks, checked);
    }
    if (!isSink && step.step.kind === "query" && step.step.becameNull) {
      const counts = await extendedQuery<Record<string, string | null>>(c, over(`SELECT * FROM (${step.step.becameNull.counts}) AS counted`));
      const r = counts.rows[0] ?? {};
      value.becameNull = step.step.becameNull.columns.map((col, i) => ({ ...col, values: Number(r[`values_${i}`] ?? 0), nulled: Number(r[`nulled_${i}`] ?? 0) }));
    }
    return { ok: true, value };
  } catch (e) {
    if (stop.signal.aborted) return stopped();
    if (client === undefined) return fail("DATABASE_UNREACHABLE", `The database could not be reached: ${(e as Error).message}`);
    if (asPgError(e).code === "25006") return fail("PREVIEW_WOULD_WRITE", "The preview tried to write, which a preview never does; nothing was changed.", current);
    const f = queryFailure(e);
    return fail(f.code, f.message, current);
  } finally {
    clearTimeout(timer);
    o.signal?.removeEventListener("abort", onAbort);
    await client?.query("ROLLBACK").catch(() => undefined);
    await client?.end().catch(() => undefined);
    stager.close();
  }

  function stopped(): DatabasePreviewOutcome {
    return timedOut ? { ok: false, nodeId: current, code: "PREVIEW_TIMED_OUT", message: "The preview ran out of time.", timedOut: true } : fail("PREVIEW_CANCELLED", "The preview was cancelled.", current);
  }
}

/** profileTable (column-profile.ts) counted by PostgreSQL: rows, and per column nulls, exact distinct values, min and max. */
async function profile(c: pg.Client, over: (sql: string) => string, relation: string, columns: Column[]): Promise<{ rowCount: number; profile: Record<string, ColumnProfile> }> {
  const parts = ["count(*)"];
  for (const col of columns) {
    const q = quoteIdent(col.name);
    parts.push(`count(*) - count(${q})`, `count(DISTINCT ${q})`);
    // JSON has no meaningful order; everything else compares in its own type and is shown as text.
    // PostgreSQL has no min and max of booleans: false before true is bool_and and bool_or.
    parts.push(col.type === "json" ? "NULL::text, NULL::text" : col.type === "boolean" ? `bool_and(${q})::text, bool_or(${q})::text` : `min(${q})::text, max(${q})::text`);
  }
  const row = (await textRows(c, over(`SELECT ${parts.join(", ")} FROM ${relation}`))).rows[0] ?? [];
  const text = (v: string | null | undefined, col: Column) => (v === null || v === undefined ? null : col.type === "timestamp" ? String(isoTimestamp(v)) : v);
  const out: Record<string, ColumnProfile> = {};
  columns.forEach((col, i) => {
    out[col.name] = { nulls: Number(row[1 + i * 4] ?? 0), distinct: Number(row[2 + i * 4] ?? 0), distinctApproximate: false, min: text(row[3 + i * 4], col), max: text(row[4 + i * 4], col) };
  });
  return { rowCount: Number(row[0] ?? 0), profile: out };
}
