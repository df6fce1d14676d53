import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fetchJson } from "./guarded-fetch.ts";
import { json, redirect, startTestServer } from "../testing/test-http-server.ts";
import type { HttpGuardOptions } from "./address-guard.ts";

let server: Awaited<ReturnType<typeof startTestServer>>;
const never = new AbortController().signal;
const get = (url: string, headers: { name: string; value: string }[] = []) => ({ url, method: "GET" as const, headers });

/** Pretends two public names point at the local server; only they are allowlisted, not 127.0.0.1 itself. */
const viaNames: HttpGuardOptions = {
  allowlist: ["api.example.test", "other.example.test"],
  lookup: async (host) => [{ address: host === "internal.example.test" ? "10.0.0.5" : "127.0.0.1", family: 4 }],
};
const allowLocal: HttpGuardOptions = { allowlist: ["127.0.0.1"] };

beforeAll(async () => {
  server = await startTestServer({
    "/data": json({ items: [1, 2] }),
    "/echo": (req, res) => res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ method: req.method, host: req.headers.host, auth: req.headers.authorization ?? null, body: req.body })),
    "/to-loopback": (_req, res) => redirect(`http://127.0.0.1:${server.port}/data`)(_req, res),
    "/to-mapped": (_req, res) => redirect(`http://[::ffff:127.0.0.1]:${server.port}/data`)(_req, res),
    "/to-decimal": (_req, res) => redirect(`http://2130706433:${server.port}/data`)(_req, res),
    "/to-translated": (_req, res) => redirect(`http://[::ffff:0:7f00:1]:${server.port}/data`)(_req, res),
    "/to-nat64": (_req, res) => redirect(`http://[64:ff9b:1::a9fe:a9fe]:${server.port}/data`)(_req, res),
    "/to-localhost": (_req, res) => redirect(`http://LOCALHOST.:${server.port}/data`)(_req, res),
    "/to-private-name": (_req, res) => redirect(`http://internal.example.test:${server.port}/data`)(_req, res),
    "/to-metadata": redirect("http://169.254.169.254/latest/meta-data/"),
    "/to-file": redirect("file:///etc/passwd"),
    "/to-other": (_req, res) => redirect(`http://other.example.test:${server.port}/echo`)(_req, res),
    "/relative": redirect("/data", 301),
    "/loop": redirect("/loop"),
    "/post-see-other": redirect("/echo", 303),
    "/post-temporary": redirect("/echo", 307),
    "/big": (_req, res) => res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ pad: "x".repeat(5000) })),
    "/big-chunked": (_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.write('{"pad":"');
      res.end(`${"x".repeat(5000)}"}`);
    },
    "/bomb": (_req, res) => res.writeHead(200, { "content-type": "application/json", "content-encoding": "gzip" }).end(gzipSync(JSON.stringify({ pad: "0".repeat(10_000_000) }))),
    "/gzip": (_req, res) => res.writeHead(200, { "content-encoding": "gzip" }).end(gzipSync(JSON.stringify({ ok: true }))),
    "/silent": () => undefined,
    "/html": (_req, res) => res.writeHead(200, { "content-type": "text/html" }).end("<html>hello</html>"),
    "/missing": json({ error: "no such thing" }, 404),
  });
});
afterAll(() => server?.close());

