import { describe, expect, it } from "vitest";
import { checkHost, type HttpGuardOptions } from "./address-guard.ts";
import { EMBEDDED_IPV4_CASES } from "../../network/testing/embedded-ipv4-cases.ts";

/** Offline DNS: these names answer as listed (case and the root's dot aside), any other is not found. */
const ZONE: Record<string, string[]> = {
  "api.example.test": ["93.184.216.34"],
  "v6.example.test": ["2606:2800:220:1::1"],
  "internal.example.test": ["10.0.0.5"],
  "rebind.example.test": ["93.184.216.34", "127.0.0.1"],
  "v6only.example.test": ["::1"],
  "mapped.example.test": ["::ffff:169.254.169.254"],
  "translated.example.test": ["::ffff:0:7f00:1"],
  "nat64.example.test": ["64:ff9b::a9fe:a9fe"],
  "teredo.example.test": ["2001:0:4136:e378:8000:63bf:80ff:fffe"],
  "aws.example.test": ["169.254.169.254"],
  "linklocal.example.test": ["fe80::1"],
  "127.0.0.1.nip.io": ["127.0.0.1"],
  "169.254.169.254.nip.io": ["169.254.169.254"],
  "cgnat.example.test": ["100.64.0.1"],
};
const lookup: HttpGuardOptions["lookup"] = async (host) => {
  const answer = ZONE[host.toLowerCase().replace(/\.$/, "")];
  if (!answer) throw Object.assign(new Error(`no ${host}`), { code: "ENOTFOUND" });
  return answer.map((address) => ({ address, family: address.includes(":") ? 6 : 4 }));
};

type Expected = "blocked" | "allowed" | "not found" | "not a URL";

/** URLs as a user or a redirect may spell them. */
const SPELLINGS: Record<Expected, string[]> = {
  blocked: [
    // Loopback in every IPv4 spelling the URL parser (like the system resolver) accepts.
    "http://127.0.0.1/",
    "http://127.0.0.1:8080/x",
    "http://127.1/",
    "http://127.0.1/",
    "http://2130706433/",
    "http://0x7f000001/",
    "http://0x7f.1/",
    "http://0x7F.0.0.1/",
    "http://0177.0.0.1/",
    "http://0177.1/",
    "http://017700000001/",
    "http://127.000.000.001/",
    "http://127.0.0.1./",
    "http://127.255.255.254/",
    "http://%31%32%37.0.0.1/",
    "http://①②⑦.0.0.1/",
    "http://127。0。0。1/",
    "http://user:pw@127.0.0.1/",
    "http://api.example.test@127.0.0.1/",
    "http://0/",
    "http://0.0.0.0/",
    "http://0x0/",
    // Cloud metadata and link-local.
    "http://169.254.169.254/latest/meta-data/",
    "http://2852039166/",
    "http://0xa9fea9fe/",
    "http://0251.0376.0251.0376/",
    "http://169.254.43518/",
    "http://0xa9.0xfe.0xa9.0xfe/",
    "http://169.254.169.254./",
    "http://169.254.1.1/",
    "http://169.254.170.2/v2/credentials",
    "http://100.100.100.200/latest/meta-data/",
    "http://168.63.129.16/",
    // Private, shared, reserved, multicast.
    "http://10.0.0.1/",
    "http://10.1/",
    "http://167772161/",
    "http://012.0.0.1/",
    "http://172.16.0.1/",
    "http://172.31.255.255/",
    "http://192.168.1.1/",
    "http://3232235777/",
    "http://0xc0a80101/",
    "http://100.64.0.1/",
    "http://192.0.0.1/",
    "http://198.18.0.1/",
    "http://224.0.0.1/",
    "http://240.0.0.1/",
    "http://255.255.255.255/",
    // IPv6 literals, including every form that carries an IPv4 address.
    "http://[::1]/",
    "http://[::1]:8080/",
    "http://[0:0:0:0:0:0:0:1]/",
    "http://[0000::1]/",
    "http://[::]/",
    "http://[::ffff:127.0.0.1]/",
    "http://[::FFFF:7F00:1]/",
    "http://[::ffff:0:7f00:1]:8080/",
    "http://[::ffff:0:a9fe:a9fe]/",
    "http://[::ffff:0:a00:1]/",
    "http://[64:ff9b:1::a9fe:a9fe]/",
    "http://[64:ff9b:1::808:808]/",
    "http://[64:ff9b::7f00:1]/",
    "http://[64:ff9b::169.254.169.254]/",
    "http://[2002:7f00:1::]/",
    "http://[2002:a9fe:a9fe::1]/",
    "http://[2001:0:4136:e378:8000:63bf:80ff:fffe]/",
    "http://[::7f00:1]/",
    "http://[::127.0.0.1]/",
    "http://[::808:808]/",
    "http://[::ffff:169.254.169.254]/",
    "http://[::ffff:a9fe:a9fe]/",
    "http://[fe80::1]/",
    "http://[FE80::1]/",
    "http://[febf::1]/",
    "http://[fd00:ec2::254]/",
    "http://[fd20:ce::254]/",
    "http://[fc00::1]/",
    "http://[fec0::1]/",
    "http://[ff02::1]/",
    "http://[2001:db8::1]/",
    // Names: localhost (never asked of DNS), metadata services, and names resolving to any of the above.
    "http://localhost/",
    "http://LOCALHOST/",
    "http://localhost./",
    "http://LocalHost.:8080/",
    "http://app.localhost/",
    "http://ⓛⓞⓒⓐⓛⓗⓞⓢⓣ/",
    "http://metadata.google.internal/computeMetadata/v1/",
    "http://METADATA.GOOGLE.INTERNAL./",
    "http://metadata/",
    "http://metadata.goog/",
    "http://instance-data/",
    "http://internal.example.test/",
    "http://INTERNAL.example.test./",
    "http://rebind.example.test/",
    "http://v6only.example.test/",
    "http://mapped.example.test/",
    "http://translated.example.test/",
    "http://nat64.example.test/",
    "http://teredo.example.test/",
    "http://aws.example.test/",
    "http://linklocal.example.test/",
    "http://127.0.0.1.nip.io/",
    "http://169.254.169.254.nip.io/",
    "http://cgnat.example.test/",
  ],
  allowed: [
    "http://8.8.8.8/",
    "http://134744072/",
    "http://0x8.0x8.0x8.0x8/",
    "http://172.32.0.1/",
    "http://[2606:4700:4700::1111]/",
    "http://[::ffff:8.8.8.8]/",
    "http://[64:ff9b::808:808]/",
    "http://[2002:808:808::1]/",
    "http://[2001:0:4136:e378:8000:63bf:f7f7:f7f7]/",
    "https://api.example.test/v1",
    "http://API.EXAMPLE.TEST./",
    "http://localhost@api.example.test/",
    "http://v6.example.test/",
  ],
  "not found": ["http://nope.example.test/", "http://localhost.example.test/", "http://metadata.example.test/"],
  // The URL parser refuses zone ids and malformed literals, so they never reach the guard.
  "not a URL": ["http://[fe80::1%25eth0]/", "http://[fe80::1%eth0]/", "http://[::1/", "http://[127.0.0.1]/", "http://127.0.0.256/", "http://0x100000000/"],
};

