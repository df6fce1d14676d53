import { compilePolicy, resolveAllowed, type CompiledPolicy, type Lookup } from "../../network/address-policy.ts";

/** What the HTTP source may reach; the server builds it from its settings. */
export interface HttpGuardOptions {
  /**
   * Host names (exact, case-insensitive), IP addresses or CIDR ranges the HTTP source may reach even though
   * they are loopback, private or link-local, e.g. ["api.internal", "10.1.0.0/16", "127.0.0.1"].
   */
  allowlist?: string[];
  /** Per request, from connecting to the last byte. Default 30 s. */
  timeoutMs?: number;
  /** Per response, after decompression. Default 50 MB. */
  maxResponseBytes?: number;
  /** Over all pages of one load. Default 500 MB. */
  maxTotalBytes?: number;
  /** Default 5. */
  maxRedirects?: number;
  /** Test seam: how names are resolved. Default dns.lookup with all: true. */
  lookup?: Lookup;
}

/** The HTTP source reads public addresses only, unless an administrator allowlists a host or range. */
export const httpPolicy = (guard: HttpGuardOptions): CompiledPolicy => compilePolicy({ reach: "public", allowlist: guard.allowlist, lookup: guard.lookup });

export type GuardVerdict = { ok: true; address: string; family: 4 | 6 } | { ok: false; code: "HTTP_ADDRESS_BLOCKED" | "HTTP_DNS_FAILED"; message: string };

/**
 * Decides whether a URL's host may be reached, after resolving it: every address it resolves to must be
 * public (or allowlisted), judging an IPv6 address by any IPv4 address it carries. The caller connects to
 * the returned address, so a second DNS answer cannot swap in a private one.
 */
export async function checkHost(url: URL, guard: HttpGuardOptions, policy: CompiledPolicy = httpPolicy(guard)): Promise<GuardVerdict> {
  const verdict = await resolveAllowed(url.hostname, policy);
  if (verdict.ok) return { ok: true, ...verdict.addresses[0]! };
  if (verdict.code === "ADDRESS_NOT_FOUND") return { ok: false, code: "HTTP_DNS_FAILED", message: verdict.message };
  return {
    ok: false,
    code: "HTTP_ADDRESS_BLOCKED",
    message: `${verdict.message}; the HTTP source only reads from public addresses. An administrator can allow it with HTTP_SOURCE_ALLOWLIST.`,
  };
}
