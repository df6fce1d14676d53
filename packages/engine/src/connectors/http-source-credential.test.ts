import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Column } from "@sluice/model";
import { quoteIdent } from "@sluice/pipeline";
import type { DuckExec, HttpCredentialSecret } from "../connector.ts";
import { loadHttpSource, sampleHttpSource } from "./http-source.ts";
import { json, startTestServer } from "./testing/test-http-server.ts";
import { openTestDuck } from "./testing/test-duck.ts";
import { tempDir, testLoadContext } from "./testing/test-context.ts";

const TOKEN = "s3cr3t-token-4f9d2a7c";
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
  });
});
afterAll(async () => {
  closeDuck?.();
  work?.remove();
  await server?.close();
});

const credential = (o: Partial<HttpCredentialSecret> = {}): HttpCredentialSecret => ({ name: "Items API", hosts: [], headers: [{ name: "Authorization", value: `Bearer ${TOKEN}` }], ...o });
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

  it("sends it only to its hosts, or with none named to the source's own host, never to a host a response names", async () => {
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
