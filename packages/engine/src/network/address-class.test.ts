import { describe, expect, it } from "vitest";
import { classifyAddress, describeFact, isLocalhostName, isMetadataName, parseIp, type AddressKind } from "./address-class.ts";
import { EMBEDDED_IPV4_CASES } from "./testing/embedded-ipv4-cases.ts";

const kindOf = (text: string) => classifyAddress(parseIp(text)!).facts[0]!.kind;

describe("parseIp", () => {
  it("reads every spelling the system resolver takes as an address, and nothing else", () => {
    const same: Record<string, string> = {
      "127.0.0.1": "127.0.0.1",
      "127.1": "127.0.0.1",
      "127.0.1": "127.0.0.1",
      "2130706433": "127.0.0.1",
      "0x7f000001": "127.0.0.1",
      "0x7f.1": "127.0.0.1",
      "0177.0.0.1": "127.0.0.1",
      "0xa9.0xfe.0xa9.0xfe": "169.254.169.254",
      "2852039166": "169.254.169.254",
      "[::1]": "::1",
      "0:0:0:0:0:0:0:1": "::1",
      "[::FFFF:7F00:1]": "::ffff:7f00:1",
      "fe80::1%eth0": "fe80::1%eth0",
    };
    for (const [text, address] of Object.entries(same)) expect(parseIp(text)?.toString(), text).toBe(address);
    for (const name of ["localhost", "db.example.com", "127.0.0.1.", "08.1.1.1", "1.2.3.4.5", "", "[]"]) expect(parseIp(name), name).toBeUndefined();
  });
});

describe("classifyAddress", () => {
  it("names the kind of plain IPv4 and IPv6 addresses", () => {
    const cases: Record<string, AddressKind> = {
      "127.0.0.1": "loopback",
      "127.255.1.2": "loopback",
      "10.1.2.3": "private",
      "172.16.0.1": "private",
      "172.31.255.255": "private",
      "192.168.1.1": "private",
      "169.254.1.1": "link-local",
      "169.254.169.254": "cloud-metadata",
      "169.254.170.2": "cloud-metadata",
      "100.100.100.200": "cloud-metadata",
      "168.63.129.16": "cloud-metadata",
      "100.64.0.1": "carrier-grade-nat",
      "0.0.0.0": "unspecified",
      "224.0.0.1": "multicast",
      "255.255.255.255": "reserved",
      "240.0.0.1": "reserved",
      "192.0.2.1": "reserved",
      "172.32.0.1": "public",
      "8.8.8.8": "public",
      "::1": "loopback",
      "::": "unspecified",
      "fc00::1": "private",
      "fd12:3456::1": "private",
      "fd00:ec2::254": "cloud-metadata",
      "fd20:ce::254": "cloud-metadata",
      "fe80::1": "link-local",
      "fe80::1%eth0": "link-local",
      "febf::1": "link-local",
      "fec0::1": "private",
      "ff02::1": "multicast",
      "2001:db8::1": "reserved",
      "2606:4700:4700::1111": "public",
    };
    for (const [address, kind] of Object.entries(cases)) expect(kindOf(address), address).toBe(kind);
  });

  it("finds the IPv4 address inside every IPv6 form that carries one", () => {
    for (const c of EMBEDDED_IPV4_CASES) {
      const facts = classifyAddress(parseIp(c.ipv6)!).facts;
      expect(facts.slice(1), c.ipv6).toContainEqual({ kind: c.kind, address: c.ipv4, form: c.form });
    }
    // Teredo carries the server's address too; local-use NAT64 is local whatever it carries.
    expect(classifyAddress(parseIp("2001:0:4136:e378:8000:63bf:f7f7:f7f7")!).facts.map((f) => f.address)).toEqual(["2001:0:4136:e378:8000:63bf:f7f7:f7f7", "65.54.227.120", "8.8.8.8"]);
    expect(kindOf("64:ff9b:1::808:808")).toBe("private");
    expect(kindOf("::808:808")).toBe("reserved");
    expect(classifyAddress(parseIp("2606:4700::1")!).facts).toHaveLength(1);
  });

  it("says what an address is in words", () => {
    const [, inner] = classifyAddress(parseIp("::ffff:0:a9fe:a9fe")!).facts;
    expect(describeFact(inner!)).toBe("a cloud metadata address (169.254.169.254 inside an IPv4-translated IPv6 address)");
    expect(describeFact({ kind: "loopback", address: "127.0.0.1", form: "6to4" })).toBe("a loopback address (127.0.0.1 inside a 6to4 IPv6 address)");
    expect(describeFact({ kind: "link-local", address: "fe80::1" })).toBe("a link-local address");
  });
});

describe("special names", () => {
  it("knows metadata service names and localhost, in any case and with the root's dot", () => {
    for (const n of ["metadata", "metadata.google.internal", "METADATA.GOOGLE.INTERNAL.", "metadata.goog", "instance-data.ec2.internal"]) expect(isMetadataName(n), n).toBe(true);
    for (const n of ["metadata.example.com", "google.internal", "my-metadata"]) expect(isMetadataName(n), n).toBe(false);
    for (const n of ["localhost", "LOCALHOST.", "app.localhost", "a.b.localhost."]) expect(isLocalhostName(n), n).toBe(true);
    for (const n of ["localhost.example.com", "notlocalhost", "localhost-1"]) expect(isLocalhostName(n), n).toBe(false);
  });
});
