import { randomUUID } from "node:crypto";
import { unlink } from "node:fs/promises";
import path from "node:path";
import type pg from "pg";
import { error, fail, ok, type Column, type Issue, type Result } from "@sluice/model";
import { postgresSourceConfigIssues, postgresSourceConfigSchema, postgresSourceSpec, quoteIdent, type PostgresSourceConfig } from "@sluice/pipeline";
import type { LoadContext, PostgresConnectionSettings } from "../connector.ts";
import { connectPostgres } from "../postgres-connection.ts";
import { copyToFile } from "./pg-copy.ts";
import { postgresReadExpression, sluiceTypeOf } from "./postgres-types.ts";
import { asPgError, connectIssue, connectionLost, pgMessage, setLocal, STATEMENT_STOPPED } from "./postgres-errors.ts";
import { createTableFromStagedCsv } from "./duck-load.ts";
import { checkSourceQuery, proveWrapped, type CheckedQuery } from "./source-query-check.ts";
import { extendedQuery } from "./pg-extended-query.ts";
import type { LoadResult } from "./load-result.ts";
import { highWaterSelect, SET_BOUNDS, watermarkBehind, watermarkCast, watermarkWhere, type WatermarkMove, type WatermarkRange } from "./postgres-watermark.ts";

export interface PostgresSourceOptions {
  /** Per statement; the load's COPY is one statement. Default 15 minutes (describing: 15 s). */
  statementTimeoutMs?: number;
}

const LOAD_TIMEOUT_MS = 15 * 60_000;
const DESCRIBE_TIMEOUT_MS = 15_000;

/**
 * The source as one checked SELECT: a quoted table, or the user's query as PostgreSQL's parser accepted it
 * (source-query-check.ts). Its issues are on the field the user typed it in.
 */
async function checkedSource(c: PostgresSourceConfig, nodeId: string): Promise<Result<CheckedQuery>> {
  if (c.mode === "table") return checkSourceQuery(`SELECT * FROM ${quoteIdent(c.schema)}.${quoteIdent(c.table)}`, { nodeId, field: "table" });
  return checkSourceQuery(c.sql, { nodeId, field: "sql" });
}

const wrap = (q: CheckedQuery, select: string) => `SELECT ${select} FROM (\n${q.sql}\n) AS q`;

/** The text that asks for the columns, proven to be one SELECT over the checked query. */
const describeText = (q: CheckedQuery, where: { nodeId: string; field: string }) => proveWrapped(`${wrap(q, "*")} LIMIT 0`, "select", q, where);

/**
 * How PostgreSQL reads string literals and bytes, set to what the parser that checked the text assumed:
 * with standard_conforming_strings off, a backslash would escape a quote that the parser saw end a string.
 */
const LEXICAL = { standard_conforming_strings: "on", client_encoding: "UTF8" };

/**
 * How often (ms) PostgreSQL 14 and later look, while the query runs, whether Sluice is still connected. A cancel
 * closes the connection, but a query that sends nothing for a while (a long sort, a join, pg_sleep) would
 * otherwise not notice, and keep the database busy until the statement timeout (15 minutes for a load), after a
 * preview gave up, a run was cancelled or its process was killed. Older servers have no such setting.
 */
const CLIENT_CHECK_INTERVAL_MS = "1000";

async function clientCheckSetting(client: pg.Client): Promise<Record<string, string>> {
  const { rows } = await client.query<{ version: number }>("SELECT current_setting('server_version_num')::int AS version");
  return (rows[0]?.version ?? 0) >= 140000 ? { client_connection_check_interval: CLIENT_CHECK_INTERVAL_MS } : {};
}

/**
 * A read-only transaction in UTC with ISO dates, so text forms are what DuckDB parses back. An incremental load
 * reads in one snapshot (repeatable read), so the high-water mark it takes is that of the rows it copies.
 */
