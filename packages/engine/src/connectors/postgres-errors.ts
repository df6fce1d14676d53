import { error, type Issue } from "@sluice/model";
import { ConnectionAddressRefused } from "../connection-address.ts";
import { describeConnectError } from "../postgres-connection.ts";
import type { PostgresConnectionSettings } from "../connector.ts";

export interface PgError {
  code?: string;
  message?: string;
  detail?: string;
  hint?: string;
  table?: string;
  constraint?: string;
}

export const asPgError = (e: unknown): PgError => (typeof e === "object" && e !== null ? (e as PgError) : { message: String(e) });

/** node-postgres's own words (no SQLSTATE) for a connection that dropped: during a query, or on any later query over it. */
const DROPPED_CLIENT = /^Connection terminated|is not queryable|^Client was closed/;
/** Class 08 (connection exception), 57P01-57P03 (shut down by an administrator, a crash, or not yet accepting). */
const DROPPED_STATE = /^08|^57P0[123]$/;
const DROPPED_SOCKET = new Set(["ECONNRESET", "EPIPE", "ETIMEDOUT", "ECONNREFUSED"]);

/**
 * Whether the connection itself went away (a restart, a failover, an administrator ending the session), rather than
 * the statement failing: then the work may be tried again on a new connection. Decided on SQLSTATE and socket codes
 * where there is one; node-postgres's own errors for a dead client carry neither, so those are known by their words.
 */
export function connectionLost(e: unknown): boolean {
  const err = asPgError(e);
  if (err.code !== undefined) return DROPPED_STATE.test(err.code) || DROPPED_SOCKET.has(err.code);
  return DROPPED_CLIENT.test(err.message ?? "");
}

/**
 * What stops a statement with SQLSTATE 57014, said after PostgreSQL's own words ("canceling statement due to
 * statement timeout" or "... due to user request"): a time limit, or someone's pg_cancel_backend. Not worth an
 * attempt on its own: a cancelled query is usually one someone wanted stopped.
 */
export const STATEMENT_STOPPED = "A statement timeout (statement_timeout) or an administrator (pg_cancel_backend) stops a statement";

/** Added to a failed connection attempt that a restarting server would also give; transient-failure.ts reads it. */
export const NOT_REACHED = "If the server is restarting, a run tries again.";

/** Prefixed to the message of a connection that went away; transient-failure.ts reads it as worth another attempt. */
export const CONNECTION_LOST = "The connection to the database was lost";

/**
 * The server's message with its detail and hint, as people read them in psql. A lost connection says so first:
 * "Client has encountered a connection error and is not queryable" alone tells a user nothing.
 */
export function pgMessage(e: unknown): string {
  const err = asPgError(e);
  const text = [err.message ?? "unknown error", err.detail, err.hint ? `Hint: ${err.hint}` : undefined].filter(Boolean).join(" ");
  return connectionLost(e) ? `${CONNECTION_LOST} (${text}).` : text;
}

/**
 * An issue for a failed connection attempt: an address the policy refuses (with its own code, as it is no
 * network trouble), wrong password, unknown host, nothing listening, no answer in 5 s.
 */
export function connectIssue(code: string, e: unknown, settings: PostgresConnectionSettings, nodeId: string): Issue {
  const refused = e instanceof ConnectionAddressRefused;
  const text = `Could not connect to the database: ${describeConnectError(e, settings)}`;
  // Nothing listening, no answer, "starting up": also what a server restarting or failing over looks like for a few
  // seconds, so a run tries again (a wrong password, an unknown host or database, a refused address it does not).
  const message = !refused && connectionLost(e) ? `${text}${text.endsWith(".") ? "" : "."} ${NOT_REACHED}` : text;
  return error(refused ? e.code : code, message, { nodeId, field: "connectionId" });
}

/** Runs `SET LOCAL`-style settings through set_config, so even our own values are bound, not spliced. */
export async function setLocal(client: { query(text: string, values: unknown[]): Promise<unknown> }, settings: Record<string, string>) {
  for (const [name, value] of Object.entries(settings)) {
    await client.query("SELECT set_config($1, $2, true)", [name, value]);
  }
}
