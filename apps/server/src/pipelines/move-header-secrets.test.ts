import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import { createTestApp, type TestApp } from "../testing/test-app.ts";
import { waitForRun } from "../testing/wait-for-run.ts";
import { moveHeaderSecrets } from "./move-header-secrets.ts";
import { DEFAULT_WORKSPACE_ID } from "../workspaces/workspace.repository.ts";

// Pipelines saved before HTTP credentials kept secret headers in plain text, in every version (finding 11).
const TOKEN = "old-3e5a71c9d04b2f68";
// And secrets in the URL: user info and query parameters named like a secret.
const KEY = "key-8c1d2e7f40a9b653";
const PASSWORD = "pw:8f2e/6d1c";

let t: TestApp;
let api: http.Server;
let base: string;
const seen: (string | undefined)[] = [];

beforeAll(async () => {
  t = await createTestApp({ startWorker: true, httpAllowlist: ["127.0.0.1"] });
  api = http.createServer((req, res) => {
    seen.push(req.headers.authorization);
    const query = new URL(req.url ?? "/", "http://x").searchParams;
    const basic = `Basic ${Buffer.from(`us@er:${PASSWORD}`).toString("base64")}`;
    const ok = req.url?.startsWith("/keyed")
      ? req.headers.authorization === basic && query.get("api_key") === KEY && query.get("page") === "1"
      : req.headers.authorization === `Bearer ${TOKEN}` && req.headers["x-api-key"] === "k2";
    res.writeHead(ok ? 200 : 401, { "content-type": "application/json" }).end(JSON.stringify(ok ? [{ id: 1 }] : { error: "no" }));
  });
  await new Promise<void>((r) => api.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
}, 60_000);
afterAll(async () => {
  api?.close();
  await t?.close();
});

const graph = (headers: { name: string; value: string }[], label?: string, url = `${base}/items`) => ({
  formatVersion: 1,
  nodes: [
    { id: "api", type: "http", position: { x: 0, y: 0 }, config: { url, headers }, ...(label ? { label } : {}) },
    { id: "out", type: "file-sink", position: { x: 300, y: 0 }, config: { name: "items", format: "csv" } },
  ],
  edges: [{ id: "e1", source: "api", target: "out" }],
});

/** A pipeline whose stored versions hold `versions`' headers, as before the rule. */
async function legacy(name: string, versions: { name: string; value: string }[][], label?: string, url?: string) {
  const p = await request(t.app).post("/api/pipelines").send({ name, graph: graph([]) });
  for (let n = 2; n <= versions.length; n++) await request(t.app).put(`/api/pipelines/${p.body.id}`).send({ baseVersion: n - 1, graph: graph([]) });
  for (const [i, headers] of versions.entries()) {
    await t.db.pipelineVersion.updateMany({ where: { pipelineId: p.body.id, number: i + 1 }, data: { graph: graph(headers, label, url) } });
  }
  return p.body.id as string;
}

const configOf = async (pipelineId: string, number: number) =>
  ((await t.db.pipelineVersion.findFirstOrThrow({ where: { pipelineId, number } })).graph as { nodes: { config: Record<string, unknown> }[] }).nodes[0]!.config;

describe("moving secret headers of stored pipelines into credentials", () => {
  it("leaves no plain secret in any version, keeps each version working, and runs once", async () => {
    const accept = { name: "Accept", value: "application/json" };
    const id = await legacy("Orders", [
      [{ name: "Authorization", value: `Bearer ${TOKEN}` }, accept],
      [accept, { name: "authorization", value: `Bearer ${TOKEN}` }, { name: "X-Api-Key", value: "k2" }],
    ]);
    const other = await legacy("Other", [[{ name: "Cookie", value: "" }, accept]], "Shop API");
    const logs: string[] = [];

    expect(await moveHeaderSecrets(t.db, t.deps.connections, (m) => logs.push(m))).toBe(3);
    expect(logs.join("\n")).toContain("moved secret HTTP headers and URL secrets of 3 pipeline versions into HTTP credentials");
    expect(JSON.stringify(await t.db.pipelineVersion.findMany())).not.toContain(TOKEN);
    const v1 = await configOf(id, 1);
    const v2 = await configOf(id, 2);
    expect(v1).toMatchObject({ headers: [accept], credentialId: expect.any(String) });
    expect(v2).toMatchObject({ headers: [accept], credentialId: expect.any(String) });
    expect(v1.credentialId).not.toBe(v2.credentialId);
    expect(await t.deps.connections.resolveHttpCredential(DEFAULT_WORKSPACE_ID, String(v2.credentialId))).toEqual({
      name: "Orders: api secrets",
      hosts: ["127.0.0.1"],
      headers: [
        { name: "authorization", value: `Bearer ${TOKEN}` },
        { name: "X-Api-Key", value: "k2" },
      ],
      queryParams: [],
    });
    // A secret header with no value holds no secret: it is dropped, and no credential is made for it.
    expect(await configOf(other, 1)).toEqual({ url: `${base}/items`, headers: [accept] });

    // Again: nothing left to move, and no second credential.
    const credentials = (await request(t.app).get("/api/connections")).body.connections.filter((c: { kind: string }) => c.kind === "http");
    expect(credentials).toHaveLength(2);
    expect(await moveHeaderSecrets(t.db, t.deps.connections, () => {})).toBe(0);
    expect((await request(t.app).get("/api/connections")).body.connections.filter((c: { kind: string }) => c.kind === "http")).toHaveLength(2);

    // It exports now, without the secret, and still runs with it.
    const exported = await request(t.app).get(`/api/pipelines/${id}/export`);
    expect(exported.status).toBe(200);
    expect(exported.text).not.toContain(TOKEN);
    seen.length = 0;
    const started = await request(t.app).post(`/api/pipelines/${id}/runs`).send({});
    const run = await waitForRun(t.app, started.body.runId);
    expect(run.status, run.error ?? "").toBe("succeeded");
    expect(seen).toContain(`Bearer ${TOKEN}`);
  }, 60_000);

  it("moves a URL's user info (as Authorization: Basic) and secret query parameters too, and the version still runs", async () => {
    const url = `http://us%40er:${encodeURIComponent(PASSWORD)}@127.0.0.1:${new URL(base).port}/keyed?page=1&api_key=${KEY}`;
    const id = await legacy("Keyed", [[]], undefined, url);
    expect(await moveHeaderSecrets(t.db, t.deps.connections, () => {})).toBe(1);
    const config = await configOf(id, 1);
    expect(config).toMatchObject({ url: `${base}/keyed?page=1`, headers: [], credentialId: expect.any(String) });
    expect(await t.deps.connections.resolveHttpCredential(DEFAULT_WORKSPACE_ID, String(config.credentialId))).toEqual({
      name: "Keyed: api secrets",
      hosts: ["127.0.0.1"],
      headers: [{ name: "Authorization", value: `Basic ${Buffer.from(`us@er:${PASSWORD}`).toString("base64")}` }],
      queryParams: [{ name: "api_key", value: KEY }],
    });
    const stored = JSON.stringify(await t.db.pipelineVersion.findMany());
    for (const secret of [KEY, PASSWORD, encodeURIComponent(PASSWORD)]) expect(stored).not.toContain(secret);
    const exported = await request(t.app).get(`/api/pipelines/${id}/export`);
    expect(exported.status).toBe(200);
    expect(exported.text).not.toContain(KEY);
    const started = await request(t.app).post(`/api/pipelines/${id}/runs`).send({});
    const run = await waitForRun(t.app, started.body.runId);
    expect(run.status, run.error ?? "").toBe("succeeded");
  }, 60_000);
});
