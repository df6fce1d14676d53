import { describe, expect, it } from "vitest";
import { blockedReason, checkHost, embeddedIpv4, ipv6Bytes, parseAllowlist } from "./address-guard.ts";

const lookupTo = (...addresses: string[]) => async () => addresses.map((address) => ({ address, family: address.includes(":") ? 6 : 4 }));

describe("blockedReason", () => {
  it("blocks loopback, private, link-local, unspecified, CGNAT, multicast and reserved IPv4", () => {
    const cases: Record<string, string | undefined> = {
      "127.0.0.1": "loopback",
      "127.255.1.2": "loopback",
      "10.1.2.3": "private",
      "172.16.0.1": "private",
      "172.31.255.255": "private",
      "192.168.1.1": "private",
      "169.254.169.254": "link-local (cloud metadata)",
      "0.0.0.0": "unspecified",
      "100.100.100.200": "carrier-grade NAT (and some cloud metadata)",
      "192.0.0.192": "reserved (and some cloud metadata)",
      "224.0.0.1": "multicast",
      "255.255.255.255": "reserved",
      "172.32.0.1": undefined,
      "8.8.8.8": undefined,
      "1.1.1.1": undefined,
    };
    for (const [address, reason] of Object.entries(cases)) expect(blockedReason(address), address).toBe(reason);
  });

  it("blocks IPv6 loopback, unique local, link-local and IPv4 hidden in IPv6", () => {
    const cases: Record<string, string | undefined> = {
      "::1": "loopback",
      "::": "unspecified",
      "fc00::1": "private (unique local, and some cloud metadata)",
      "fd00:ec2::254": "private (unique local, and some cloud metadata)",
      "fe80::1": "link-local",
      "fe80::1%eth0": "link-local",
      "ff02::1": "multicast",
      "::ffff:127.0.0.1": "loopback (inside an IPv6 address)",
      "::ffff:7f00:1": "loopback (inside an IPv6 address)",
      "::ffff:a9fe:a9fe": "link-local (cloud metadata) (inside an IPv6 address)",
      "64:ff9b::a00:1": "private (inside an IPv6 address)",
      "2002:c0a8:101::1": "private (inside an IPv6 address)",
      "::7f00:1": "reserved (IPv4-compatible)",
      "::ffff:8.8.8.8": undefined,
      "2606:4700:4700::1111": undefined,
    };
    for (const [address, reason] of Object.entries(cases)) expect(blockedReason(address), address).toBe(reason);
  });

  it("parses IPv6 forms", () => {
    expect(ipv6Bytes("::1")).toEqual([...Array<number>(15).fill(0), 1]);
    expect(ipv6Bytes("::ffff:1.2.3.4").slice(10)).toEqual([0xff, 0xff, 1, 2, 3, 4]);
    expect(embeddedIpv4("::ffff:7f00:1")).toBe("127.0.0.1");
    expect(embeddedIpv4("2001:db8::1")).toBeUndefined();
  });
});

describe("checkHost", () => {
  it("refuses numeric host spellings of loopback, as the URL parser normalises them", async () => {
    for (const url of ["http://2130706433/", "http://0177.0.0.1/", "http://0x7f.1/", "http://127.1/", "http://127.000.000.001/", "http://[::ffff:127.0.0.1]/", "http://[::1]:8080/", "http://[0:0:0:0:0:0:0:1]/", "http://0/"]) {
      const v = await checkHost(new URL(url), {});
      expect(v.ok, url).toBe(false);
      expect(!v.ok && v.code, url).toBe("HTTP_ADDRESS_BLOCKED");
    }
  });

  it("checks every address a name resolves to and pins the first", async () => {
    const mixed = await checkHost(new URL("https://api.example.test/"), { lookup: lookupTo("93.184.216.34", "10.0.0.5") });
    expect(mixed).toMatchObject({ ok: false, code: "HTTP_ADDRESS_BLOCKED" });
    expect(!mixed.ok && mixed.message).toContain('"api.example.test" resolves to 10.0.0.5, a private address');
    const fine = await checkHost(new URL("https://api.example.test/"), { lookup: lookupTo("93.184.216.34", "2606:2800:220:1::1") });
    expect(fine).toEqual({ ok: true, address: "93.184.216.34", family: 4 });
    const localhost = await checkHost(new URL("http://localhost/"), {});
    expect(localhost).toMatchObject({ ok: false, code: "HTTP_ADDRESS_BLOCKED" });
  });

  it("refuses metadata names without asking DNS, and reports DNS failures", async () => {
    let asked = false;
    const v = await checkHost(new URL("http://metadata.google.internal/computeMetadata/v1/"), {
      lookup: async () => {
        asked = true;
        return [];
      },
    });
    expect(v).toMatchObject({ ok: false, code: "HTTP_ADDRESS_BLOCKED" });
    expect(asked).toBe(false);
    const missing = await checkHost(new URL("http://nope.invalid/"), {
      lookup: async () => {
        throw Object.assign(new Error("not found"), { code: "ENOTFOUND" });
      },
    });
    expect(missing).toMatchObject({ ok: false, code: "HTTP_DNS_FAILED" });
  });

  it("lets an allowlist open hosts, single addresses and CIDR ranges", async () => {
    const guard = { allowlist: ["127.0.0.1", "api.internal", "10.0.0.0/8", "fd00::/8"] };
    expect(await checkHost(new URL("http://127.0.0.1:3000/"), guard)).toEqual({ ok: true, address: "127.0.0.1", family: 4 });
    expect((await checkHost(new URL("http://127.0.0.2/"), guard)).ok).toBe(false);
    expect((await checkHost(new URL("http://API.internal./"), { ...guard, lookup: lookupTo("192.168.0.9") })).ok).toBe(true);
    expect((await checkHost(new URL("http://db.corp/"), { ...guard, lookup: lookupTo("10.9.8.7") })).ok).toBe(true);
    expect((await checkHost(new URL("http://db.corp/"), { ...guard, lookup: lookupTo("10.9.8.7", "192.168.1.1") })).ok).toBe(false);
    expect((await checkHost(new URL("http://[::ffff:10.1.1.1]/"), guard)).ok).toBe(true);
    expect((await checkHost(new URL("http://[fd12::1]/"), guard)).ok).toBe(true);
    expect(parseAllowlist([" ", ""]).allowsAddress("127.0.0.1")).toBe(false);
  });
});