async function beginReadOnly(client: pg.Client, timeoutMs: number, snapshot = false) {
  await client.query(snapshot ? "BEGIN TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY" : "BEGIN TRANSACTION READ ONLY");
  await setLocal(client, {
    ...(await clientCheckSetting(client)),
    statement_timeout: String(timeoutMs),
    TimeZone: "UTC",
    DateStyle: "ISO, YMD",
    IntervalStyle: "postgres",
    extra_float_digits: "3",
    bytea_output: "hex",
    ...LEXICAL,
  });
}

/** The result's columns, asked with the proven `LIMIT 0` text over the extended protocol. */
async function columnsOf(client: pg.Client, text: string): Promise<Column[]> {
  return (await typedColumnsOf(client, text)).map((c) => c.column);
}

/** The columns with PostgreSQL's own (base) type name of each, e.g. int4 or timestamptz. */
async function typedColumnsOf(client: pg.Client, text: string): Promise<{ column: Column; pgType: string }[]> {
  const result = await extendedQuery(client, text);
  const oids = [...new Set(result.fields.map((f) => f.dataTypeID))];
  const types = await client.query<{ oid: string; name: string; category: string }>(
    `SELECT t.oid::int8::text AS oid, COALESCE(b.typname, t.typname) AS name, COALESCE(b.typcategory, t.typcategory) AS category
       FROM pg_type t LEFT JOIN pg_type b ON t.typtype = 'd' AND b.oid = t.typbasetype
      WHERE t.oid = ANY($1::oid[])`,
    [oids],
  );
  const byOid = new Map(types.rows.map((r) => [r.oid, r]));
  return result.fields.map((f) => {
    const t = byOid.get(String(f.dataTypeID));
    return { column: { name: f.name, ...sluiceTypeOf({ name: t?.name ?? "unknown", category: t?.category ?? "U", typmod: f.dataTypeModifier }) }, pgType: t?.name ?? "unknown" };
  });
}

/** Turns a server error while reading into an issue on the field the user can fix. */
function readIssue(e: unknown, config: PostgresSourceConfig, nodeId: string): Issue {
  const err = asPgError(e);
  const field = config.mode === "table" ? "table" : "sql";
  const where = { nodeId, field };
  if (connectionLost(e)) return error("SOURCE_CONNECTION_LOST", `${pgMessage(e)} Nothing is wrong with the source's settings; try again.`, where);
  switch (err.code) {
    case "42P01":
    case "3F000":
      return error("SOURCE_TABLE_NOT_FOUND", `${pgMessage(e)}: check the schema and table names, and that this connection's user can see them.`, where);
    case "42501":
      return error("SOURCE_PERMISSION_DENIED", `The connection's user may not read this: ${pgMessage(e)}`, where);
    case "25006":
      return error("SQL_NOT_READ_ONLY", `The query tries to change data, which a source may not do: ${pgMessage(e)}`, where);
    case "57014":
      return error("SOURCE_TIMEOUT", `The database stopped the query: ${pgMessage(e)}. ${STATEMENT_STOPPED}; make the query faster, or run it again.`, where);
    default:
      return error("SOURCE_QUERY_FAILED", `The database said: ${pgMessage(e)}`, where);
  }
}

/** The columns a postgres source returns, asked of the database itself (a LIMIT 0 query). For the server's validation. */
export async function describePostgresSource(settings: PostgresConnectionSettings, rawConfig: unknown, nodeId = ""): Promise<Result<Column[]>> {
  const parsed = postgresSourceConfigSchema.safeParse(rawConfig);
  if (!parsed.success) return fail(error("INVALID_CONFIG", "The source's settings are not valid.", { nodeId }));
  const issues = postgresSourceConfigIssues(parsed.data, nodeId);
  if (issues.length) return fail(...issues);
  const config = postgresSourceSpec(parsed.data);
  const query = await checkedSource(config, nodeId);
  if (!query.ok) return query;
  const text = await describeText(query.value, { nodeId, field: config.mode === "table" ? "table" : "sql" });
  if (!text.ok) return text;
  let client: pg.Client;
  try {
    client = await connectPostgres(settings);
  } catch (e) {
    return fail(connectIssue("SOURCE_UNREACHABLE", e, settings, nodeId));
  }
  try {
    await beginReadOnly(client, DESCRIBE_TIMEOUT_MS);
    return ok(await columnsOf(client, text.value));
  } catch (e) {
    return fail(readIssue(e, parsed.data, nodeId));
  } finally {
    await client.query("ROLLBACK").catch(() => undefined);
    await client.end().catch(() => undefined);
  }
}