async function outcome(url: string): Promise<Expected> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return "not a URL";
  }
  const v = await checkHost(parsed, { lookup });
  return v.ok ? "allowed" : v.code === "HTTP_DNS_FAILED" ? "not found" : "blocked";
}

describe("checkHost", () => {
  it("judges over a hundred spellings of hosts, offline", async () => {
    const all = Object.entries(SPELLINGS).flatMap(([expected, urls]) => urls.map((url) => [url, expected] as const));
    expect(all.length).toBeGreaterThanOrEqual(100);
    const wrong = [];
    for (const [url, expected] of all) {
      const got = await outcome(url);
      if (got !== expected) wrong.push(`${url}: expected ${expected}, got ${got}`);
    }
    expect(wrong).toEqual([]);
  });

  it("judges every IPv6 form by the IPv4 address inside it", async () => {
    for (const c of EMBEDDED_IPV4_CASES) {
      const v = await checkHost(new URL(`http://[${c.ipv6}]/`), {});
      expect(v.ok, c.ipv6).toBe(c.kind === "public" && c.form !== "local-use NAT64" && c.form !== "IPv4-compatible");
    }
  });

  it("says which address was refused, why, and who can allow it", async () => {
    const v = await checkHost(new URL("http://[::ffff:0:7f00:1]:8080/"), {});
    expect(!v.ok && v.message).toBe(
      "::ffff:0:7f00:1 is a loopback address (127.0.0.1 inside an IPv4-translated IPv6 address); the HTTP source only reads from public addresses. An administrator can allow it with HTTP_SOURCE_ALLOWLIST.",
    );
    const named = await checkHost(new URL("https://rebind.example.test/"), { lookup });
    expect(!named.ok && named.message).toContain('"rebind.example.test" resolves to 127.0.0.1, a loopback address');
    const missing = await checkHost(new URL("http://nope.example.test/"), { lookup });
    expect(missing).toMatchObject({ ok: false, code: "HTTP_DNS_FAILED", message: expect.stringContaining("ENOTFOUND") });
  });

  it("pins the first of the addresses it checked", async () => {
    expect(await checkHost(new URL("https://api.example.test/"), { lookup })).toEqual({ ok: true, address: "93.184.216.34", family: 4 });
    expect(await checkHost(new URL("http://[::ffff:8.8.8.8]/"), {})).toEqual({ ok: true, address: "::ffff:808:808", family: 6 });
  });

  it("lets an allowlist open hosts, single addresses and CIDR ranges", async () => {
    const guard = { allowlist: ["127.0.0.1", "api.internal", "10.0.0.0/8", "fd00::/8"], lookup: async () => [{ address: "192.168.0.9", family: 4 }] };
    expect(await checkHost(new URL("http://127.0.0.1:3000/"), guard)).toEqual({ ok: true, address: "127.0.0.1", family: 4 });
    expect((await checkHost(new URL("http://127.0.0.2/"), guard)).ok).toBe(false);
    expect((await checkHost(new URL("http://API.internal./"), guard)).ok).toBe(true);
    const corp = (...addresses: string[]) => ({ ...guard, lookup: async () => addresses.map((address) => ({ address, family: 4 })) });
    expect((await checkHost(new URL("http://db.corp/"), corp("10.9.8.7"))).ok).toBe(true);
    expect((await checkHost(new URL("http://db.corp/"), corp("10.9.8.7", "192.168.1.1"))).ok).toBe(false);
    expect((await checkHost(new URL("http://[::ffff:10.1.1.1]/"), guard)).ok).toBe(true);
    expect((await checkHost(new URL("http://[::ffff:0:a00:1]/"), guard)).ok).toBe(true);
    expect((await checkHost(new URL("http://[fd12::1]/"), guard)).ok).toBe(true);
    expect((await checkHost(new URL("http://[::ffff:0:7f00:2]/"), guard)).ok).toBe(false);
  });
});
