import type { AddressKind, EmbeddingForm } from "../address-class.ts";

/**
 * IPv6 spellings that carry an IPv4 address, written out by hand (not computed) so the classifier is checked
 * against the RFCs rather than against itself. Shared by the tests of the classifier, the HTTP source's
 * guard and the database connection guard: each must judge these by the IPv4 address inside.
 */
export interface EmbeddedCase {
  ipv6: string;
  form: EmbeddingForm;
  ipv4: string;
  kind: AddressKind;
}

export const EMBEDDED_IPV4_CASES: EmbeddedCase[] = [
  // The three spellings reported, and the one that reached a connection attempt.
  { ipv6: "::ffff:0:7f00:1", form: "IPv4-translated", ipv4: "127.0.0.1", kind: "loopback" },
  { ipv6: "::ffff:0:a9fe:a9fe", form: "IPv4-translated", ipv4: "169.254.169.254", kind: "cloud-metadata" },
  { ipv6: "::ffff:0:a00:1", form: "IPv4-translated", ipv4: "10.0.0.1", kind: "private" },
  { ipv6: "64:ff9b:1::a9fe:a9fe", form: "local-use NAT64", ipv4: "169.254.169.254", kind: "cloud-metadata" },
  // IPv4-mapped, in hex and dotted forms and in capitals.
  { ipv6: "::ffff:127.0.0.1", form: "IPv4-mapped", ipv4: "127.0.0.1", kind: "loopback" },
  { ipv6: "::FFFF:7F00:1", form: "IPv4-mapped", ipv4: "127.0.0.1", kind: "loopback" },
  { ipv6: "::ffff:169.254.169.254", form: "IPv4-mapped", ipv4: "169.254.169.254", kind: "cloud-metadata" },
  { ipv6: "0:0:0:0:0:ffff:a9fe:101", form: "IPv4-mapped", ipv4: "169.254.1.1", kind: "link-local" },
  { ipv6: "::ffff:6464:64c8", form: "IPv4-mapped", ipv4: "100.100.100.200", kind: "cloud-metadata" },
  { ipv6: "::ffff:c0a8:101", form: "IPv4-mapped", ipv4: "192.168.1.1", kind: "private" },
  { ipv6: "::ffff:8.8.8.8", form: "IPv4-mapped", ipv4: "8.8.8.8", kind: "public" },
  // IPv4-translated (RFC 6145).
  { ipv6: "::ffff:0:169.254.169.254", form: "IPv4-translated", ipv4: "169.254.169.254", kind: "cloud-metadata" },
  { ipv6: "::ffff:0:808:808", form: "IPv4-translated", ipv4: "8.8.8.8", kind: "public" },
  // NAT64 well-known prefix (RFC 6052).
  { ipv6: "64:ff9b::7f00:1", form: "NAT64", ipv4: "127.0.0.1", kind: "loopback" },
  { ipv6: "64:ff9b::a9fe:a9fe", form: "NAT64", ipv4: "169.254.169.254", kind: "cloud-metadata" },
  { ipv6: "64:ff9b::169.254.1.1", form: "NAT64", ipv4: "169.254.1.1", kind: "link-local" },
  { ipv6: "64:ff9b::a00:1", form: "NAT64", ipv4: "10.0.0.1", kind: "private" },
  { ipv6: "64:ff9b::808:808", form: "NAT64", ipv4: "8.8.8.8", kind: "public" },
  // NAT64 local-use prefix (RFC 8215), with the IPv4 address at the /96, /64 and /48 positions.
  { ipv6: "64:ff9b:1::7f00:1", form: "local-use NAT64", ipv4: "127.0.0.1", kind: "loopback" },
  { ipv6: "64:ff9b:1:0:a9:fea9:fe00:0", form: "local-use NAT64", ipv4: "169.254.169.254", kind: "cloud-metadata" },
  { ipv6: "64:ff9b:1:a9fe:a9:fe00::", form: "local-use NAT64", ipv4: "169.254.169.254", kind: "cloud-metadata" },
  { ipv6: "64:ff9b:1::a9fe:101", form: "local-use NAT64", ipv4: "169.254.1.1", kind: "link-local" },
  // 6to4 (RFC 3056): the IPv4 address follows 2002:.
  { ipv6: "2002:7f00:1::1", form: "6to4", ipv4: "127.0.0.1", kind: "loopback" },
  { ipv6: "2002:a9fe:a9fe::", form: "6to4", ipv4: "169.254.169.254", kind: "cloud-metadata" },
  { ipv6: "2002:c0a8:101::1", form: "6to4", ipv4: "192.168.1.1", kind: "private" },
  { ipv6: "2002:808:808::1", form: "6to4", ipv4: "8.8.8.8", kind: "public" },
  // Teredo (RFC 4380): the client's IPv4 address is the last 32 bits, inverted.
  { ipv6: "2001:0:4136:e378:8000:63bf:80ff:fffe", form: "Teredo", ipv4: "127.0.0.1", kind: "loopback" },
  { ipv6: "2001:0:4136:e378:8000:63bf:5601:5601", form: "Teredo", ipv4: "169.254.169.254", kind: "cloud-metadata" },
  { ipv6: "2001:0:4136:e378:8000:63bf:f5ff:fffe", form: "Teredo", ipv4: "10.0.0.1", kind: "private" },
  { ipv6: "2001:0:4136:e378:8000:63bf:f7f7:f7f7", form: "Teredo", ipv4: "8.8.8.8", kind: "public" },
  // IPv4-compatible (deprecated by RFC 4291).
  { ipv6: "::7f00:1", form: "IPv4-compatible", ipv4: "127.0.0.1", kind: "loopback" },
  { ipv6: "::a9fe:a9fe", form: "IPv4-compatible", ipv4: "169.254.169.254", kind: "cloud-metadata" },
  { ipv6: "::a00:1", form: "IPv4-compatible", ipv4: "10.0.0.1", kind: "private" },
];