function schemaChanges(expected: Column[], actual: Column[]): string[] {
  const describe = (c: Column) => (c.type === "decimal" ? `decimal(${c.precision},${c.scale})` : c.type);
  const changes: string[] = [];
  for (const c of expected) {
    const now = actual.find((a) => a.name === c.name);
    if (!now) changes.push(`"${c.name}" is gone`);
    else if (describe(now) !== describe(c)) changes.push(`"${c.name}" was ${describe(c)} and is now ${describe(now)}`);
  }
  for (const a of actual) if (!expected.some((c) => c.name === a.name)) changes.push(`"${a.name}" is new`);
  if (!changes.length && actual.some((a, i) => a.name !== expected[i]?.name)) changes.push("the columns are in another order");
  return changes;
}

/**
 * The COPY of only the rows in the watermark range, proven like the full read, and the high-water mark: taken in
 * the read's own snapshot, or the one a retried attempt of the run already took. The bounds are set as settings
 * through bound parameters (COPY itself takes none).
 */
async function incrementalRead(
  client: pg.Client,
  query: CheckedQuery,
  select: string,
  column: string,
  described: { column: Column; pgType: string }[],
  range: WatermarkRange,
  where: { nodeId: string; field: string },
): Promise<Result<{ copy: string; high: string | null }>> {
  const found = described.find((c) => c.column.name === column);
  const cast = found ? watermarkCast(found.pgType) : undefined;
  if (!cast) {
    return fail(error("WATERMARK_COLUMN_TYPE", found ? `Column "${column}" is ${found.pgType}; a watermark must be an integer, numeric, date or timestamp column.` : `The source has no column "${column}" any more; validate the pipeline again.`, where));
  }
  let high = range.high;
  if (high === undefined) {
    const text = await proveWrapped(wrap(query, highWaterSelect(column)), "select", query, where);
    if (!text.ok) return text;
    high = (await extendedQuery<{ high: string | null }>(client, text.value)).rows[0]?.high ?? null;
    // The highest value now can be below the stored watermark (the newest rows were deleted, or the query no longer
    // returns them): the watermark stays where it is, or rows between the two, read before, would be read again.
    if (high !== null && range.low !== null && (await client.query<{ behind: boolean }>(watermarkBehind(cast), [high, range.low])).rows[0]?.behind) high = range.low;
  }
  await client.query(SET_BOUNDS, [range.low ?? "", high ?? ""]);
  const copy = await proveWrapped(`COPY (${wrap(query, select)}\n${watermarkWhere(column, cast, { low: range.low, high })}) TO STDOUT WITH (FORMAT csv)`, "copy", query, where);
  return copy.ok ? ok({ copy: copy.value, high }) : copy;
}

/**
 * Loads a postgres source into `ctx.table`: one READ ONLY transaction with a statement timeout, the rows
 * streamed by COPY (…) TO STDOUT into a CSV in the work folder, then read by DuckDB with the inferred types.
 */
