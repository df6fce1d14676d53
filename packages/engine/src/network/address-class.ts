import ipaddr from "ipaddr.js";

/**
 * What kind of network an IP address belongs to, for the address policies of the HTTP source and of
 * database connections. The ranges come from ipaddr.js (a well-kept list of the IANA special-purpose
 * registries); this file only adds cloud metadata endpoints and unwraps IPv4 addresses carried inside
 * IPv6 ones, since an IPv6 address can reach an IPv4 host through a translator or a tunnel.
 */
export type AddressKind =
  | "public"
  | "loopback"
  | "private"
  | "link-local"
  | "cloud-metadata"
  | "carrier-grade-nat"
  | "unspecified"
  | "multicast"
  | "reserved";

/** The ways an IPv6 address can carry an IPv4 one. */
export type EmbeddingForm = "IPv4-mapped" | "IPv4-translated" | "NAT64" | "local-use NAT64" | "6to4" | "Teredo" | "IPv4-compatible";

/** One thing an address is: itself, or an IPv4 address inside it (`form` says how). */
export interface AddressFact {
  kind: AddressKind;
  /** The address this fact is about: the address itself, or the IPv4 address embedded in it. */
  address: string;
  form?: EmbeddingForm;
}

export interface ClassifiedAddress {
  /** Normalised text, the one to connect to. */
  address: string;
  family: 4 | 6;
  /** The address's own kind first, then one fact per IPv4 address it may carry. A policy must accept every one. */
  facts: AddressFact[];
}

export type Ip = ipaddr.IPv4 | ipaddr.IPv6;

/**
 * Cloud metadata and credential endpoints, refused like link-local addresses even where they are not
 * link-local (Alibaba's is in carrier-grade NAT space, Azure's WireServer is a public address, AWS's and
 * Google's IPv6 ones are unique-local).
 */
const METADATA_ADDRESSES = new Set(
  [
    "169.254.169.254", // AWS, Google Cloud, Azure, Oracle, DigitalOcean, OpenStack, Hetzner and others
    "169.254.170.2", // AWS ECS task credentials
    "169.254.170.23", // AWS EKS Pod Identity
    "169.254.0.23", // Tencent Cloud
    "100.100.100.200", // Alibaba Cloud
    "192.0.0.192", // Oracle Cloud (legacy)
    "168.63.129.16", // Azure WireServer
    "fd00:ec2::254", // AWS (IPv6)
    "fd00:ec2::23", // AWS EKS Pod Identity (IPv6)
    "fd20:ce::254", // Google Cloud (IPv6)
  ].map((a) => ipaddr.parse(a).toNormalizedString()),
);

/** Names of cloud metadata services, refused whatever they resolve to. */
const METADATA_NAMES = new Set([
  "metadata",
  "metadata.google.internal",
  "metadata.goog",
  "metadata.azure.com",
  "instance-data",
  "instance-data.ec2.internal",
  "metadata.tencentyun.com",
  "metadata.platformequinix.com",
  "metadata.packet.net",
]);

/** A host name as compared with lists: lower case, without the root's trailing dot. */
export const canonicalName = (host: string) => host.toLowerCase().replace(/\.$/, "");

export const isMetadataName = (host: string) => METADATA_NAMES.has(canonicalName(host));

/** `localhost` and names under it only ever mean this machine (RFC 6761), so they are never asked of DNS. */
export const isLocalhostName = (host: string) => /(^|\.)localhost$/.test(canonicalName(host));

/**
 * An IP address in any spelling the system resolver also takes as one (`127.1`, `0x7f.0.0.1`, `2130706433`,
 * `[::1]`, `fe80::1%eth0`), or undefined for a name.
 */
export function parseIp(text: string): Ip | undefined {
  const bare = text.replace(/^\[(.*)\]$/, "$1");
  return ipaddr.isValid(bare) ? ipaddr.parse(bare) : undefined;
}

const V4_KINDS: Record<string, AddressKind> = {
  unspecified: "unspecified",
  broadcast: "reserved",
  multicast: "multicast",
  linkLocal: "link-local",
  loopback: "loopback",
  carrierGradeNat: "carrier-grade-nat",
  private: "private",
  reserved: "reserved",
  // Anycast services on public addresses.
  as112: "public",
  amt: "public",
  unicast: "public",
};

