import { describe, expect, it } from "vitest";
import { compilePolicy, hostListEntryProblem, parseHostList, resolveAllowed, type AddressPolicy } from "./address-policy.ts";
import { parseIp } from "./address-class.ts";
import { EMBEDDED_IPV4_CASES } from "./testing/embedded-ipv4-cases.ts";

/** An offline resolver: names map to fixed answers, anything else is not found. */
const dns = (table: Record<string, string[]>) => async (host: string) => {
  const answer = table[host];
  if (!answer) throw Object.assign(new Error(`no ${host}`), { code: "ENOTFOUND" });
  return answer.map((address) => ({ address, family: address.includes(":") ? 6 : 4 }));
};
const check = (host: string, p: AddressPolicy) => resolveAllowed(host, compilePolicy(p));

describe("resolveAllowed", () => {
  it("under the private reach, lets private networks and loopback through and refuses link-local and metadata", async () => {
    const p: AddressPolicy = { reach: "private", lookup: dns({ "db.corp": ["10.1.2.3"], "evil.example": ["169.254.169.254"], "mixed.example": ["10.0.0.1", "fe80::1"] }) };
    for (const host of ["127.0.0.1", "::1", "10.0.0.5", "172.20.1.1", "192.168.0.10", "fd12::1", "100.64.1.1", "8.8.8.8", "db.corp", "localhost"]) {
      expect((await check(host, p)).ok, host).toBe(true);
    }
    for (const host of ["169.254.169.254", "169.254.1.1", "fe80::1", "[fe80::1]", "fd00:ec2::254", "100.100.100.200", "2852039166", "evil.example", "mixed.example", "metadata.google.internal", "Metadata.Google.Internal.", "metadata"]) {
      expect(await check(host, p), host).toMatchObject({ ok: false, code: "ADDRESS_REFUSED" });
    }
    expect(await check("db.corp", p)).toEqual({ ok: true, addresses: [{ address: "10.1.2.3", family: 4 }] });
    expect(await check("localhost.", p)).toEqual({ ok: true, addresses: [{ address: "127.0.0.1", family: 4 }, { address: "::1", family: 6 }] });
  });

  it("judges every IPv6 form by the IPv4 address it carries, under both reaches", async () => {
    for (const c of EMBEDDED_IPV4_CASES) {
      const privateReach = await check(c.ipv6, { reach: "private" });
      expect(privateReach.ok, `${c.ipv6} (private reach)`).toBe(c.kind !== "link-local" && c.kind !== "cloud-metadata");
      const publicReach = await check(`[${c.ipv6}]`, { reach: "public" });
      // Local-use NAT64 and IPv4-compatible addresses are never public themselves.
      expect(publicReach.ok, `${c.ipv6} (public reach)`).toBe(c.kind === "public" && c.form !== "local-use NAT64" && c.form !== "IPv4-compatible");
    }
  });

  it("says which address was refused, and why", async () => {
    const p: AddressPolicy = { reach: "private", lookup: dns({ "db.example": ["10.0.0.1", "::ffff:0:a9fe:a9fe"] }) };
    expect(await check("db.example", p)).toEqual({
      ok: false,
      code: "ADDRESS_REFUSED",
      denied: false,
      message: '"db.example" resolves to ::ffff:0:a9fe:a9fe, a cloud metadata address (169.254.169.254 inside an IPv4-translated IPv6 address)',
    });
    expect(await check("169.254.1.1", p)).toMatchObject({ message: "169.254.1.1 is a link-local address" });
    expect(await check("metadata.google.internal", p)).toMatchObject({ message: '"metadata.google.internal" is a cloud metadata service' });
  });

  it("never asks DNS about metadata names or localhost, and reports names that do not resolve", async () => {
    const asked: string[] = [];
    const lookup = async (h: string) => {
      asked.push(h);
      return [];
    };
    await check("metadata.google.internal", { reach: "private", lookup });
    await check("LOCALHOST.", { reach: "public", lookup });
    expect(asked).toEqual([]);
    expect(await check("nope.invalid", { reach: "private", lookup: dns({}) })).toMatchObject({ ok: false, code: "ADDRESS_NOT_FOUND", cause: "ENOTFOUND" });
    expect(await check("empty.example", { reach: "private", lookup })).toMatchObject({ ok: false, code: "ADDRESS_NOT_FOUND" });
  });

  it("lets the allowlist open names, addresses and ranges, and the denylist close them, over the allowlist", async () => {
    const lookup = dns({ "meta.corp": ["169.254.10.10"], "db.corp": ["10.9.8.7"], "api.internal": ["192.168.0.9"] });
    const p: AddressPolicy = { reach: "public", allowlist: ["127.0.0.1", "API.internal.", "10.0.0.0/8", "[fd00::]/8", "169.254.10.0/24"], denylist: ["10.66.0.0/16", "blocked.corp"], lookup };
    for (const host of ["127.0.0.1", "api.internal", "db.corp", "::ffff:10.1.1.1", "fd12::1", "meta.corp"]) expect((await check(host, p)).ok, host).toBe(true);
    for (const host of ["127.0.0.2", "10.66.1.1", "::ffff:10.66.1.1", "blocked.corp", "BLOCKED.CORP."]) expect((await check(host, p)).ok, host).toBe(false);
    expect(await check("10.66.1.1", p)).toMatchObject({ message: "10.66.1.1 is on the administrator's deny list", denied: true });
    // A denylist narrows even the permissive reach, for example to keep connections off one subnet.
    expect((await check("192.168.5.5", { reach: "private", denylist: ["192.168.0.0/16"] })).ok).toBe(false);
  });
});

describe("host lists", () => {
  it("accepts names, addresses and CIDR ranges, and says what is wrong with anything else", () => {
    for (const ok of ["db.corp", "10.0.0.0/8", "10.1.2.3", "fd00::/8", "[fd00::]/8", "::1", "Db-1.Example.COM."]) expect(hostListEntryProblem(ok), ok).toBeUndefined();
    for (const bad of ["10.0.0.0/33", "fd00::/129", "10.0.0.0/x", "http://x", "a b", "*.corp", ".corp"]) expect(hostListEntryProblem(bad), bad).toBeTruthy();
    expect(() => parseHostList(["10.0.0.0/33"])).toThrow(/not a CIDR range/);
    const list = parseHostList([" ", "", "10.0.0.0/8"]);
    expect(list.hasAddress(parseIp("10.2.3.4")!)).toBe(true);
    expect(list.hasAddress(parseIp("::ffff:10.2.3.4")!)).toBe(true);
    expect(list.hasAddress(parseIp("11.0.0.1")!)).toBe(false);
  });
});