describe("fetchJson", () => {
  it("refuses the local server unless allowlisted, without sending it anything", async () => {
    const before = server.seen.length;
    const refused = await fetchJson(get(`${server.base}/data`), {}, never);
    expect(refused).toMatchObject({ ok: false, issues: [{ code: "HTTP_ADDRESS_BLOCKED" }] });
    expect(!refused.ok && refused.issues[0]?.message).toContain("127.0.0.1 is a loopback address");
    expect(server.seen.length).toBe(before);
    const allowed = await fetchJson(get(`${server.base}/data`), allowLocal, never);
    expect(allowed).toMatchObject({ ok: true, value: { json: { items: [1, 2] }, url: `${server.base}/data` } });
  });

  it("refuses IPv6 spellings of this machine and of metadata services before connecting", async () => {
    const before = server.connections();
    for (const host of ["[::ffff:0:7f00:1]", "[::ffff:0:a9fe:a9fe]", "[::ffff:0:a00:1]", "[64:ff9b:1::a9fe:a9fe]", "[::ffff:7f00:1]", "[64:ff9b::7f00:1]", "[2002:7f00:1::]", "[::127.0.0.1]", "[::1]"]) {
      const r = await fetchJson(get(`http://${host}:${server.port}/data`), {}, never);
      expect(!r.ok && r.issues[0]?.code, host).toBe("HTTP_ADDRESS_BLOCKED");
    }
    expect(server.connections()).toBe(before);
  });

  it("says so when the allowlist cannot be used, instead of throwing", async () => {
    const r = await fetchJson(get(`${server.base}/data`), { allowlist: ["10.0.0.0/33"] }, never);
    expect(r).toMatchObject({ ok: false, issues: [{ code: "HTTP_ALLOWLIST_INVALID", message: expect.stringContaining('"10.0.0.0/33" is not a CIDR range') }] });
  });

  it("resolves a name once per request and connects to that answer, whatever DNS says next", async () => {
    const answers = ["127.0.0.1", "10.255.255.1"];
    const asked: string[] = [];
    const rebinding: HttpGuardOptions = {
      allowlist: ["127.0.0.1"],
      lookup: async (host) => {
        asked.push(host);
        return [{ address: answers[Math.min(asked.length - 1, 1)]!, family: 4 }];
      },
    };
    const r = await fetchJson(get(`http://rebind.example.test:${server.port}/data`), rebinding, never);
    expect(r).toMatchObject({ ok: true, value: { json: { items: [1, 2] } } });
    expect(asked).toEqual(["rebind.example.test"]);
  });

  it("connects to the checked address while keeping the name in the Host header", async () => {
    const r = await fetchJson(get(`http://api.example.test:${server.port}/echo`), viaNames, never);
    expect(r.ok && r.value.json).toMatchObject({ host: `api.example.test:${server.port}` });
  });

  it("checks every redirect: loopback, IPv6 forms carrying IPv4, decimal hosts, localhost, private names, metadata, other schemes", async () => {
    for (const [path, text] of [
      ["/to-loopback", "127.0.0.1 is a loopback"],
      ["/to-mapped", "a loopback address (127.0.0.1 inside an IPv4-mapped IPv6 address)"],
      ["/to-translated", "a loopback address (127.0.0.1 inside an IPv4-translated IPv6 address)"],
      ["/to-nat64", "a cloud metadata address (169.254.169.254 inside a local-use NAT64 IPv6 address)"],
      ["/to-decimal", "127.0.0.1 is a loopback"],
      ["/to-localhost", '"localhost." resolves to 127.0.0.1, a loopback address'],
      ["/to-private-name", '"internal.example.test" resolves to 10.0.0.5, a private address'],
      ["/to-metadata", "169.254.169.254 is a cloud metadata address"],
      ["/to-file", "file: URL"],
    ] as const) {
      const r = await fetchJson(get(`http://api.example.test:${server.port}${path}`), viaNames, never);
      expect(!r.ok && r.issues[0]?.code, path).toBe("HTTP_ADDRESS_BLOCKED");
      expect(!r.ok && r.issues[0]?.message, path).toContain(text);
    }
  });

  it("follows relative redirects, stops after 5, and drops headers when the origin changes", async () => {
    expect((await fetchJson(get(`${server.base}/relative`), allowLocal, never)).ok).toBe(true);
    const loop = await fetchJson(get(`${server.base}/loop`), allowLocal, never);
    expect(!loop.ok && loop.issues[0]?.code).toBe("HTTP_TOO_MANY_REDIRECTS");
    const auth = [{ name: "Authorization", value: "Bearer secret" }];
    const same = await fetchJson(get(`http://api.example.test:${server.port}/echo`, auth), viaNames, never);
    expect(same.ok && same.value.json).toMatchObject({ auth: "Bearer secret" });
    const moved = await fetchJson(get(`http://api.example.test:${server.port}/to-other`, auth), viaNames, never);
    expect(moved.ok && moved.value.json).toMatchObject({ host: `other.example.test:${server.port}`, auth: null });
  });

  it("turns a POST into a GET on 303 and keeps it on 307", async () => {
    const post = (path: string) => fetchJson({ url: `${server.base}${path}`, method: "POST", headers: [], body: '{"q":1}' }, allowLocal, never);
    expect((await post("/post-see-other")).ok && (await post("/post-see-other"))).toMatchObject({ value: { json: { method: "GET", body: "" } } });
    expect(await post("/post-temporary")).toMatchObject({ value: { json: { method: "POST", body: '{"q":1}' } } });
  });

  it("caps response size, also after decompression", async () => {
    const guard = { ...allowLocal, maxResponseBytes: 1000 };
    for (const path of ["/big", "/big-chunked", "/bomb"]) {
      const r = await fetchJson(get(`${server.base}${path}`), guard, never);
      expect(!r.ok && r.issues[0]?.code, path).toBe("HTTP_TOO_LARGE");
    }
    expect(await fetchJson(get(`${server.base}/gzip`), guard, never)).toMatchObject({ ok: true, value: { json: { ok: true } } });
  });

  it("times out, and reports statuses and non-JSON answers", async () => {
    const started = Date.now();
    const slow = await fetchJson(get(`${server.base}/silent`), { ...allowLocal, timeoutMs: 300 }, never);
    expect(!slow.ok && slow.issues[0]?.code).toBe("HTTP_TIMEOUT");
    // The server never answers: only the 300 ms timeout ends the request.
    expect(Date.now() - started).toBeLessThan(5000);
    const missing = await fetchJson(get(`${server.base}/missing`), allowLocal, never);
    expect(!missing.ok && missing.issues[0]).toMatchObject({ code: "HTTP_STATUS", message: expect.stringContaining("404") });
    const html = await fetchJson(get(`${server.base}/html`), allowLocal, never);
    expect(!html.ok && html.issues[0]?.code).toBe("HTTP_NOT_JSON");
  });

  it("stops when cancelled", async () => {
    const abort = new AbortController();
    setTimeout(() => abort.abort(), 100);
    const r = await fetchJson(get(`${server.base}/silent`), allowLocal, abort.signal);
    expect(!r.ok && r.issues[0]?.code).toBe("LOAD_CANCELLED");
  });
});
