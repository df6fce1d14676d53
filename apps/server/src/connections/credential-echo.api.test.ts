import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import { createTestApp, type TestApp } from "../testing/test-app.ts";
import { waitForRun } from "../testing/wait-for-run.ts";

/**
 * An HTTP credential's secrets are write-only for everyone, owners included. APIs echo what they were sent: a
 * `self` link with the api_key the credential added, a record with the token it came with. What a source reads
 * from such an API must not hand the secret back to whoever sees its rows: a viewer's preview, a run's output.
 */
const API_KEY = "ak-7f3e9b1c5d2a8e64";
const TOKEN = "tok-2b8d4f6a1c9e7035";
const TENANT = "42";

let t: TestApp;
let api: http.Server;
let base: string;

beforeAll(async () => {
  t = await createTestApp({ startWorker: true, httpAllowlist: ["127.0.0.1"] });
  api = http.createServer((req, res) => {
    const url = `${base}${req.url ?? "/"}`;
    const ok = new URL(url).searchParams.get("api_key") === API_KEY && req.headers.authorization === `Bearer ${TOKEN}`;
    res.writeHead(ok ? 200 : 401, { "content-type": "application/json" });
    res.end(JSON.stringify(ok ? { items: [{ id: 1, self: url, caller: { token: req.headers.authorization }, tenant: req.headers["x-tenant"], [`seen_${TOKEN}`]: true }] } : { error: "no" }));
  });
  await new Promise<void>((r) => api.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
}, 60_000);
afterAll(async () => {
  await new Promise((r) => api?.close(r));
  await t?.close();
});

describe("what an API echoes of an HTTP credential", () => {
  it("reaches no row: a viewer's preview and a run's output show [secret] where the API quoted a secret", async () => {
    const credential = await request(t.app)
      .post("/api/connections")
      .send({
        name: "Echoing API",
        kind: "http",
        settings: { hosts: ["127.0.0.1"] },
        headers: [{ name: "Authorization", value: `Bearer ${TOKEN}` }, { name: "X-Tenant", value: TENANT }],
        queryParams: [{ name: "api_key", value: API_KEY }],
      });
    expect(credential.status, JSON.stringify(credential.body)).toBe(201);
    const graph = {
      formatVersion: 1,
      nodes: [
        { id: "api", type: "http", position: { x: 0, y: 0 }, config: { url: `${base}/items?page=1`, recordsPath: "items", credentialId: credential.body.id } },
        { id: "out", type: "file-sink", position: { x: 300, y: 0 }, config: { name: "echo", format: "csv" } },
      ],
      edges: [{ id: "e1", source: "api", target: "out" }],
    };

    const viewer = { Authorization: `Bearer ${await t.tokenFor("viewer")}` };
    const preview = await request(t.bareApp).post("/api/preview").set(viewer).send({ graph, nodeId: "api" });
    expect(preview.status, preview.text).toBe(200);
    expect(preview.body.problems.filter((p: { severity: string }) => p.severity === "error")).toEqual([]);
    expect(preview.body.rows).toHaveLength(1);
    expect(preview.text).not.toContain(API_KEY);
    expect(preview.text).not.toContain(TOKEN);
    expect(preview.body.rows[0].self).toBe(`${base}/items?page=1&api_key=[secret]`);
    expect(preview.body.columns.map((c: { name: string }) => c.name)).toContain("seen_[secret]");
    // A short value (here a tenant number) is ordinary data too often to be looked for in rows.
    expect(preview.body.rows[0].tenant).toBe(TENANT);

    const p = await request(t.app).post("/api/pipelines").send({ name: "Echo", graph });
    expect(p.status, JSON.stringify(p.body)).toBe(201);
    const start = await request(t.app).post(`/api/pipelines/${p.body.id}/runs`).send({});
    const run = await waitForRun(t.app, start.body.runId);
    expect(run.status, run.error ?? "").toBe("succeeded");
    const output = await request(t.bareApp).get(`/api/runs/${run.id}/outputs/${run.outputs[0]!.name}`).set(viewer).buffer(true).parse((r, cb) => {
      let text = "";
      r.setEncoding("utf8");
      r.on("data", (c: string) => (text += c));
      r.on("end", () => cb(null, text));
    });
    expect(output.status).toBe(200);
    expect(output.body).toContain("[secret]");
    expect(output.body).not.toContain(API_KEY);
    expect(output.body).not.toContain(TOKEN);
    expect(JSON.stringify((await request(t.app).get(`/api/runs/${run.id}`)).body)).not.toContain(TOKEN);
    expect(t.logs.join("\n")).not.toContain(API_KEY);
  });
});
