import { error, fail, ok, type Issue, type Result } from "@sluice/model";
import type { PostgresConnectionSettings } from "./connector.ts";
import { compilePolicy, hostListEntryProblem, resolveAllowed, type AddressPolicy } from "./network/address-policy.ts";

/**
 * Database connections may reach private networks and this machine, where warehouses live (the built-in
 * one is on 127.0.0.1), but never link-local addresses or cloud metadata services, whose answers include
 * the server's own cloud credentials.
 */
export const DEFAULT_CONNECTION_POLICY: AddressPolicy = { reach: "private" };

/**
 * `policy` with `host` let through whatever its kind (the denylist still applies): for a host the administrator
 * chose, such as the built-in warehouse's, never a user's. A host no list entry can name is left to the policy.
 */
export function trustingHost(policy: AddressPolicy, host: string): AddressPolicy {
  if (hostListEntryProblem(host) !== undefined) return policy;
  return { ...policy, allowlist: [...(policy.allowlist ?? []), host] };
}

/** Thrown by connectPostgres for an address the policy refuses, before any connection attempt. */
export class ConnectionAddressRefused extends Error {
  readonly code = "CONNECTION_ADDRESS_REFUSED";
}

const RULES: Record<AddressPolicy["reach"], string> = {
  private: "database connections may reach private networks and this machine, but not link-local addresses or cloud metadata services",
  public: "this server lets database connections reach public addresses only (CONNECTION_ADDRESS_POLICY=public)",
};

/** The addresses a connection may use, in the resolver's order; refused or unresolvable hosts give an issue on `host`. */
export async function connectionAddresses(s: Pick<PostgresConnectionSettings, "host" | "addressPolicy">): Promise<Result<string[]>> {
  const policy = s.addressPolicy ?? DEFAULT_CONNECTION_POLICY;
  // A malformed list throws here: the server checks its lists when it starts, so that would be a bug.
  const verdict = await resolveAllowed(s.host, compilePolicy(policy));
  if (verdict.ok) return ok(verdict.addresses.map((a) => a.address));
  if (verdict.code === "ADDRESS_NOT_FOUND") return fail(error("CONNECTION_HOST_NOT_FOUND", verdict.message, { field: "host" }));
  const message = verdict.denied
    ? `${verdict.message} (CONNECTION_DENYLIST), so Sluice does not connect to it.`
    : `${verdict.message}; ${RULES[policy.reach]}. An administrator can allow a host with CONNECTION_ALLOWLIST.`;
  return fail(error("CONNECTION_ADDRESS_REFUSED", message, { field: "host" }));
}

/**
 * For saving and testing a connection: the issue when its address is refused, else undefined. A host that
 * does not resolve now is not refused, as it may later; connecting checks it again either way.
 */
export async function refusedAddress(s: Pick<PostgresConnectionSettings, "host" | "addressPolicy">): Promise<Issue | undefined> {
  const r = await connectionAddresses(s);
  return !r.ok && r.issues[0]?.code === "CONNECTION_ADDRESS_REFUSED" ? r.issues[0] : undefined;
}
