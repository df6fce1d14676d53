import { lookup as dnsLookup } from "node:dns/promises";
import ipaddr from "ipaddr.js";
import { canonicalName, classifyAddress, describeFact, isLocalhostName, isMetadataName, parseIp, type AddressKind, type Ip } from "./address-class.ts";

export type Lookup = (host: string) => Promise<{ address: string; family: number }[]>;

/**
 * Where a connection may go, checked after resolving and before connecting; the caller then connects to
 * the addresses it was given, so a second DNS answer cannot swap in another.
 */
export interface AddressPolicy {
  /**
   * "public": public addresses only (the HTTP source's rule). "private": also private networks, loopback
   * and carrier-grade NAT, where warehouses live, but never link-local or cloud metadata addresses.
   */
  reach: "public" | "private";
  /** Host names (exact, case-insensitive), IP addresses or CIDR ranges let through whatever their kind. */
  allowlist?: string[] | undefined;
  /** Host names, IP addresses or CIDR ranges always refused, even when allowlisted. */
  denylist?: string[] | undefined;
  /** Test seam: how names are resolved. Default dns.lookup with all: true, in the system's order. */
  lookup?: Lookup | undefined;
}

const REFUSED_KINDS: Record<AddressPolicy["reach"], ReadonlySet<AddressKind>> = {
  public: new Set<AddressKind>(["loopback", "private", "link-local", "cloud-metadata", "carrier-grade-nat", "unspecified", "multicast", "reserved"]),
  private: new Set<AddressKind>(["link-local", "cloud-metadata"]),
};

/** The order in which a message names what is wrong, when an address is refused for more than one reason. */
const SEVERITY: AddressKind[] = ["cloud-metadata", "link-local", "loopback", "unspecified", "private", "carrier-grade-nat", "multicast", "reserved", "public"];

export interface HostList {
  hasName(host: string): boolean;
  hasAddress(ip: Ip): boolean;
}

/** Why an allowlist or denylist entry cannot be used, or undefined when it can. */
export function hostListEntryProblem(entry: string): string | undefined {
  const e = entry.trim();
  if (e.includes("/")) return ipaddr.isValidCIDR(e.replace(/^\[(.*)\](\/\d+)$/, "$1$2")) ? undefined : `"${e}" is not a CIDR range (e.g. 10.0.0.0/8 or fd00::/8)`;
  if (parseIp(e)) return undefined;
  return /^[a-z0-9.-]+$/i.test(e) && !e.startsWith(".") ? undefined : `"${e}" is neither a host name, an IP address nor a CIDR range`;
}

/** Parses list entries; call hostListEntryProblem first, as a malformed entry throws here. */
export function parseHostList(entries: readonly string[] = []): HostList {
  const names = new Set<string>();
  const ranges: [Ip, number][] = [];
  for (const raw of entries.map((e) => e.trim()).filter(Boolean)) {
    const problem = hostListEntryProblem(raw);
    if (problem) throw new Error(problem);
    if (raw.includes("/")) ranges.push(ipaddr.parseCIDR(raw.replace(/^\[(.*)\](\/\d+)$/, "$1$2")));
    else {
      const ip = parseIp(raw);
      if (ip) ranges.push([ip, ip.kind() === "ipv4" ? 32 : 128]);
      else names.add(canonicalName(raw));
    }
  }
  const inRanges = (ip: Ip) => ranges.some(([base, bits]) => base.kind() === ip.kind() && ip.match(base, bits));
  return {
    hasName: (host) => names.has(canonicalName(host)),
    // An IPv4-mapped address is also matched against IPv4 ranges, as it is the same host.
    hasAddress: (ip) => inRanges(ip) || (ip.kind() === "ipv6" && (ip as ipaddr.IPv6).isIPv4MappedAddress() && inRanges((ip as ipaddr.IPv6).toIPv4Address())),
  };
}

export interface CompiledPolicy {
  reach: AddressPolicy["reach"];
  allow: HostList;
  deny: HostList;
  lookup: Lookup;
}

const systemLookup: Lookup = (host) => dnsLookup(host, { all: true, verbatim: true });

export const compilePolicy = (p: AddressPolicy): CompiledPolicy => ({
  reach: p.reach,
  allow: parseHostList(p.allowlist),
  deny: parseHostList(p.denylist),
  lookup: p.lookup ?? systemLookup,
});

export type AddressVerdict =
  | { ok: true; addresses: { address: string; family: 4 | 6 }[] }
  | { ok: false; code: "ADDRESS_REFUSED"; message: string; /** By the denylist, rather than by the address's kind. */ denied: boolean }
  | { ok: false; code: "ADDRESS_NOT_FOUND"; message: string; cause: string };

/**
 * Resolves a host (a name or an IP literal in any spelling) and checks every address it gives against the
 * policy. The message says which address was refused and why, e.g. `"db.example" resolves to 169.254.169.254,
 * a link-local address`; callers add what their feature may reach and who can change it.
 */
export async function resolveAllowed(host: string, policy: CompiledPolicy): Promise<AddressVerdict> {
  const bare = host.replace(/^\[(.*)\]$/, "$1");
  const refuse = (message: string, denied = false): AddressVerdict => ({ ok: false, code: "ADDRESS_REFUSED", message, denied });
  if (policy.deny.hasName(bare)) return refuse(`"${bare}" is on the administrator's deny list`, true);
  const nameAllowed = policy.allow.hasName(bare);
  const literal = parseIp(bare);
  let found: { address: string }[];
  if (literal) found = [{ address: literal.toString() }];
  else if (isMetadataName(bare) && !nameAllowed) return refuse(`"${bare}" is a cloud metadata service`);
  else if (isLocalhostName(bare)) found = [{ address: "127.0.0.1" }, { address: "::1" }];
  else {
    try {
      found = await policy.lookup(bare);
    } catch (e) {
      const cause = (e as NodeJS.ErrnoException).code ?? "DNS error";
      return { ok: false, code: "ADDRESS_NOT_FOUND", message: `The host "${bare}" could not be resolved (${cause}); check its spelling.`, cause };
    }
    if (found.length === 0) return { ok: false, code: "ADDRESS_NOT_FOUND", message: `The host "${bare}" has no addresses.`, cause: "ENODATA" };
  }
  const addresses: { address: string; family: 4 | 6 }[] = [];
  for (const { address } of found) {
    const ip = parseIp(address);
    if (!ip) return refuse(`"${bare}" resolves to "${address}", which is not an IP address`);
    const c = classifyAddress(ip);
    const subject = literal ? `${bare} is` : `"${bare}" resolves to ${c.address},`;
    const facts = c.facts.map((f) => ({ ...f, ip: parseIp(f.address)! }));
    if (facts.some((f) => policy.deny.hasAddress(f.ip))) return refuse(`${literal ? `${bare} is` : `"${bare}" resolves to ${c.address}, which is`} on the administrator's deny list`, true);
    const allowed = nameAllowed || policy.allow.hasAddress(ip);
    const refused = allowed ? [] : facts.filter((f) => REFUSED_KINDS[policy.reach].has(f.kind) && !policy.allow.hasAddress(f.ip));
    const bad = refused.sort((a, b) => SEVERITY.indexOf(a.kind) - SEVERITY.indexOf(b.kind))[0];
    if (bad) return refuse(`${subject} ${describeFact(bad)}`);
    addresses.push({ address: c.address, family: c.family });
  }
  return { ok: true, addresses };
}
