import { lookup as dnsLookup } from "node:dns/promises";
import net from "node:net";

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
  lookup?: (host: string) => Promise<{ address: string; family: number }[]>;
}

interface Range {
  base: string;
  prefix: number;
  family: "ipv4" | "ipv6";
  reason: string;
}

const BLOCKED: Range[] = [
  { base: "0.0.0.0", prefix: 8, family: "ipv4", reason: "unspecified" },
  { base: "10.0.0.0", prefix: 8, family: "ipv4", reason: "private" },
  { base: "100.64.0.0", prefix: 10, family: "ipv4", reason: "carrier-grade NAT (and some cloud metadata)" },
  { base: "127.0.0.0", prefix: 8, family: "ipv4", reason: "loopback" },
  { base: "169.254.0.0", prefix: 16, family: "ipv4", reason: "link-local (cloud metadata)" },
  { base: "172.16.0.0", prefix: 12, family: "ipv4", reason: "private" },
  { base: "192.0.0.0", prefix: 24, family: "ipv4", reason: "reserved (and some cloud metadata)" },
  { base: "192.0.2.0", prefix: 24, family: "ipv4", reason: "reserved" },
  { base: "192.168.0.0", prefix: 16, family: "ipv4", reason: "private" },
  { base: "198.18.0.0", prefix: 15, family: "ipv4", reason: "reserved" },
  { base: "198.51.100.0", prefix: 24, family: "ipv4", reason: "reserved" },
  { base: "203.0.113.0", prefix: 24, family: "ipv4", reason: "reserved" },
  { base: "224.0.0.0", prefix: 4, family: "ipv4", reason: "multicast" },
  { base: "240.0.0.0", prefix: 4, family: "ipv4", reason: "reserved" },
  { base: "::", prefix: 128, family: "ipv6", reason: "unspecified" },
  { base: "::1", prefix: 128, family: "ipv6", reason: "loopback" },
  { base: "::", prefix: 96, family: "ipv6", reason: "reserved (IPv4-compatible)" },
  { base: "100::", prefix: 64, family: "ipv6", reason: "reserved" },
  { base: "2001:db8::", prefix: 32, family: "ipv6", reason: "reserved" },
  { base: "fc00::", prefix: 7, family: "ipv6", reason: "private (unique local, and some cloud metadata)" },
  { base: "fe80::", prefix: 10, family: "ipv6", reason: "link-local" },
  { base: "fec0::", prefix: 10, family: "ipv6", reason: "reserved (site-local)" },
  { base: "ff00::", prefix: 8, family: "ipv6", reason: "multicast" },
];

/** Names of cloud metadata services, refused whatever they resolve to. */
const METADATA_HOSTS = new Set(["metadata", "metadata.google.internal", "metadata.goog", "instance-data", "instance-data.ec2.internal", "metadata.azure.com"]);

/** The 16 bytes of an IPv6 address (net.isIP must have said 6). */
export function ipv6Bytes(address: string): number[] {
  let text = address.split("%")[0]!;
  const tail: number[] = [];
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    tail.push(...dotted[1]!.split(".").map(Number));
    text = text.slice(0, -dotted[1]!.length) + "0:0";
  }
  const [left, right] = text.includes("::") ? text.split("::") : [text, undefined];
  const groups = (s: string | undefined) => (s ? s.split(":").filter((g) => g !== "") : []);
  const l = groups(left);
  const r = groups(right);
  const all = right === undefined ? l : [...l, ...Array<string>(8 - l.length - r.length).fill("0"), ...r];
  const bytes = all.flatMap((g) => {
    const n = parseInt(g, 16);
    return [n >> 8, n & 0xff];
  });
  if (tail.length) bytes.splice(12, 4, ...tail);
  return bytes;
}

/** An IPv4 address carried inside an IPv6 one: mapped (::ffff:a.b.c.d), NAT64 (64:ff9b::/96) or 6to4 (2002::/16). */
export function embeddedIpv4(address: string): string | undefined {
  const b = ipv6Bytes(address);
  const zero = (from: number, to: number) => b.slice(from, to).every((x) => x === 0);
  if (zero(0, 10) && b[10] === 0xff && b[11] === 0xff) return b.slice(12, 16).join(".");
  if (b[0] === 0x00 && b[1] === 0x64 && b[2] === 0xff && b[3] === 0x9b && zero(4, 12)) return b.slice(12, 16).join(".");
  if (b[0] === 0x20 && b[1] === 0x02) return b.slice(2, 6).join(".");
  return undefined;
}

