import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import { createTestApp, type TestApp } from "../testing/test-app.ts";

/**
 * Viewers and runners may preview and validate graphs they wrote, and those fetch an HTTP source's first page with
 * the workspace's credential. A GET reads; a POST may change things at the API. So a POST they send must be one an
 * editor saved in a pipeline: otherwise a viewer could create, refund or delete at the API with the workspace's key.
 */
const TOKEN = "tok-4e1a9c7b3d5f2086";

let t: TestApp;
let api: http.Server;
let base: string;
const posts: string[] = [];

beforeAll(async () => {
  t = await createTestApp({ httpAllowlist: ["127.0.0.1"] });
  api = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      if (req.method === "POST" && req.headers.authorization === `Bearer ${TOKEN}`) posts.push(`${req.url} ${body}`);
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ items: [{ id: 1 }] }));
    });
  });
  await new Promise<void>((r) => api.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
}, 60_000);
afterAll(async () => {
  await new Promise((r) => api?.close(r));
  await t?.close();
});

const graphOf = (credentialId: string, url: string, body: string) => ({
  formatVersion: 1,
  nodes: [{ id: "api", type: "http", position: { x: 0, y: 0 }, config: { url, method: "POST", body, recordsPath: "items", credentialId } }],
  edges: [],
});

describe("an HTTP source that POSTs with the workspace's credential", () => {
  it("is sent for a viewer or runner only when an editor saved the same request; an editor may send any", async () => {
    const credential = await request(t.app)
      .post("/api/connections")
      .send({ name: "Payments API", kind: "http", settings: { hosts: ["127.0.0.1"] }, headers: [{ name: "Authorization", value: `Bearer ${TOKEN}` }] });
    expect(credential.status, JSON.stringify(credential.body)).toBe(201);
    const search = graphOf(credential.body.id, `${base}/search`, '{"q":"open"}');
    const refund = graphOf(credential.body.id, `${base}/refunds`, '{"charge":"ch_1","amount":5000}');
    const saved = await request(t.app).post("/api/pipelines").send({ name: "Open items", graph: search });
    expect(saved.status, JSON.stringify(saved.body)).toBe(201);

    for (const role of ["viewer", "runner"] as const) {
      const as = { Authorization: `Bearer ${await t.tokenFor(role)}` };
      posts.length = 0;
      for (const [path, body] of [
        ["/api/pipelines/validate", { graph: refund }],
        ["/api/preview", { graph: refund, nodeId: "api" }],
      ] as const) {
        const res = await request(t.bareApp).post(path).set(as).send(body);
        expect(res.status, `${role} ${path}: ${res.text}`).toBe(403);
        expect(res.body.error).toMatchObject({ code: "ROLE_FORBIDDEN", details: { action: "pipeline.edit", role, nodeId: "api" } });
      }
      expect(posts).toEqual([]);
      // What an editor saved is theirs to preview, as the editor shows it.
      const ok = await request(t.bareApp).post("/api/preview").set(as).send({ graph: search, nodeId: "api" });
      expect(ok.status, ok.text).toBe(200);
      expect(ok.body.rows).toEqual([{ id: 1 }]);
      expect(posts.every((p) => p.startsWith("/search "))).toBe(true);
    }

    posts.length = 0;
    const editor = { Authorization: `Bearer ${await t.tokenFor("editor")}` };
    const byEditor = await request(t.bareApp).post("/api/preview").set(editor).send({ graph: refund, nodeId: "api" });
    expect(byEditor.status, byEditor.text).toBe(200);
    expect(posts.some((p) => p.startsWith("/refunds "))).toBe(true);
  });
});
