import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import { createTestApp, type TestApp } from "../testing/test-app.ts";
import { waitForRun } from "../testing/wait-for-run.ts";

// Secrets in an HTTP source's URL (user info, api_key=… in the query) were saved and exported in plain text (regression).
const KEY = "key-71f0c3e9a2d84b56";
const PASSWORD = "pw-4e8a1b6d9c2f0735";

let t: TestApp;
let api: http.Server;
let apiBase: string;
const seen: string[] = [];

beforeAll(async () => {
  t = await createTestApp({ startWorker: true, httpAllowlist: ["127.0.0.1"] });
  // Records only for a request that carries the key in its query string.
  api = http.createServer((req, res) => {
    seen.push(req.url ?? "");
    const ok = new URL(req.url ?? "/", "http://x").searchParams.get("api_key") === KEY;
    res.writeHead(ok ? 200 : 401, { "content-type": "application/json" }).end(JSON.stringify(ok ? { items: [{ id: 1 }, { id: 2 }] } : { error: `no key in ${req.url}` }));
  });
  await new Promise<void>((r) => api.listen(0, "127.0.0.1", r));
  apiBase = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
}, 60_000);
afterAll(async () => {
  api?.close();
  await t?.close();
});

const graph = (config: Record<string, unknown>) => ({
  formatVersion: 1,
  nodes: [
    { id: "api", type: "http", position: { x: 0, y: 0 }, config: { url: `${apiBase}/items`, recordsPath: "items", ...config } },
    { id: "out", type: "file-sink", position: { x: 300, y: 0 }, config: { name: "items", format: "csv" } },
  ],
  edges: [{ id: "e1", source: "api", target: "out" }],
});

const SECRET_URLS = [
  `https://user:${PASSWORD}@api.example.com/x`,
  `https://${PASSWORD}@api.example.com/x`,
  `https://us%40er:${PASSWORD}%2F%3A@api.example.com/x`,
  ...["api_key", "access_token", "token", "key", "signature", "apiKey", "X-Amz-Signature", "client_secret", "password", "auth"].map((n) => `https://api.example.com/x?page=1&${n}=${PASSWORD}`),
];

describe("secrets in HTTP source URLs", () => {
  it("are refused on save, edit and import, naming the node and field, and nothing is stored (the reported URL and its class)", async () => {
    const plain = await request(t.app).post("/api/pipelines").send({ name: "Plain", graph: graph({}) });
    expect(plain.status).toBe(201);
    for (const url of SECRET_URLS) {
      const created = await request(t.app).post("/api/pipelines").send({ name: "Leaky", graph: graph({ url }) });
      expect(created.status, url).toBe(400);
      expect(created.body.error).toMatchObject({ code: "SECRET_IN_URL", message: expect.stringContaining("HTTP source api (") });
      expect(created.body.error.details.issues).toContainEqual(expect.objectContaining({ code: "SECRET_IN_URL", nodeId: "api", field: "url" }));
      const saved = await request(t.app).put(`/api/pipelines/${plain.body.id}`).send({ baseVersion: 1, graph: graph({ url }) });
      expect(saved.body.error?.code, url).toBe("SECRET_IN_URL");
      const imported = await request(t.app).post("/api/import/pipelines").send({ pipelines: [{ name: "Imported", graph: graph({ url }) }] });
      expect(imported.body.error?.code, url).toBe("SECRET_IN_URL");
      const check = await request(t.app).post("/api/pipelines/validate").send({ graph: graph({ url }) });
      expect(check.body.problems).toContainEqual(expect.objectContaining({ code: "SECRET_IN_URL", nodeId: "api", field: "url" }));
      expect(created.text + saved.text + imported.text + check.text, url).not.toContain(PASSWORD);
    }
    expect(JSON.stringify(await t.db.pipelineVersion.findMany())).not.toContain(PASSWORD);
    expect(t.logs.join("\n")).not.toContain(PASSWORD);
    await request(t.app).delete(`/api/pipelines/${plain.body.id}`);
  }, 60_000);

  it("stored before this rule are never exported: the whole export body holds no secret", async () => {
    const p = await request(t.app).post("/api/pipelines").send({ name: "Legacy URL", graph: graph({}) });
    for (const url of SECRET_URLS) {
      await t.db.pipelineVersion.updateMany({ where: { pipelineId: p.body.id }, data: { graph: graph({ url }) } });
      for (const u of [`/api/pipelines/${p.body.id}/export`, "/api/export/pipelines"]) {
        const res = await request(t.app).get(u);
        expect(res.status, `${u} ${url}`).toBe(409);
        expect(res.body.error).toMatchObject({ code: "SECRET_IN_URL", message: expect.stringContaining('"Legacy URL": HTTP source api (') });
        expect(res.text).not.toContain(PASSWORD);
      }
    }
    await request(t.app).delete(`/api/pipelines/${p.body.id}`);
  });

  it("go in a credential instead: its query parameter is sent to its host on validation and run, and never exported", async () => {
    const cred = await request(t.app)
      .post("/api/connections")
      .send({ name: "Keyed API", kind: "http", settings: { hosts: ["127.0.0.1"] }, queryParams: [{ name: "api_key", value: KEY }] });
    expect(cred.status, cred.text).toBe(201);
    expect(cred.body).toMatchObject({ headerNames: [], queryParamNames: ["api_key"] });
    const p = await request(t.app).post("/api/pipelines").send({ name: "Keyed", graph: graph({ credentialId: cred.body.id }) });
    expect(p.status, p.text).toBe(201);
    seen.length = 0;
    const check = await request(t.app).post("/api/pipelines/validate").send({ graph: graph({ credentialId: cred.body.id }) });
    expect(check.body.problems).toEqual([]);
    const run = await waitForRun(t.app, (await request(t.app).post(`/api/pipelines/${p.body.id}/runs`).send({})).body.runId);
    expect(run.status, run.error ?? "").toBe("succeeded");
    expect(seen.length).toBeGreaterThanOrEqual(2);
    for (const url of seen) expect(new URL(url, "http://x").searchParams.getAll("api_key")).toEqual([KEY]);
    const bodies = await Promise.all([`/api/export/pipelines`, `/api/pipelines/${p.body.id}/export`, `/api/connections`, `/api/connections/${cred.body.id}`, `/api/runs/${run.id}`].map((u) => request(t.app).get(u)));
    expect(bodies.map((b) => b.status)).toEqual([200, 200, 200, 200, 200]);
    expect(bodies.map((b) => b.text).join("\n")).not.toContain(KEY);
    expect((await t.db.runLog.findMany()).map((l) => l.message).join("\n")).not.toContain(KEY);
    expect(JSON.stringify(await t.db.connection.findMany())).not.toContain(KEY);
    expect(t.logs.join("\n")).not.toContain(KEY);
    await request(t.app).delete(`/api/pipelines/${p.body.id}`);
    await request(t.app).delete(`/api/connections/${cred.body.id}`);
  }, 60_000);
});
