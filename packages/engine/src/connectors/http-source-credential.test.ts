import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Column } from "@sluice/model";
import { quoteIdent } from "@sluice/pipeline";
import type { DuckExec, HttpCredentialSecret } from "../connector.ts";
import { loadHttpSource, sampleHttpSource } from "./http-source.ts";
import { json, startTestServer } from "./testing/test-http-server.ts";
import { openTestDuck } from "./testing/test-duck.ts";
import { tempDir, testLoadContext } from "./testing/test-context.ts";

const TOKEN = "s3cr3t-token-4f9d2a7c";
/** A key with characters a URL encodes, so both spellings must be kept out of messages. */
const KEY = "k3y/+=&4f9d 2a7c";
const guard = { allowlist: ["127.0.0.1", "localhost"] };
const columns: Column[] = [{ name: "id", type: "integer" }];

let server: Awaited<ReturnType<typeof startTestServer>>;
let duck: DuckExec;
let closeDuck: () => void;
let work: ReturnType<typeof tempDir>;

beforeAll(async () => {
  ({ duck, close: closeDuck } = await openTestDuck());
  work = tempDir("http-credential");
  server = await startTestServer({
    /** Two pages; the second is only served to a request that carries the token. */
    "/items": (req, res) => {
      const page = Number(new URL(req.url, "http://x").searchParams.get("page") ?? 1);
      if (req.headers.authorization !== `Bearer ${TOKEN}`) return json({ error: "unauthorized" }, 401)(req, res);
      json({ items: page === 1 ? [{ id: 1 }, { id: 2 }] : [], next: page === 1 ? "/items?page=2" : null })(req, res);
    },
    /** Sends its next page to another host name for the same server. */
    "/elsewhere": (req, res) => json({ items: [{ id: 1 }], next: `http://localhost:${server.port}/items?page=2` })(req, res),
    /** An API that quotes the request's headers back in its error, as some do. */
    "/echo-401": (req, res) => json({ message: `bad credentials: ${String(req.headers.authorization)}` }, 401)(req, res),
    /** Wants api_key in the query; its next link repeats the key, as some APIs do; a third page echoes the URL in an error. */
    "/keyed": (req, res) => {
      const q = new URL(req.url, "http://x").searchParams;
      if (q.get("api_key") !== KEY) return json({ error: `no key in ${req.url}` }, 401)(req, res);
      const page = Number(q.get("page") ?? 1);
      if (page === 3) return json({ error: `page 3 is gone (${req.url})` }, 410)(req, res);
      json({ items: page === 1 ? [{ id: 1 }] : [{ id: 2 }], next: `/keyed?page=${page + 1}&api_key=${encodeURIComponent(KEY)}` })(req, res);
    },
  });
});
afterAll(async () => {
  closeDuck?.();
  work?.remove();
  await server?.close();
});

const credential = (o: Partial<HttpCredentialSecret> = {}): HttpCredentialSecret => ({
  name: "Items API",
  hosts: ["127.0.0.1"],
  headers: [{ name: "Authorization", value: `Bearer ${TOKEN}` }],
  queryParams: [],
  ...o,
});
const resolverOf = (c: HttpCredentialSecret | null) => async (id: string) => (id === "cred-1" ? c : null);
const config = (path: string, extra: Record<string, unknown> = {}) => ({
  url: `${server.base}${path}`,
  recordsPath: "items",
  pagination: { kind: "nextLink", path: "next" },
  credentialId: "cred-1",
  ...extra,
});

async function load(table: string, spec: Record<string, unknown>, resolve = resolverOf(credential())) {
  const ctx = testLoadContext({ duck, workDir: work.dir, table: quoteIdent(table), columns });
  const r = await loadHttpSource(ctx, spec, guard, resolve);
  return { r, logs: ctx.logs };
}

