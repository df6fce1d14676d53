import pg from "pg";
import type { PostgresConnectionSettings } from "./connector.ts";
import { ConnectionAddressRefused, connectionAddresses } from "./connection-address.ts";
import { parseIp } from "./network/address-class.ts";

const CONNECT_TIMEOUT_MS = 5000;

/**
 * node-postgres options for stored settings; the structured fields are the only way in. `address` is the
 * checked IP address to connect to; the name the user gave stays the TLS server name, so certificates are
 * still checked against it.
 */
export function postgresClientConfig(s: PostgresConnectionSettings, options: { statementTimeoutMs?: number } = {}, address = s.host): pg.ClientConfig {
  const servername = parseIp(s.host) ? undefined : s.host.replace(/\.$/, "");
  const tls = { rejectUnauthorized: s.sslMode === "verify-full", ...(servername ? { servername } : {}) };
  return {
    host: address,
    port: s.port,
    database: s.database,
    user: s.user,
    password: s.password,
    ssl: s.sslMode === "disable" ? false : tls,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    ...(options.statementTimeoutMs ? { statement_timeout: options.statementTimeoutMs, query_timeout: options.statementTimeoutMs + 1000 } : {}),
    application_name: "sluice",
  };
}

/** Errors that say this address could not be reached, so the host's next address is worth a try. */
const UNREACHABLE = new Set(["ECONNREFUSED", "EHOSTUNREACH", "ENETUNREACH", "ETIMEDOUT", "EADDRNOTAVAIL"]);
const unreachable = (e: unknown) => UNREACHABLE.has((e as { code?: string }).code ?? "") || /timeout/i.test((e as Error).message ?? "");

/**
 * Connects once. The host is resolved and checked against the connection's address policy first, and the
 * connection goes to the checked addresses only (in the resolver's order, the next one when one cannot be
 * reached), so a second DNS answer cannot send it elsewhere; a refused address is never tried at all.
 * "prefer" tries TLS first and falls back to a plain connection only when the server says it does not
 * support TLS, as libpq does.
 */
export async function connectPostgres(s: PostgresConnectionSettings, options: { statementTimeoutMs?: number } = {}): Promise<pg.Client> {
  const addresses = await connectionAddresses(s);
  if (!addresses.ok) {
    const issue = addresses.issues[0]!;
    if (issue.code === "CONNECTION_ADDRESS_REFUSED") throw new ConnectionAddressRefused(issue.message);
    throw Object.assign(new Error(issue.message), { code: "ENOTFOUND" });
  }
  const attempt = async (settings: PostgresConnectionSettings, address: string) => {
    const client = new pg.Client(postgresClientConfig(settings, options, address));
    client.on("error", () => {}); // a dropped connection surfaces on the next query instead of crashing the process
    try {
      await client.connect();
      return client;
    } catch (e) {
      await client.end().catch(() => undefined);
      throw e;
    }
  };
  let failure: unknown;
  for (const address of addresses.value) {
    try {
      return await attempt(s, address);
    } catch (e) {
      if (s.sslMode === "prefer" && /does not support SSL/i.test((e as Error).message)) return attempt({ ...s, sslMode: "disable" }, address);
      if (!unreachable(e)) throw e;
      failure = e;
    }
  }
  throw failure;
}

export interface ConnectionTest {
  ok: boolean;
  message: string;
  serverVersion?: string;
  elapsedMs: number;
  /** Why it failed, as a code safe to keep (the audit log): the driver's (ECONNREFUSED, SQLSTATE 28P01), else CONNECTION_FAILED. */
  code?: string;
}

/** A code from the error, never its message (which may quote the server); only short code-like strings pass. */
const failureCode = (e: unknown): string => {
  const code = (e as { code?: unknown }).code;
  return typeof code === "string" && /^[A-Z0-9_]{1,40}$/.test(code) ? code : "CONNECTION_FAILED";
};

/** Answers within about 5 s with ok or the server's own error message. */
export async function testPostgresConnection(s: PostgresConnectionSettings): Promise<ConnectionTest> {
  const started = Date.now();
  let client: pg.Client | undefined;
  try {
    client = await connectPostgres(s, { statementTimeoutMs: CONNECT_TIMEOUT_MS });
    const { rows } = await client.query<{ v: string }>("SELECT current_setting('server_version') AS v");
    const version = rows[0]?.v ?? "unknown";
    return { ok: true, message: `Connected to PostgreSQL ${version} as ${s.user}.`, serverVersion: version, elapsedMs: Date.now() - started };
  } catch (e) {
    return { ok: false, message: describeConnectError(e, s), elapsedMs: Date.now() - started, code: failureCode(e) };
  } finally {
    await client?.end().catch(() => undefined);
  }
}

export function describeConnectError(e: unknown, s: Pick<PostgresConnectionSettings, "host" | "port">): string {
  const err = e as { code?: string; message?: string };
  const where = `${s.host}:${s.port}`;
  switch (err.code) {
    case "CONNECTION_ADDRESS_REFUSED":
      return err.message ?? "The connection's address is refused.";
    case "ECONNREFUSED":
      return `Nothing is listening on ${where}: check the host and port, and that the server is running.`;
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return `The host "${s.host}" could not be found: check its spelling.`;
    case "ETIMEDOUT":
      return `No answer from ${where} within 5 seconds: check the host, port and firewall.`;
    default:
      if (/timeout/i.test(err.message ?? "")) return `No answer from ${where} within 5 seconds: check the host, port and firewall.`;
      return err.message ? `The server said: ${err.message}` : `Could not connect to ${where}.`;
  }
}
