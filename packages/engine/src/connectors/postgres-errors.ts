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

/** The server's message with its detail and hint, as people read them in psql. */
export function pgMessage(e: unknown): string {
  const err = asPgError(e);
  return [err.message ?? "unknown error", err.detail, err.hint ? `Hint: ${err.hint}` : undefined].filter(Boolean).join(" ");
}

/**
 * An issue for a failed connection attempt: an address the policy refuses (with its own code, as it is no
 * network trouble), wrong password, unknown host, nothing listening, no answer in 5 s.
 */
export function connectIssue(code: string, e: unknown, settings: PostgresConnectionSettings, nodeId: string): Issue {
  const refused = e instanceof ConnectionAddressRefused;
  return error(refused ? e.code : code, `Could not connect to the database: ${describeConnectError(e, settings)}`, { nodeId, field: "connectionId" });
}

/** Runs `SET LOCAL`-style settings through set_config, so even our own values are bound, not spliced. */
export async function setLocal(client: { query(text: string, values: unknown[]): Promise<unknown> }, settings: Record<string, string>) {
  for (const [name, value] of Object.entries(settings)) {
    await client.query("SELECT set_config($1, $2, true)", [name, value]);
  }
}