describe("HTTP source with a credential", () => {
  it("adds the credential's secret headers to every request, over a plain header of the same name", async () => {
    server.seen.length = 0;
    const { r } = await load("c_items", config("/items", { headers: [{ name: "Accept-Language", value: "de" }] }), resolverOf(credential({ headers: [{ name: "authorization", value: `Bearer ${TOKEN}` }] })));
    expect(r).toEqual({ ok: true, value: { rowsLoaded: 2 } });
    expect(server.seen.map((s) => [s.url, s.headers.authorization, s.headers["accept-language"]])).toEqual([
      ["/items", `Bearer ${TOKEN}`, "de"],
      ["/items?page=2", `Bearer ${TOKEN}`, "de"],
    ]);
    const sampled = await sampleHttpSource(config("/items"), guard, "n1", resolverOf(credential()));
    expect(sampled).toEqual({ ok: true, value: columns });
  });

  it("sends it only to its hosts, never to a host a response names, and nowhere when it names no hosts", async () => {
    server.seen.length = 0;
    const unbound = await load("c_unbound", config("/items"), resolverOf(credential({ hosts: [] })));
    expect(!unbound.r.ok && unbound.r.issues[0]).toMatchObject({ code: "CREDENTIAL_HOSTS_REQUIRED", nodeId: "n1", field: "credentialId" });
    expect(server.seen).toEqual([]);
    server.seen.length = 0;
    const elsewhere = await load("c_elsewhere", config("/elsewhere"));
    expect(!elsewhere.r.ok && elsewhere.r.issues[0]).toMatchObject({ code: "CREDENTIAL_HOST_NOT_ALLOWED", nodeId: "n1", field: "credentialId" });
    expect(server.seen.map((s) => s.url)).toEqual(["/elsewhere"]);
    const other = await load("c_other", config("/items"), resolverOf(credential({ hosts: ["api.example.com"] })));
    expect(!other.r.ok && other.r.issues[0]?.message).toMatch(/may only be sent to api.example.com, not to 127.0.0.1/);
    expect(server.seen).toHaveLength(1);
    const listed = await load("c_listed", config("/items"), resolverOf(credential({ hosts: ["127.0.0.1"] })));
    expect(listed.r.ok).toBe(true);
  });

  it("sets its secret query parameters on each request to its hosts, and never quotes them, encoded or not", async () => {
    server.seen.length = 0;
    const keyed = credential({ headers: [], queryParams: [{ name: "api_key", value: KEY }] });
    const { r, logs } = await load("c_keyed", config("/keyed", { maxPages: 2 }), resolverOf(keyed));
    expect(r).toEqual({ ok: true, value: { rowsLoaded: 2 } });
    const sent = server.seen.map((s) => new URL(s.url, "http://x").searchParams);
    expect(sent.map((q) => [q.get("page"), q.getAll("api_key")])).toEqual([
      [null, [KEY]],
      ["2", [KEY]],
    ]);
    const failed = await load("c_keyed_3", config("/keyed", { maxPages: 3 }), resolverOf(keyed));
    expect(!failed.r.ok && failed.r.issues[0]?.code).toBe("HTTP_STATUS");
    expect(!failed.r.ok && failed.r.issues[0]?.message).toContain("[secret]");
    const text = JSON.stringify([r, logs, failed]);
    for (const spelling of [KEY, encodeURIComponent(KEY), new URLSearchParams({ k: KEY }).toString().slice(2)]) expect(text).not.toContain(spelling);
    const elsewhere = await load("c_keyed_elsewhere", config("/keyed"), resolverOf({ ...keyed, hosts: ["api.example.com"] }));
    expect(!elsewhere.r.ok && elsewhere.r.issues[0]?.code).toBe("CREDENTIAL_HOST_NOT_ALLOWED");
  });

  it("never quotes the secret in its messages, even when the API echoes it", async () => {
    const { r, logs } = await load("c_echo", config("/echo-401", { pagination: { kind: "none" } }));
    expect(!r.ok && r.issues[0]?.code).toBe("HTTP_STATUS");
    expect(!r.ok && r.issues[0]?.message).toContain("bad credentials: [secret]");
    expect(JSON.stringify([r, logs])).not.toContain(TOKEN);
    const sampled = await sampleHttpSource(config("/echo-401"), guard, "n1", resolverOf(credential()));
    expect(JSON.stringify(sampled)).not.toContain(TOKEN);
    expect(!sampled.ok && sampled.issues[0]?.code).toBe("HTTP_STATUS");
  });

  it("names the credential field when it is missing or there is no store of credentials", async () => {
    const missing = await load("c_missing", config("/items", { credentialId: "cred-2" }));
    expect(!missing.r.ok && missing.r.issues[0]).toMatchObject({ code: "CREDENTIAL_NOT_FOUND", field: "credentialId" });
    const ctx = testLoadContext({ duck, workDir: work.dir, table: quoteIdent("c_local"), columns });
    const local = await loadHttpSource(ctx, config("/items"), guard);
    expect(!local.ok && local.issues[0]).toMatchObject({ code: "CREDENTIAL_UNAVAILABLE", field: "credentialId" });
    const none = await sampleHttpSource(config("/items", { credentialId: "" }), guard, "n1");
    expect(!none.ok && none.issues[0]?.code).toBe("HTTP_STATUS");
  });
});