const V6_KINDS: Record<string, AddressKind> = {
  unspecified: "unspecified",
  linkLocal: "link-local",
  multicast: "multicast",
  loopback: "loopback",
  uniqueLocal: "private",
  // Site-local was deprecated (RFC 3879) but routers may still treat it as local.
  deprecatedSiteLocal: "private",
  discard: "reserved",
  benchmarking: "reserved",
  deprecatedOrchid: "reserved",
  orchid2: "reserved",
  droneRemoteIdProtocolEntityTags: "reserved",
  segmentRouting: "reserved",
  reserved: "reserved",
  amt: "public",
  as112v6: "public",
  // The forms carrying IPv4 are judged by the IPv4 inside (see embeddedIpv4).
  ipv4Mapped: "public",
  rfc6145: "public",
  rfc6052: "public",
  "6to4": "public",
  teredo: "public",
  unicast: "public",
};

function kindOf(ip: Ip): AddressKind {
  if (METADATA_ADDRESSES.has(ip.toNormalizedString().replace(/%.*$/, ""))) return "cloud-metadata";
  const table = ip.kind() === "ipv4" ? V4_KINDS : V6_KINDS;
  // An unknown range name (a newer ipaddr.js) counts as reserved: refused by the strict policy, never taken as public.
  return table[ip.range()] ?? "reserved";
}

const v4 = (bytes: number[]) => new ipaddr.IPv4(bytes);
const LOCAL_USE_NAT64 = ipaddr.parseCIDR("64:ff9b:1::/48");

/**
 * Every IPv4 address an IPv6 address may carry. Teredo gives two (the server's, and the client's, which
 * is stored inverted); the local-use NAT64 prefix leaves the embedding to the operator (RFC 8215), so each
 * position RFC 6052 allows within a /48 is read.
 */
export function embeddedIpv4(ip: ipaddr.IPv6): { form: EmbeddingForm; ipv4: ipaddr.IPv4 }[] {
  const b = ip.toByteArray();
  const last = v4(b.slice(12, 16));
  switch (ip.range()) {
    case "ipv4Mapped":
      return [{ form: "IPv4-mapped", ipv4: last }];
    case "rfc6145":
      return [{ form: "IPv4-translated", ipv4: last }];
    case "rfc6052": {
      if (!ip.match(LOCAL_USE_NAT64)) return [{ form: "NAT64", ipv4: last }];
      const positions = [[6, 7, 9, 10], [7, 9, 10, 11], [9, 10, 11, 12], [12, 13, 14, 15]];
      return positions.map((p) => ({ form: "local-use NAT64" as const, ipv4: v4(p.map((i) => b[i]!)) }));
    }
    case "6to4":
      return [{ form: "6to4", ipv4: v4(b.slice(2, 6)) }];
    case "teredo":
      return [
        { form: "Teredo", ipv4: v4(b.slice(4, 8)) },
        { form: "Teredo", ipv4: v4(b.slice(12, 16).map((x) => x ^ 0xff)) },
      ];
    default:
      // ::a.b.c.d (deprecated by RFC 4291); :: and ::1 have ranges of their own.
      return b.slice(0, 12).every((x) => x === 0) && ip.range() === "unicast" ? [{ form: "IPv4-compatible", ipv4: last }] : [];
  }
}

/** The kind of an address and of every IPv4 address inside it. */
export function classifyAddress(ip: Ip): ClassifiedAddress {
  const address = ip.toString();
  if (ip.kind() === "ipv4") return { address, family: 4, facts: [{ kind: kindOf(ip), address }] };
  const inner = embeddedIpv4(ip as ipaddr.IPv6);
  // Local-use NAT64 is local by definition, and IPv4-compatible addresses are deprecated: neither is public itself.
  const own = inner[0]?.form === "local-use NAT64" ? "private" : inner[0]?.form === "IPv4-compatible" ? "reserved" : kindOf(ip);
  return {
    address,
    family: 6,
    facts: [{ kind: own, address }, ...inner.map((e) => ({ kind: kindOf(e.ipv4), address: e.ipv4.toString(), form: e.form }))],
  };
}

const DESCRIPTIONS: Record<AddressKind, string> = {
  public: "public",
  loopback: "loopback",
  private: "private",
  "link-local": "link-local",
  "cloud-metadata": "cloud metadata",
  "carrier-grade-nat": "carrier-grade NAT",
  unspecified: "unspecified",
  multicast: "multicast",
  reserved: "reserved",
};

/** "a loopback address", or "a link-local address (169.254.169.254 inside an IPv4-translated IPv6 address)". */
export function describeFact(fact: AddressFact): string {
  const what = `a ${DESCRIPTIONS[fact.kind]} address`;
  return fact.form ? `${what} (${fact.address} inside a${/^[AEIOU]/.test(fact.form) ? "n" : ""} ${fact.form} IPv6 address)` : what;
}
