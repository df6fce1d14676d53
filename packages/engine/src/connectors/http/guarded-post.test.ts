import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postGuarded } from "./guarded-fetch.ts";

/** postGuarded (notifications' webhooks) against a real HTTP server on loopback, which only an allowlist lets it reach. */
let server: http.Server;
let base = "";
const got: { url: string; headers: http.IncomingHttpHeaders; body: string }[] = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      got.push({ url: req.url ?? "", headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
      if (req.url === "/moved") res.writeHead(302, { location: "http://169.254.169.254/latest/meta-data" }).end();
      else if (req.url === "/broken") res.writeHead(500, { "content-type": "text/plain" }).end("database on fire");
      else res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const post = (url: string, allowlist: string[] = ["127.0.0.1"]) => postGuarded({ url, headers: { "content-type": "application/json", "x-test": "1" }, body: '{"a":1}' }, { allowlist }, new AbortController().signal);

describe("postGuarded", () => {
  it("posts the body and headers as given to an allowlisted host", async () => {
    const res = await post(`${base}/hook`);
    expect(res).toEqual({ ok: true, value: { status: 204, snippet: "" } });
    expect(got.at(-1)).toMatchObject({ url: "/hook", body: '{"a":1}', headers: { "x-test": "1", "content-type": "application/json", "user-agent": "Sluice", "content-length": "7" } });
  });

  it("refuses loopback, private and metadata addresses unless allowlisted, before connecting", async () => {
    const before = got.length;
    for (const url of [`${base}/hook`, "http://10.0.0.1/x", "http://169.254.169.254/latest"]) {
      const res = await post(url, []);
      expect(res.ok, url).toBe(false);
      if (!res.ok) {
        expect(res.issues[0]!.code).toBe("HTTP_ADDRESS_BLOCKED");
        expect(res.issues[0]!.message).toMatch(/HTTP_SOURCE_ALLOWLIST/);
      }
    }
    expect(got.length).toBe(before);
  });

  it("resolves a webhook's name once and connects to that answer, whatever DNS says next (rebinding)", async () => {
    const port = new URL(base).port;
    const asked: string[] = [];
    // First answer allowed (allowlisted loopback), every later one a metadata address: only the first may be used.
    const lookup = async (host: string) => (asked.push(host), [{ address: asked.length === 1 ? "127.0.0.1" : "169.254.169.254", family: 4 }]);
    const res = await postGuarded({ url: `http://hooks.example.test:${port}/rebind`, headers: {}, body: "{}" }, { allowlist: ["127.0.0.1"], lookup }, new AbortController().signal);
    expect(res).toMatchObject({ ok: true, value: { status: 204 } });
    expect(asked).toEqual(["hooks.example.test"]);
    expect(got.at(-1)).toMatchObject({ url: "/rebind", headers: { host: `hooks.example.test:${port}` } });
  });

  it("does not follow a redirect, so a public URL cannot bounce the request inward", async () => {
    const res = await post(`${base}/moved`);
    expect(res.ok).toBe(false);
    if (!res.ok) expect(res.issues[0]).toMatchObject({ code: "HTTP_REDIRECT" });
  });

  it("reports an answer other than 2xx with its status and the start of its body", async () => {
    const res = await post(`${base}/broken`);
    expect(res.ok).toBe(false);
    if (!res.ok) expect(res.issues[0]!.message).toBe(`${new URL(base).host} answered 500 Internal Server Error: database on fire`);
  });
});