export async function loadPostgresSource(ctx: LoadContext, spec: Record<string, unknown>, options: PostgresSourceOptions = {}): Promise<Result<LoadResult>> {
  const at = { nodeId: ctx.nodeId };
  const parsed = postgresSourceConfigSchema.safeParse(spec);
  if (!parsed.success) return fail(error("INVALID_CONFIG", "The source's settings are not valid.", at));
  const issues = postgresSourceConfigIssues(parsed.data, ctx.nodeId);
  if (issues.length) return fail(...issues);
  const config = postgresSourceSpec(parsed.data);
  const query = await checkedSource(config, ctx.nodeId);
  if (!query.ok) return query;
  // Both texts that carry the query are proven before anything is sent.
  const where = { ...at, field: config.mode === "table" ? "table" : "sql" };
  const describe = await describeText(query.value, where);
  if (!describe.ok) return describe;
  const select = ctx.columns.map((c) => `${postgresReadExpression(c, `q.${quoteIdent(c.name)}`)} AS ${quoteIdent(c.name)}`).join(", ");
  const copy = await proveWrapped(`COPY (${wrap(query.value, select)}) TO STDOUT WITH (FORMAT csv)`, "copy", query.value, where);
  if (!copy.ok) return copy;
  const cancelled = () => fail<LoadResult>(error("LOAD_CANCELLED", "The load was cancelled.", at));
  if (ctx.signal.aborted) return cancelled();

  let settings: PostgresConnectionSettings;
  try {
    settings = await ctx.connection(config.connectionId);
  } catch (e) {
    return fail(error("CONNECTION_NOT_FOUND", `Connection ${config.connectionId} cannot be used: ${(e as Error).message}`, { ...at, field: "connectionId" }));
  }
  let client: pg.Client;
  try {
    client = await connectPostgres(settings);
  } catch (e) {
    return fail(connectIssue("SOURCE_UNREACHABLE", e, settings, ctx.nodeId));
  }
  const staged = path.join(ctx.workDir, `pg-${ctx.nodeId}-${randomUUID()}.csv`);
  let rows: number;
  let watermark: WatermarkMove | undefined;
  // Incremental only in a run: a preview (no range given) shows every row.
  const range = config.watermarkColumn !== "" ? ctx.watermark : undefined;
  try {
    await beginReadOnly(client, options.statementTimeoutMs ?? LOAD_TIMEOUT_MS, range !== undefined);
    const described = await typedColumnsOf(client, describe.value);
    const changes = schemaChanges(ctx.columns, described.map((c) => c.column));
    if (changes.length) {
      return fail(error("SOURCE_SCHEMA_CHANGED", `The source's columns changed since the pipeline was validated: ${changes.join("; ")}. Validate the pipeline again.`, at));
    }
    let text = copy.value;
    if (range) {
      const read = await incrementalRead(client, query.value, select, config.watermarkColumn, described, range, { ...at, field: "watermarkColumn" });
      if (!read.ok) return read;
      text = read.value.copy;
      watermark = { column: config.watermarkColumn, before: range.low, after: read.value.high ?? range.low };
    }
    // Set again: a function the query called while described could have changed them since.
    await setLocal(client, LEXICAL);
    rows = await copyToFile(client, text, staged, ctx.signal);
  } catch (e) {
    await unlink(staged).catch(() => undefined);
    return ctx.signal.aborted ? cancelled() : fail(readIssue(e, config, ctx.nodeId));
  } finally {
    await client.query("ROLLBACK").catch(() => undefined);
    await client.end().catch(() => undefined);
  }
  try {
    if (ctx.signal.aborted) return cancelled();
    await createTableFromStagedCsv(ctx.duck, ctx.table, staged, ctx.columns);
    ctx.log("info", watermark ? `Read ${rows} new rows from PostgreSQL (${watermark.column} above ${watermark.before ?? "nothing yet"}, up to ${watermark.after ?? "no value yet"}).` : `Read ${rows} rows from PostgreSQL.`);
    return ok({ rowsLoaded: rows, ...(watermark ? { watermark } : {}) });
  } catch (e) {
    return fail(error("LOAD_FAILED", `The rows read from PostgreSQL could not be stored: ${(e as Error).message}`, at));
  } finally {
    await unlink(staged).catch(() => undefined);
  }
}
