import pg from "pg";
import type { PostgresConnectionSettings } from "./connector.ts";

const CONNECT_TIMEOUT_MS = 5000;

/** node-postgres options for stored settings; the structured fields are the only way in. */
export function postgresClientConfig(s: PostgresConnectionSettings, options: { statementTimeoutMs?: number } = {}): pg.ClientConfig {
  const ssl =
    s.sslMode === "disable" ? false : s.sslMode === "verify-full" ? { rejectUnauthorized: true } : { rejectUnauthorized: false };
  return {
    host: s.host,
    port: s.port,
    database: s.database,
    user: s.user,
    password: s.password,
    ssl,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    ...(options.statementTimeoutMs ? { statement_timeout: options.statementTimeoutMs, query_timeout: options.statementTimeoutMs + 1000 } : {}),
    application_name: "sluice",
  };
}

/**
 * Connects once. "prefer" tries TLS first and falls back to a plain connection only when the server
 * says it does not support TLS, as libpq does.
 */
export async function connectPostgres(s: PostgresConnectionSettings, options: { statementTimeoutMs?: number } = {}): Promise<pg.Client> {
  const attempt = async (settings: PostgresConnectionSettings) => {
    const client = new pg.Client(postgresClientConfig(settings, options));
    client.on("error", () => {}); // a dropped connection surfaces on the next query instead of crashing the process
    try {
      await client.connect();
      return client;
    } catch (e) {
      await client.end().catch(() => undefined);
      throw e;
    }
  };
  try {
    return await attempt(s);
  } catch (e) {
    if (s.sslMode === "prefer" && /does not support SSL/i.test((e as Error).message)) {
      return attempt({ ...s, sslMode: "disable" });
    }
    throw e;
  }
}

export interface ConnectionTest {
  ok: boolean;
  message: string;
  serverVersion?: string;
  elapsedMs: number;
}

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
    return { ok: false, message: describeConnectError(e, s), elapsedMs: Date.now() - started };
  } finally {
    await client?.end().catch(() => undefined);
  }
}

export function describeConnectError(e: unknown, s: Pick<PostgresConnectionSettings, "host" | "port">): string {
  const err = e as { code?: string; message?: string };
  const where = `${s.host}:${s.port}`;
  switch (err.code) {
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
