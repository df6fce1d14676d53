import { mkdtemp, readdir, rm, stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type pg from "pg";
import { error, fail, ok, type Column, type Issue, type Result } from "@sluice/model";
import { isSystemSchema, LOAD_LEDGER_TABLE, postgresSinkConfigSchema, quoteIdent, quoteLiteral, systemSchemaIssue, type PostgresSinkConfig } from "@sluice/pipeline";
import type { PostgresConnectionSettings, SinkContext, SinkResult } from "../connector.ts";
import { connectPostgres } from "../postgres-connection.ts";
import { copyFromFile } from "./pg-copy.ts";
import { csvPieces } from "./csv-row-ranges.ts";
import { copyPiecesInParallel, createStage, releaseStage, type Stage } from "./postgres-stage.ts";
import { postgresTypeOf } from "./postgres-types.ts";
import { asPgError, connectIssue, connectionLost, pgMessage, setLocal, STATEMENT_STOPPED } from "./postgres-errors.ts";

export interface PostgresSinkOptions {
  /** How long to wait for a lock on the target before failing. Default 30 s. */
  lockTimeoutMs?: number;
  /** How many connections COPY a large load into a new table at once. Default: the number of cores, at most 4. */
  loadConnections?: number;
  /** From this size of staged CSV (all files together) on, a new table is loaded over several connections. Default 32 MiB. */
  parallelLoadBytes?: number;
  /** About how big each staged file of a parallel load is: the pieces connections take from a queue. Default 16 MiB. */
  pieceBytes?: number;
}

const DEFAULT_LOAD_CONNECTIONS = Math.min(4, os.availableParallelism());
const DEFAULT_PARALLEL_LOAD_BYTES = 32 * 1024 * 1024;

const STAGE = quoteIdent("_sluice_stage");
const DEFAULT_PIECE_BYTES = 16 * 1024 * 1024;

/** A failure we detected ourselves, carried out of the transaction as an issue. */
export class SinkProblem extends Error {
  constructor(readonly issue: Issue) {
    super(issue.message);
  }
}

export interface Target {
  schema: string;
  table: string;
  /** schema.table, quoted. */
  sql: string;
  label: string;
}

async function targetInfo(client: pg.Client, t: Target) {
  const r = await client.query<{ oid: string; relkind: string }>(
    `SELECT c.oid::int8::text AS oid, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relname = $2`,
    [t.schema, t.table],
  );
  const row = r.rows[0];
  if (!row) return undefined;
  const columns = await client.query<{ name: string }>(
    `SELECT attname AS name FROM pg_attribute WHERE attrelid = $1::oid AND attnum > 0 AND NOT attisdropped ORDER BY attnum`,
    [row.oid],
  );
  return { oid: row.oid, relkind: row.relkind, columns: columns.rows.map((c) => c.name) };
}

/** Whether a unique index (not partial, not on expressions) covers exactly these key columns. */
async function hasUniqueIndexOn(client: pg.Client, oid: string, keys: string[]): Promise<boolean> {
  const r = await client.query(
    `SELECT 1 FROM pg_index i
      WHERE i.indrelid = $1::oid AND i.indisunique AND i.indpred IS NULL AND i.indexprs IS NULL
        AND (SELECT array_agg(a.attname::text ORDER BY a.attname::text) FROM pg_attribute a
              WHERE a.attrelid = i.indrelid AND a.attnum = ANY ((i.indkey::int2[])[0:i.indnkeyatts - 1]))
          = (SELECT array_agg(k ORDER BY k) FROM unnest($2::text[]) k)`,
    [oid, keys],
  );
  return (r.rowCount ?? 0) > 0;
}

export const columnDefs = (columns: Column[]) => columns.map((c) => `${quoteIdent(c.name)} ${postgresTypeOf(c)}`).join(", ");

export type TargetInfo = NonNullable<Awaited<ReturnType<typeof targetInfo>>>;

/** The target as it is now, or undefined when missing; refuses a target this load cannot write into. */
export async function checkedTarget(client: pg.Client, config: PostgresSinkConfig, t: Target): Promise<TargetInfo | undefined> {
  const existing = await targetInfo(client, t);
  if (existing && !["r", "p"].includes(existing.relkind)) {
    throw new SinkProblem(error("TARGET_NOT_A_TABLE", `${t.label} is not a table (it may be a view); choose a table.`, { field: "table" }));
  }
  if (config.mode === "create" && existing) {
    throw new SinkProblem(error("TARGET_EXISTS", `Table ${t.label} already exists; choose another name, or mode replace or append.`, { field: "table" }));
  }
  return existing;
}

/**
 * Whether this load makes the target new (mode create or replace, or a table that does not exist yet). Then
 * the rows go straight into it: the transaction keeps it invisible until commit, so a staging table would
 * only copy the rows twice.
 */
export const makesNewTarget = (config: PostgresSinkConfig, existing: TargetInfo | undefined) => !existing || config.mode === "replace";

/**
 * Inside the load's transaction: drops the old target (replace) and puts the new one in its place, either
 * created empty or the filled stage renamed. The unique index on the keys comes after the rows (uniqueIndex).
 */
export async function newTarget(client: pg.Client, t: Target, existing: TargetInfo | undefined, from: { columns: Column[] } | { stage: Stage }): Promise<void> {
  if (existing) await client.query(`DROP TABLE ${t.sql}`);
  if ("stage" in from) await client.query(`ALTER TABLE ${from.stage.sql} RENAME TO ${quoteIdent(t.table)}`);
  else await client.query(`CREATE TABLE ${t.sql} (${columnDefs(from.columns)})`);
}

export async function uniqueIndex(client: pg.Client, t: Target, keys: string[]): Promise<void> {
  if (keys.length) await client.query(`CREATE UNIQUE INDEX ON ${t.sql} (${keys.map(quoteIdent).join(", ")})`);
}

/**
 * Has DuckDB write the sink's input as CSV into `dir` (a fresh folder), and lists the files with their sizes.
 * In row order as ONE file, or, `perThread`, as files of each DuckDB thread: that write costs less CPU and
 * finishes sooner, but the files hold the rows in no particular order. A thread starts a new file every
 * `pieceBytes`, so the connections share the load evenly: one file per thread held 3.25M and 1.6M of 4.85M rows,
 * and one connection copied for 4.4 s while the other was done after 2.4 s.
 */
async function stageCsv(ctx: SinkContext, dir: string, perThread: boolean, pieceBytes: number): Promise<{ path: string; size: number }[]> {
  const to = perThread ? dir : path.join(dir, "rows.csv");
  const options = perThread ? `, PER_THREAD_OUTPUT true, FILE_SIZE_BYTES ${Math.max(1, Math.floor(pieceBytes))}` : "";
  await ctx.duck.run(`COPY (${ctx.select}) TO ${quoteLiteral(to)} (FORMAT csv, HEADER false${options})`);
  const files = (await readdir(dir)).map((name) => path.join(dir, name));
  return Promise.all(files.map(async (f) => ({ path: f, size: (await stat(f)).size })));
}

/** COPYs the files one after the other over one connection; returns the rows copied. */
async function copyFiles(client: pg.Client, copySql: string, files: { path: string }[], signal: AbortSignal): Promise<number> {
  let rows = 0;
  for (const f of files) rows += await copyFromFile(client, copySql, f.path, signal);
  return rows;
}

/**
 * Append or upsert into the existing target, inside the transaction, from the staged rows (`from`, a quoted relation
 * with the columns, in the order to insert them). Returns the rows written.
 */
export async function applyMode(client: pg.Client, config: PostgresSinkConfig, t: Target, columns: Column[], existing: TargetInfo, from = `SELECT * FROM ${STAGE}`): Promise<number> {
  const at = { field: "table" };
  const list = columns.map((c) => quoteIdent(c.name)).join(", ");
  const insert = `INSERT INTO ${t.sql} (${list}) SELECT ${list} FROM (${from}) AS staged`;
  const missing = columns.filter((c) => !existing.columns.includes(c.name)).map((c) => `"${c.name}"`);
  if (missing.length) {
    throw new SinkProblem(
      error("TARGET_SCHEMA_MISMATCH", `Table ${t.label} has no column ${missing.join(", ")}; add the columns or use mode replace.`, at),
    );
  }
  if (config.mode === "append") return (await client.query(insert)).rowCount ?? 0;
  if (!(await hasUniqueIndexOn(client, existing.oid, config.keys))) {
    const keys = config.keys.map(quoteIdent).join(", ");
    throw new SinkProblem(
      error("UPSERT_KEY_NOT_UNIQUE", `Upsert needs a unique index on exactly (${config.keys.join(", ")}) in ${t.label}; create one, e.g. CREATE UNIQUE INDEX ON ${t.sql} (${keys}).`, { field: "keys" }),
    );
  }
  const updates = columns.filter((c) => !config.keys.includes(c.name)).map((c) => `${quoteIdent(c.name)} = EXCLUDED.${quoteIdent(c.name)}`);
  const action = updates.length ? `DO UPDATE SET ${updates.join(", ")}` : "DO NOTHING";
  return (await client.query(`${insert} ON CONFLICT (${config.keys.map(quoteIdent).join(", ")}) ${action}`)).rowCount ?? 0;
}

export function serverIssue(e: unknown, t: Target): Issue {
  const err = asPgError(e);
  const message = pgMessage(e);
  const where = (err as { where?: string }).where;
  // A restart, a failover or an administrator ended the session: the transaction went with it.
  if (connectionLost(e)) return error("SINK_CONNECTION_LOST", `${message} Nothing was written to ${t.label}: its transaction was rolled back. Nothing is wrong with the sink's settings; try again.`);
  switch (err.code) {
    case "23505":
      if (err.table === LOAD_LEDGER_TABLE) {
        return error("DUPLICATE_DELIVERY", `This run already loaded ${t.label} (see table ${LOAD_LEDGER_TABLE}); nothing was written again.`);
      }
      return error("DUPLICATE_KEYS", `The rows repeat a key value: ${message}`, { field: "keys" });
    case "21000":
      return error("DUPLICATE_KEYS", "The rows repeat a key value, so upsert cannot tell which row wins; remove the duplicates first (e.g. with a deduplicate node).", { field: "keys" });
    case "42P07":
      return error("TARGET_EXISTS", `Table ${t.label} already exists.`, { field: "table" });
    case "2BP01":
      return error("TARGET_HAS_DEPENDENTS", `Table ${t.label} cannot be replaced because other objects (such as views) depend on it: ${message}`, { field: "table" });
    case "57014":
      return error("SINK_TIMEOUT", `The database stopped writing to ${t.label}: ${message}. Nothing was written: its transaction was rolled back. ${STATEMENT_STOPPED}; raise the connection user's statement_timeout, or run it again.`);
    case "55P03":
      return error("TARGET_LOCKED", `Table ${t.label} is locked by another session; try again later.`, { field: "table" });
    case "42501":
      return error("SINK_PERMISSION_DENIED", `The connection's user may not write here: ${message}`, { field: "table" });
    case "42804":
      return error("TARGET_SCHEMA_MISMATCH", `The rows do not fit ${t.label}: ${message}`, { field: "table" });
    default:
      if (err.code?.startsWith("22")) return error("SINK_DATA_REJECTED", `PostgreSQL rejected a value: ${message}${where ? ` (${where})` : ""}`);
      return error("SINK_FAILED", `Writing to ${t.label} failed: ${message}`);
  }
}

/**
 * Creates the load ledger on its own, before the load's transaction: two sinks of one run load side by side,
 * and CREATE TABLE IF NOT EXISTS in both of their transactions would race. Even here one of two concurrent
 * creates can fail (on a duplicate type or key, depending on the moment); if the ledger exists afterwards,
 * the other created it, which is all that is needed.
 */
export async function ensureLedger(client: pg.Client, schema: string): Promise<void> {
  const ledger = `${quoteIdent(schema)}.${quoteIdent(LOAD_LEDGER_TABLE)}`;
  try {
    await client.query(`CREATE TABLE IF NOT EXISTS ${ledger} (run_id text NOT NULL, node_id text NOT NULL, loaded_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (run_id, node_id))`);
  } catch (e) {
    const exists = await client.query<{ ok: boolean }>("SELECT to_regclass($1) IS NOT NULL AS ok", [ledger]);
    if (!exists.rows[0]?.ok) throw e;
  }
  // IF NOT EXISTS accepts a ledger someone else made: another database user who may create tables in this schema
  // could have planted one with a trigger, a rule, a policy or a default that then runs as this connection's user
  // on every load. Only a plain table of this user's own (or of a role it is a member of) is written to.
  const found = await client.query<{ kind: string; owner: string; mine: boolean }>(
    `SELECT c.relkind::text AS kind, pg_catalog.pg_get_userbyid(c.relowner) AS owner, pg_catalog.pg_has_role(c.relowner, 'USAGE') AS mine
       FROM pg_catalog.pg_class c WHERE c.oid = pg_catalog.to_regclass($1)`,
    [ledger],
  );
  const row = found.rows[0];
  if (row && (row.kind !== "r" || !row.mine)) {
    throw new SinkProblem(
      error(
        "LEDGER_NOT_OWNED",
        `${schema}.${LOAD_LEDGER_TABLE}, where Sluice records its loads, ${row.kind !== "r" ? "is not a plain table" : `belongs to ${row.owner}, not to this connection's user`}; Sluice will not write to it, as it could run that user's code. Drop it (Sluice creates it again) or give it to this connection's user.`,
        { field: "schema" },
      ),
    );
  }
}

/**
 * A sink's settings as the writing reads them, whichever path writes (the worker's COPY or a run inside the
 * database): parsed again, and the system schemas refused again, whatever the spec's origin (validation refuses
 * them too).
 */
export function sinkTarget(spec: Record<string, unknown>, nodeId: string): Result<{ config: PostgresSinkConfig; t: Target }> {
  const parsed = postgresSinkConfigSchema.safeParse(spec);
  const names = parsed.success ? [parsed.data.schema, parsed.data.table] : [];
  if (!parsed.success || parsed.data.table === "" || names.some((n) => n.includes("\u0000")) || (parsed.data.mode === "upsert" && parsed.data.keys.length === 0)) {
    return fail(error("INVALID_CONFIG", "The sink's settings are not valid; validate the pipeline.", { nodeId }));
  }
  const config = parsed.data;
  if (isSystemSchema(config.schema)) return fail(systemSchemaIssue(config.schema, { nodeId, field: "schema" }));
  const t: Target = {
    schema: config.schema,
    table: config.table,
    sql: `${quoteIdent(config.schema)}.${quoteIdent(config.table)}`,
    label: `"${config.schema}"."${config.table}"`,
  };
  return ok({ config, t });
}

/**
 * Writes the sink's rows to Postgres atomically. DuckDB stages them as CSV in a folder of the work folder (one
 * file per DuckDB thread when the load makes the target new, else one file in row order); then, in ONE
 * transaction: the load is recorded in the ledger (a second delivery of the same run fails here), the rows are
 * COPYed into the target when the load makes it new, or else into a temporary staging table and moved into the
 * target by the mode. A large load into a new table is COPYed beforehand over several connections into a
 * staging table, which the transaction renames to the target. Any failure or cancellation rolls everything back
 * (and drops the staging table), leaving the target as it was; the staged files are always removed.
 */
export async function writePostgresSink(ctx: SinkContext, spec: Record<string, unknown>, options: PostgresSinkOptions = {}): Promise<Result<SinkResult>> {
  const nodeId = ctx.nodeId;
  const target = sinkTarget(spec, nodeId);
  if (!target.ok) return target;
  const { config, t } = target.value;
  const cancelled = () => fail<SinkResult>(error("SINK_CANCELLED", `Cancelled; nothing was written to ${t.label}.`, { nodeId }));
  if (ctx.signal.aborted) return cancelled();

  let staging: string | undefined;
  let settings: PostgresConnectionSettings;
  let client: pg.Client | undefined;
  let stage: Stage | undefined;
  let stagedRows = 0;
  /** Whether the stage still exists under its own name (not yet renamed to the target by a commit). */
  let stageInPlace = true;
  /** COMMIT was sent: a connection lost now may have taken the answer only, after the rows were written. */
  let committing = false;
  const onAbort = () => client?.connection.stream.destroy();
  try {
    try {
      settings = await ctx.connection(config.connectionId);
    } catch (e) {
      return fail(error("CONNECTION_NOT_FOUND", `Connection ${config.connectionId} cannot be used: ${(e as Error).message}`, { nodeId, field: "connectionId" }));
    }
    try {
      client = await connectPostgres(settings);
    } catch (e) {
      return fail(connectIssue("SINK_UNREACHABLE", e, settings, nodeId));
    }
    ctx.signal.addEventListener("abort", onAbort, { once: true });
    if (ctx.signal.aborted) return cancelled();

    const schema = await client.query("SELECT 1 FROM pg_namespace WHERE nspname = $1", [config.schema]);
    if (!schema.rowCount) throw new SinkProblem(error("SCHEMA_NOT_FOUND", `Schema "${config.schema}" does not exist in database ${settings.database}.`, { field: "schema" }));
    if (ctx.loadKey) await ensureLedger(client, config.schema);
    const list = ctx.columns.map((c) => quoteIdent(c.name)).join(", ");
    // Only a load into a new table may go over several connections, which store the rows in no particular order
    // anyway; so only then does DuckDB write one file per thread. Rows appended to an existing table keep the order
    // DuckDB reads the input in (an identity column there numbers them in it), so they come from one ordered file.
    const connections = options.loadConnections ?? DEFAULT_LOAD_CONNECTIONS;
    const newTable = makesNewTarget(config, await checkedTarget(client, config, t));
    const perThread = connections >= 2 && newTable;
    staging = await mkdtemp(path.join(ctx.workDir, `sink-${nodeId}-`));
    const files = await stageCsv(ctx, staging, perThread, options.pieceBytes ?? DEFAULT_PIECE_BYTES);
    if (ctx.signal.aborted) return cancelled();
    // Only now is the size known: a large load goes over several connections into a stage, renamed to the target
    // below; a small one is copied file after file over this connection, in the transaction.
    const bytes = files.reduce((n, f) => n + f.size, 0);
    const pieces = perThread && bytes >= (options.parallelLoadBytes ?? DEFAULT_PARALLEL_LOAD_BYTES) ? await csvPieces(files, connections) : [];
    if (pieces.length > 1) {
      stage = await createStage(client, config.schema, columnDefs(ctx.columns));
      stagedRows = await copyPiecesInParallel(settings, `COPY ${stage.sql} (${list}) FROM STDIN WITH (FORMAT csv)`, pieces, connections, ctx.signal);
      if (ctx.signal.aborted) return cancelled();
    }
    await client.query("BEGIN");
    let committed = false;
    let stageRenamed = false;
    try {
      await setLocal(client, { lock_timeout: String(options.lockTimeoutMs ?? 30_000) });
      if (ctx.loadKey) {
        const ledger = `${quoteIdent(config.schema)}.${quoteIdent(LOAD_LEDGER_TABLE)}`;
        await client.query(`INSERT INTO ${ledger} (run_id, node_id) VALUES ($1, $2)`, [ctx.loadKey.runId, ctx.loadKey.nodeId]);
      }
      let rowsWritten: number;
      // Checked again in the transaction: the target may have changed since the stage was filled.
      let existing = await checkedTarget(client, config, t);
      if (!existing) {
        // Loads that would create the same table wait for each other here (until this transaction ends): two that
        // both found it missing both ran CREATE TABLE, and the second failed on a duplicate pg_type key once the
        // first committed. A backfill's lanes start their first runs together, into a table none has made yet.
        await client.query("SELECT pg_advisory_xact_lock(hashtext($1))", [`sluice sink ${t.label}`]);
        existing = await checkedTarget(client, config, t);
      }
      if (stage && !makesNewTarget(config, existing)) {
        // Another load created the table since the check before staging (runs starting together, such as a
        // backfill's; only append and upsert get here, create fails above): the staged rows go into it by the
        // mode, as for a load that found it.
        rowsWritten = await applyMode(client, config, t, ctx.columns, existing!, `SELECT * FROM ${stage.sql}`);
      } else if (stage) {
        await newTarget(client, t, existing, { stage });
        await uniqueIndex(client, t, config.keys);
        stageRenamed = true;
        rowsWritten = stagedRows;
      } else if (makesNewTarget(config, existing)) {
        await newTarget(client, t, existing, { columns: ctx.columns });
        rowsWritten = await copyFiles(client, `COPY ${t.sql} (${list}) FROM STDIN WITH (FORMAT csv)`, files, ctx.signal);
        // An index built once after the load is much cheaper than one maintained row by row.
        await uniqueIndex(client, t, config.keys);
      } else {
        await client.query(`CREATE TEMPORARY TABLE ${STAGE} (${columnDefs(ctx.columns)}) ON COMMIT DROP`);
        // Per-thread files only when another load created the table since the check above: its order is lost then.
        await copyFiles(client, `COPY ${STAGE} (${list}) FROM STDIN WITH (FORMAT csv)`, files, ctx.signal);
        rowsWritten = await applyMode(client, config, t, ctx.columns, existing!);
      }
      if (ctx.signal.aborted) return cancelled();
      committing = true;
      await client.query("COMMIT");
      committed = true;
      stageInPlace = !stageRenamed;
      ctx.log("info", `Wrote ${rowsWritten} rows to ${t.label} (${config.mode}${stage ? `, over ${Math.min(connections, pieces.length)} connections at once` : ""}).`);
      return ok({ rowsWritten });
    } finally {
      if (!committed) await client.query("ROLLBACK").catch(() => undefined);
    }
  } catch (e) {
    if (ctx.signal.aborted) return cancelled();
    if (e instanceof SinkProblem) return fail({ ...e.issue, nodeId });
    if (committing && connectionLost(e)) {
      const ledger = ctx.loadKey ? ` Table "${config.schema}"."${LOAD_LEDGER_TABLE}" has a row for run ${ctx.loadKey.runId} and node ${nodeId} if they were, and another attempt of the run writes nothing twice.` : "";
      return fail(error("SINK_CONNECTION_LOST", `${pgMessage(e)} It was lost while the rows were committed to ${t.label}, so whether they were written is not known.${ledger}`, { nodeId }));
    }
    if (asPgError(e).code === undefined && !connectionLost(e)) return fail(error("SINK_FAILED", `Writing to ${t.label} failed: ${pgMessage(e)}`, { nodeId }));
    return fail({ ...serverIssue(e, t), nodeId });
  } finally {
    ctx.signal.removeEventListener("abort", onAbort);
    if (client && stage) await releaseStage(client, stage, { drop: stageInPlace, settings: settings! });
    await client?.end().catch(() => undefined);
    if (staging) await rm(staging, { recursive: true, force: true }).catch(() => undefined);
  }
}
