import type { PostgresSettings } from "./connections.schema.ts";

/**
 * A stored secret (a connection's password, a credential's headers and query parameters) is only ever sent where it
 * was saved for. An edit that points it elsewhere must carry the secret again, or anyone who may edit connections
 * could read it at a server of their own. The server refuses such an edit (SECRET_REQUIRED); the form asks for it.
 */
export const SECRET_REQUIRED_MESSAGE = "Enter it again: a stored secret is only sent to the server it was saved for.";

const SSL_STRENGTH = { disable: 0, prefer: 1, require: 2, "verify-full": 3 } as const;

/** The Postgres settings whose change sends the password somewhere else: host, port, user, and a weaker sslMode. */
export function postgresDestinationChanges(before: PostgresSettings, after: PostgresSettings): string[] {
  const changed: string[] = [];
  if (before.host.toLowerCase() !== after.host.toLowerCase()) changed.push("host");
  if (before.port !== after.port) changed.push("port");
  if (before.user !== after.user) changed.push("user");
  if (SSL_STRENGTH[after.sslMode] < SSL_STRENGTH[before.sslMode]) changed.push("sslMode");
  return changed;
}

/** The hosts an edit adds to an HTTP credential (compared without case); removing hosts only narrows where it goes. */
export function addedCredentialHosts(before: readonly string[], after: readonly string[]): string[] {
  const old = new Set(before.map((h) => h.toLowerCase()));
  return after.filter((h) => !old.has(h.toLowerCase()));
}
