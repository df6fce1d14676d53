import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectionAddresses, ConnectionAddressRefused, refusedAddress, trustingHost } from "./connection-address.ts";
import type { PostgresConnectionSettings } from "./connector.ts";
import { connectIssue } from "./connectors/postgres-errors.ts";
import type { AddressPolicy } from "./network/address-policy.ts";
import { EMBEDDED_IPV4_CASES } from "./network/testing/embedded-ipv4-cases.ts";
import { connectPostgres, postgresClientConfig, testPostgresConnection } from "./postgres-connection.ts";

/** The local test server (trust auth); override with SLUICE_TEST_POSTGRES_URL. */
const local = new URL(process.env.SLUICE_TEST_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres");
const base: PostgresConnectionSettings = {
  host: local.hostname,
  port: Number(local.port || 5432),
  database: "postgres",
  user: decodeURIComponent(local.username) || "postgres",
  password: decodeURIComponent(local.password),
  sslMode: "disable",
};

/** Offline DNS: these names answer as listed, any other is not found; every question is recorded. */
const asked: string[] = [];
const dns = (table: Record<string, string[]>): AddressPolicy["lookup"] => async (host) => {
  asked.push(host);
  const answer = table[host];
  if (!answer) throw Object.assign(new Error(`no ${host}`), { code: "ENOTFOUND" });
  return answer.map((address) => ({ address, family: address.includes(":") ? 6 : 4 }));
};
const lookup = dns({
  "warehouse.test": [local.hostname],
  "both.test": ["::1", local.hostname],
  "db.corp": ["10.20.30.40"],
  "meta.test": ["169.254.169.254"],
  "sneaky.test": ["10.0.0.1", "::ffff:0:a9fe:a9fe"],
});
const at = (host: string, addressPolicy: AddressPolicy = { reach: "private", lookup }) => ({ ...base, host, addressPolicy });

/** Accepts connections and never answers, counting them: a port that is open but silent. */
let silent: net.Server;
let silentPort = 0;
let silentConnections = 0;
beforeAll(async () => {
  silent = net.createServer(() => silentConnections++);
  await new Promise<void>((r) => silent.listen(0, "127.0.0.1", r));
  silentPort = (silent.address() as net.AddressInfo).port;
});
afterAll(() => new Promise<void>((r) => silent.close(() => r())));

describe("connection address policy", () => {
  it("refuses the reported addresses, by literal, name and IPv6 form, before connecting", async () => {
    for (const host of ["169.254.169.254", "metadata.google.internal", "[::ffff:169.254.169.254]", "::ffff:169.254.169.254"]) {
      const r = await connectionAddresses(at(host));
      expect(r, host).toMatchObject({ ok: false, issues: [{ code: "CONNECTION_ADDRESS_REFUSED", field: "host" }] });
      await expect(connectPostgres(at(host)), host).rejects.toBeInstanceOf(ConnectionAddressRefused);
    }
    // Settings stored before there was a policy carry none: the default one still applies.
    const { addressPolicy: _none, ...stored } = at("169.254.169.254");
    await expect(connectPostgres(stored)).rejects.toMatchObject({ code: "CONNECTION_ADDRESS_REFUSED" });
    expect(asked).not.toContain("metadata.google.internal");
  });

  it("refuses link-local and metadata, however they are spelled or resolved, and allows private networks and loopback", async () => {
    const refused = ["169.254.1.1", "2852039166", "0xa9.0xfe.0xa9.0xfe", "169.254.43518", "fe80::1", "[FE80::1]", "fd00:ec2::254", "fd20:ce::254", "100.100.100.200", "168.63.129.16", "metadata", "METADATA.google.internal.", "metadata.goog", "meta.test", "sneaky.test"];
    for (const host of refused) expect(await refusedAddress(at(host)), host).toMatchObject({ code: "CONNECTION_ADDRESS_REFUSED" });
    const allowed = ["127.0.0.1", "127.1", "::1", "[::1]", "localhost", "LOCALHOST.", "10.0.0.5", "172.16.4.4", "192.168.1.20", "fd12:3456::7", "100.64.3.3", "8.8.8.8", "db.corp", "warehouse.test"];
    for (const host of allowed) expect(await refusedAddress(at(host)), host).toBeUndefined();
    expect(await connectionAddresses(at("db.corp"))).toEqual({ ok: true, value: ["10.20.30.40"] });
  });

  it("judges every IPv6 form by the IPv4 address inside it, as the HTTP source does", async () => {
    for (const c of EMBEDDED_IPV4_CASES) {
      const refused = await refusedAddress(at(c.ipv6));
      expect(refused !== undefined, `${c.ipv6} carries ${c.ipv4}`).toBe(c.kind === "link-local" || c.kind === "cloud-metadata");
    }
  });

  it("says what was refused and who can allow it; names that do not resolve are left to the connection", async () => {
    const issue = await refusedAddress(at("sneaky.test"));
    expect(issue?.message).toBe(
      '"sneaky.test" resolves to ::ffff:0:a9fe:a9fe, a cloud metadata address (169.254.169.254 inside an IPv4-translated IPv6 address); database connections may reach private networks and this machine, but not link-local addresses or cloud metadata services. An administrator can allow a host with CONNECTION_ALLOWLIST.',
    );
    expect(await refusedAddress(at("nowhere.test"))).toBeUndefined();
    expect(await connectionAddresses(at("nowhere.test"))).toMatchObject({ ok: false, issues: [{ code: "CONNECTION_HOST_NOT_FOUND" }] });
    const strict = await refusedAddress(at("10.0.0.5", { reach: "public" }));
    expect(strict?.message).toContain("reach public addresses only (CONNECTION_ADDRESS_POLICY=public)");
  });

  it("follows the allowlist and the denylist", async () => {
    expect(await refusedAddress(at("169.254.10.10", { reach: "private", allowlist: ["169.254.10.0/24"] }))).toBeUndefined();
    expect(await refusedAddress(at("meta.test", { reach: "private", allowlist: ["meta.test"], lookup }))).toBeUndefined();
    expect(await refusedAddress(at("10.0.0.5", { reach: "private", denylist: ["10.0.0.0/8"] }))).toMatchObject({
      code: "CONNECTION_ADDRESS_REFUSED",
      message: "10.0.0.5 is on the administrator's deny list (CONNECTION_DENYLIST), so Sluice does not connect to it.",
    });
    expect(await refusedAddress(at("db.corp", { reach: "private", denylist: ["DB.CORP"], lookup }))).toMatchObject({ code: "CONNECTION_ADDRESS_REFUSED" });
  });
});

describe("connectPostgres", () => {
  it("resolves once and connects to the checked address, keeping the name for TLS", async () => {
    asked.length = 0;
    const client = await connectPostgres(at("warehouse.test"));
    try {
      expect((await client.query<{ one: number }>("SELECT 1 AS one")).rows).toEqual([{ one: 1 }]);
    } finally {
      await client.end();
    }
    expect(asked).toEqual(["warehouse.test"]);
    const config = postgresClientConfig({ ...base, host: "db.example.com.", sslMode: "verify-full" }, {}, "10.1.2.3");
    expect(config).toMatchObject({ host: "10.1.2.3", ssl: { rejectUnauthorized: true, servername: "db.example.com" } });
    expect(postgresClientConfig({ ...base, host: "10.1.2.3", sslMode: "require" }, {}, "10.1.2.3").ssl).toEqual({ rejectUnauthorized: false });
  });

  it("tries the host's next checked address when one cannot be reached", async () => {
    const client = await connectPostgres(at("both.test"));
    await client.end();
  });

  it("gives a refused address the same answer whatever its port state: open, closed or silent", async () => {
    const closed = await new Promise<number>((resolve) => {
      const s = net.createServer().listen(0, "127.0.0.1", () => {
        const port = (s.address() as net.AddressInfo).port;
        s.close(() => resolve(port));
      });
    });
    const denyLoopback: AddressPolicy = { reach: "private", denylist: ["127.0.0.0/8", "::1"] };
    const answers = new Set<string>();
    const before = silentConnections;
    for (const port of [base.port, closed, silentPort]) {
      const started = Date.now();
      const settings = { ...at("127.0.0.1", denyLoopback), port };
      const test = await testPostgresConnection(settings);
      let thrown: unknown;
      await connectPostgres(settings).catch((e: unknown) => (thrown = e));
      answers.add(JSON.stringify({ ok: test.ok, message: test.message, issue: connectIssue("SOURCE_UNREACHABLE", thrown, settings, "n") }));
      // Well under the 5 s a connection to the silent port waits for an answer, also on a busy machine.
      expect(Date.now() - started).toBeLessThan(4000);
    }
    expect(answers.size).toBe(1);
    expect(JSON.parse([...answers][0]!)).toMatchObject({ ok: false, issue: { code: "CONNECTION_ADDRESS_REFUSED", nodeId: "n", field: "connectionId" } });
    expect(silentConnections).toBe(before);
    // For allowed addresses the answer still helps: a closed port says so.
    expect((await testPostgresConnection({ ...base, port: closed })).message).toMatch(/Nothing is listening/);
  });
});

describe("trustingHost", () => {
  it("lets an administrator's host through a strict policy, not past the denylist, and leaves a host no list can name to the policy", async () => {
    const strict: AddressPolicy = { reach: "public", allowlist: ["10.0.0.0/8"], denylist: ["192.168.0.0/16"], lookup };
    expect(trustingHost(strict, "127.0.0.1")).toEqual({ ...strict, allowlist: ["10.0.0.0/8", "127.0.0.1"] });
    expect(await connectionAddresses({ host: "127.0.0.1", addressPolicy: trustingHost(strict, "127.0.0.1") })).toEqual({ ok: true, value: ["127.0.0.1"] });
    expect(await refusedAddress({ host: "192.168.1.5", addressPolicy: trustingHost(strict, "192.168.1.5") })).toMatchObject({ code: "CONNECTION_ADDRESS_REFUSED" });
    expect(trustingHost(strict, "not a host")).toBe(strict);
  });
});