function listOf(ranges: { base: string; prefix: number; family: "ipv4" | "ipv6" }[]) {
  const list = new net.BlockList();
  for (const r of ranges) list.addSubnet(r.base, r.prefix, r.family);
  return list;
}
const blockedByReason = BLOCKED.map((r) => ({ reason: r.reason, list: listOf([r]) }));

/** Why an address may not be reached by default, or undefined for a public address. */
export function blockedReason(address: string): string | undefined {
  const family = net.isIP(address) === 6 ? "ipv6" : "ipv4";
  if (family === "ipv6") {
    const v4 = embeddedIpv4(address);
    if (v4) {
      const inner = blockedReason(v4);
      return inner ? `${inner} (inside an IPv6 address)` : undefined;
    }
  }
  return blockedByReason.find((b) => b.list.check(address.split("%")[0]!, family))?.reason;
}

export interface Allowlist {
  allowsHost(host: string): boolean;
  allowsAddress(address: string): boolean;
}

export function parseAllowlist(entries: string[] = []): Allowlist {
  const hosts = new Set<string>();
  const ranges = new net.BlockList();
  for (const raw of entries.map((e) => e.trim()).filter(Boolean)) {
    const [base, prefix] = raw.split("/");
    const family = net.isIP(base!.replace(/^\[|\]$/g, ""));
    if (family) {
      const bits = prefix === undefined ? (family === 4 ? 32 : 128) : Number(prefix);
      ranges.addSubnet(base!.replace(/^\[|\]$/g, ""), bits, family === 4 ? "ipv4" : "ipv6");
    } else hosts.add(raw.toLowerCase().replace(/\.$/, ""));
  }
  return {
    allowsHost: (host) => hosts.has(host.toLowerCase().replace(/\.$/, "")),
    allowsAddress: (address) => {
      const v4 = net.isIP(address) === 6 ? embeddedIpv4(address) : undefined;
      if (v4 && ranges.check(v4, "ipv4")) return true;
      return ranges.check(address, net.isIP(address) === 6 ? "ipv6" : "ipv4");
    },
  };
}

export type GuardVerdict = { ok: true; address: string; family: 4 | 6 } | { ok: false; code: "HTTP_ADDRESS_BLOCKED" | "HTTP_DNS_FAILED"; message: string };

/**
 * Decides whether a URL's host may be reached, after resolving it: every address it resolves to must be
 * public (or allowlisted). The caller connects to the returned address, so a second DNS answer cannot
 * swap in a private one.
 */
export async function checkHost(url: URL, guard: HttpGuardOptions, allow: Allowlist = parseAllowlist(guard.allowlist)): Promise<GuardVerdict> {
  const host = url.hostname.replace(/^\[|\]$/g, "");
  const hostAllowed = allow.allowsHost(host);
  const hint = "An administrator can allow it with HTTP_SOURCE_ALLOWLIST.";
  if (!hostAllowed && METADATA_HOSTS.has(host.toLowerCase().replace(/\.$/, ""))) {
    return { ok: false, code: "HTTP_ADDRESS_BLOCKED", message: `"${host}" is a cloud metadata service, which the HTTP source may not read.` };
  }
  let addresses: { address: string; family: number }[];
  if (net.isIP(host)) addresses = [{ address: host, family: net.isIP(host) }];
  else {
    try {
      addresses = await (guard.lookup ?? ((h: string) => dnsLookup(h, { all: true, verbatim: true })))(host);
    } catch (e) {
      return { ok: false, code: "HTTP_DNS_FAILED", message: `The host "${host}" could not be resolved (${(e as NodeJS.ErrnoException).code ?? "DNS error"}); check its spelling.` };
    }
  }
  if (addresses.length === 0) return { ok: false, code: "HTTP_DNS_FAILED", message: `The host "${host}" has no addresses.` };
  for (const a of addresses) {
    const reason = blockedReason(a.address);
    if (reason && !hostAllowed && !allow.allowsAddress(a.address)) {
      const shown = a.address === host ? `${host} is` : `"${host}" resolves to ${a.address},`;
      return { ok: false, code: "HTTP_ADDRESS_BLOCKED", message: `${shown} a ${reason} address; the HTTP source only reads from public addresses. ${hint}` };
    }
  }
  const first = addresses[0]!;
  return { ok: true, address: first.address, family: first.family === 6 ? 6 : 4 };
}
