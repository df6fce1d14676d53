import type pg from "pg";
import { error, fail, ok, type Result } from "@sluice/model";
import { quoteIdent } from "@sluice/pipeline";
import type { PostgresConnectionSettings } from "../connector.ts";
import { connectPostgres, describeConnectError } from "../postgres-connection.ts";
import { isoTimestamp } from "../json-values.ts";
import { asPgError, connectionLost, pgMessage, setLocal } from "../connectors/postgres-errors.ts";
import { clampLimit, type ReadbackCode, type SinkRows } from "./sink-rows.ts";

export interface PostgresReadbackOptions {
  limit: number;
  /** Each statement may take this long before the server stops it. Default 10 s. */
  statementTimeoutMs?: number;
}

const DEFAULT_STATEMENT_TIMEOUT_MS = 10_000;

/** Type oids whose text form becomes a JSON number or boolean; every other value stays PostgreSQL's text form. */
const INTEGER_OIDS = new Set([20, 21, 23]);
const FLOAT_OIDS = new Set([700, 701]);
const BOOL_OID = 16;
const TIMESTAMP_OIDS = new Set([1114, 1184]);

/** Every value arrives as the server's text (node-postgres parses nothing), and is turned into JSON here, exactly. */
export const rawText = { getTypeParser: () => (v: string) => v };

export function jsonValue(text: string | null, oid: number): unknown {
  if (text === null) return null;
  if (INTEGER_OIDS.has(oid)) return Number.isSafeInteger(Number(text)) ? Number(text) : text;
  // NaN and infinities stay text, as in previews.
  if (FLOAT_OIDS.has(oid)) return Number.isFinite(Number(text)) ? Number(text) : text;
  if (oid === BOOL_OID) return text === "t";
  if (TIMESTAMP_OIDS.has(oid)) return isoTimestamp(text);
  return text;
}

class Problem extends Error {
  constructor(
    readonly code: ReadbackCode,
    message: string,
  ) {
    super(message);
  }
}

/** The table's oid when it is a table (or partitioned table) that exists now. */
async function tableOid(client: pg.Client, schema: string, table: string): Promise<string | undefined> {
  const r = await client.query<{ oid: string; relkind: string }>(
    `SELECT c.oid::int8::text AS oid, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relname = $2`,
    [schema, table],
  );
  const row = r.rows[0];
  return row && ["r", "p"].includes(row.relkind) ? row.oid : undefined;
}

/**
 * The first `limit` rows of a table, in a read-only transaction with a statement timeout, in the server's
 * physical order (a table has no other; what a sink wrote into a new table comes back in the order written).
 * Names only through quoteIdent, values bound. Timestamps with a zone are read in UTC, whatever the server's zone.
 */
export async function readPostgresTable(
  settings: PostgresConnectionSettings,
  target: { schema: string; table: string },
  options: PostgresReadbackOptions,
): Promise<Result<SinkRows>> {
  const label = `"${target.schema}"."${target.table}"`;
  let client: pg.Client;
  try {
    client = await connectPostgres(settings, { statementTimeoutMs: options.statementTimeoutMs ?? DEFAULT_STATEMENT_TIMEOUT_MS });
  } catch (e) {
    return fail(error("TARGET_UNREACHABLE", `Could not connect to the database to read ${label}: ${describeConnectError(e, settings)}`));
  }
  try {
    await client.query("BEGIN TRANSACTION READ ONLY");
    // Doubles in their shortest exact form, whatever the role's setting; timestamps with a zone in UTC.
    await setLocal(client, { TimeZone: "UTC", extra_float_digits: "1" });
    const oid = await tableOid(client, target.schema, target.table);
    if (!oid) throw new Problem("TARGET_GONE", `Table ${label} is no longer there in database ${settings.database}; it was dropped or renamed after the run.`);
    const columns = await client.query<{ name: string; type: string }>(
      `SELECT attname AS name, format_type(atttypid, atttypmod) AS type FROM pg_attribute WHERE attrelid = $1::oid AND attnum > 0 AND NOT attisdropped ORDER BY attnum`,
      [oid],
    );
    const names = columns.rows.map((c) => c.name);
    const select = `SELECT ${names.map(quoteIdent).join(", ")} FROM ${quoteIdent(target.schema)}.${quoteIdent(target.table)} LIMIT $1`;
    // Rows as arrays, by position: no column name can collide with another or with an object's own keys.
    const result = await client.query<unknown[]>({ text: select, values: [clampLimit(options.limit)], rowMode: "array", types: rawText });
    const oids = result.fields.map((f) => f.dataTypeID);
    const rows = result.rows.map((r) => Object.fromEntries(names.map((n, i) => [n, jsonValue(r[i] as string | null, oids[i]!)])));
    return ok({ columns: columns.rows, rows });
  } catch (e) {
    if (e instanceof Problem) return fail(error(e.code, e.message));
    const code = asPgError(e).code;
    // Dropped between the look-up and the read.
    if (code === "42P01" || code === "3F000") return fail(error("TARGET_GONE", `Table ${label} is no longer there: ${pgMessage(e)}`));
    if (code === "42501") return fail(error("TARGET_UNREADABLE", `The connection's user may not read ${label}: ${pgMessage(e)}`));
    if (code === "57014") return fail(error("TARGET_UNREADABLE", `Reading ${label} was stopped by the database (${pgMessage(e)}); try again later.`));
    // A restart, a failover or an administrator ended the session: worth another try, as when it could not connect.
    if (connectionLost(e)) return fail(error("TARGET_UNREACHABLE", `Reading ${label} failed: ${pgMessage(e)} Try again.`));
    if (code === undefined) return fail(error("TARGET_UNREACHABLE", `Reading ${label} failed: ${pgMessage(e)}`));
    return fail(error("TARGET_UNREADABLE", `Reading ${label} failed: ${pgMessage(e)}`));
  } finally {
    await client.query("ROLLBACK").catch(() => undefined);
    await client.end().catch(() => undefined);
  }
}
