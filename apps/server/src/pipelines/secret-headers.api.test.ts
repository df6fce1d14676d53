import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import { repoRoot } from "../config.ts";
import { createTestApp, type TestApp } from "../testing/test-app.ts";
import { waitForRun } from "../testing/wait-for-run.ts";

// Finding 11: secrets in an HTTP source's headers were stored in the pipeline and exported in plain text.
const TOKEN = "tok-9c41e7d2b8a5f063";
const BEARER = `Bearer ${TOKEN}`;

let t: TestApp;
let api: http.Server;
let apiBase: string;
let app: http.Server;
let appUrl: string;
const seen: (string | undefined)[] = [];
let flakyServed = 0;
const dir = mkdtempSync(path.join(tmpdir(), "sluice-secret-headers-"));

beforeAll(async () => {
  t = await createTestApp({ startWorker: true, httpAllowlist: ["127.0.0.1"] });
  // The API a pipeline reads: records only for the right token, and an error that quotes the request's header back.
  api = http.createServer((req, res) => {
    seen.push(req.headers.authorization);
    // /flaky answers once (the validation before a run), then refuses: the run itself fails.
    const ok = req.headers.authorization === BEARER && (req.url === "/items" || (req.url === "/flaky" && flakyServed++ === 0));
    res.writeHead(ok ? 200 : 401, { "content-type": "application/json" });
    res.end(JSON.stringify(ok ? { items: [{ id: 1, name: "a" }, { id: 2, name: "b" }] } : { error: `not allowed with ${req.headers.authorization}` }));
  });
  await new Promise<void>((r) => api.listen(0, "127.0.0.1", r));
  apiBase = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
  app = t.app.listen(0, "127.0.0.1");
  await new Promise((r) => app.once("listening", r));
  appUrl = `http://127.0.0.1:${(app.address() as AddressInfo).port}`;
}, 60_000);
afterAll(async () => {
  api?.close();
  app?.close();
  await t?.close();
  rmSync(dir, { recursive: true, force: true });
});

const graph = (http: Record<string, unknown>) => ({
  formatVersion: 1,
  nodes: [
    { id: "api", type: "http", position: { x: 0, y: 0 }, config: { url: `${apiBase}/items`, recordsPath: "items", ...http } },
    { id: "out", type: "file-sink", position: { x: 300, y: 0 }, config: { name: "items", format: "csv" } },
  ],
  edges: [{ id: "e1", source: "api", target: "out" }],
});
const secretInHeaders = { headers: [{ name: "Authorization", value: BEARER }] };

async function credential(hosts: string[] = ["127.0.0.1"]) {
  const res = await request(t.app).post("/api/connections").send({ name: "Items API", kind: "http", settings: { hosts }, headers: [{ name: "Authorization", value: BEARER }] });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { id: string };
}

const sluice = async (...args: string[]) => {
  try {
    const r = await promisify(execFile)(process.execPath, [path.join(repoRoot, "packages/cli/bin/sluice.mjs"), ...args], { cwd: repoRoot, env: { ...process.env, SLUICE_SERVER: appUrl, SLUICE_TOKEN: "" } });
    return { code: 0, out: r.stdout + r.stderr };
  } catch (e) {
    const x = e as { code: number; stdout: string; stderr: string };
    return { code: x.code, out: x.stdout + x.stderr };
  }
};

describe("secrets in an HTTP source's headers", () => {
  it("are refused on save, import, and in validation, saying to use a credential", async () => {
    const check = await request(t.app).post("/api/pipelines/validate").send({ graph: graph(secretInHeaders) });
    expect(check.body.problems).toContainEqual(expect.objectContaining({ code: "SECRET_IN_HEADERS", nodeId: "api", field: "headers.0.name" }));
    const created = await request(t.app).post("/api/pipelines").send({ name: "Leaky", graph: graph(secretInHeaders) });
    expect(created.status).toBe(400);
    expect(created.body.error.code).toBe("SECRET_IN_HEADERS");
    expect(created.body.error.message).toMatch(/HTTP source api \(Authorization\).*HTTP credential/);
    const clean = await request(t.app).post("/api/pipelines").send({ name: "Clean", graph: graph({}) });
    expect(clean.status).toBe(201);
    const saved = await request(t.app).put(`/api/pipelines/${clean.body.id}`).send({ baseVersion: 1, graph: graph({ headers: [{ name: "x-api-KEY", value: TOKEN }] }) });
    expect(saved.body.error.code).toBe("SECRET_IN_HEADERS");
    const imported = await request(t.app).post("/api/import/pipelines").send({ pipelines: [{ name: "Imported", graph: graph(secretInHeaders) }] });
    expect(imported.body.error.code).toBe("SECRET_IN_HEADERS");
    expect((await request(t.app).get("/api/pipelines")).body.pipelines.map((p: { name: string }) => p.name)).not.toContain("Imported");
    expect(JSON.stringify(await t.db.pipelineVersion.findMany())).not.toContain(TOKEN);
    await request(t.app).delete(`/api/pipelines/${clean.body.id}`);
  });

  it("go in a credential instead: the real request carries them, and nothing the API returns or the run logs does", async () => {
    const cred = await credential(["127.0.0.1"]);
    const check = await request(t.app).post("/api/pipelines/validate").send({ graph: graph({ credentialId: cred.id }) });
    expect(check.body.problems).toEqual([]);
    const preview = await request(t.app).post("/api/preview").send({ graph: graph({ credentialId: cred.id }), nodeId: "api" });
    expect(preview.status, preview.text).toBe(200);
    expect(preview.body.rows).toHaveLength(2);
    expect(preview.text).not.toContain(TOKEN);
    const p = await request(t.app).post("/api/pipelines").send({ name: "Items", graph: graph({ credentialId: cred.id }) });
    expect(p.status).toBe(201);
    seen.length = 0;
    const started = await request(t.app).post(`/api/pipelines/${p.body.id}/runs`).send({});
    const run = await waitForRun(t.app, started.body.runId);
    expect(run.status, run.error ?? "").toBe("succeeded");
    expect(seen).toContain(BEARER);
    expect(seen.every((h) => h === BEARER)).toBe(true);

    const bodies = await Promise.all(
      [`/api/pipelines/${p.body.id}`, `/api/pipelines/${p.body.id}/export`, "/api/export/pipelines", `/api/runs/${run.id}`, "/api/connections", `/api/connections/${cred.id}`].map((u) => request(t.app).get(u)),
    );
    for (const b of bodies) expect(b.status, b.text).toBe(200);
    expect(bodies[4]!.body.connections).toContainEqual(expect.objectContaining({ id: cred.id, kind: "http", headerNames: ["Authorization"], settings: { hosts: ["127.0.0.1"] } }));
    expect(bodies.map((b) => b.text).join("\n")).not.toContain(TOKEN);
    expect(t.logs.join("\n")).not.toContain(TOKEN);
    const row = await t.db.connection.findUniqueOrThrow({ where: { id: cred.id } });
    expect(JSON.stringify(row)).not.toContain(TOKEN);

    const out = path.join(dir, "cli-export");
    const exported = await sluice("export", "--out", out);
    expect(exported.code, exported.out).toBe(0);
    expect(readdirSync(out).map((f) => readFileSync(path.join(out, f), "utf8")).join("\n")).toContain(cred.id);
    expect(readdirSync(out).map((f) => readFileSync(path.join(out, f), "utf8")).join("\n")).not.toContain(TOKEN);

    // A credential in use cannot be deleted out from under the pipeline.
    const del = await request(t.app).delete(`/api/connections/${cred.id}`);
    expect(del.status).toBe(409);
    expect(del.body.error.message).toContain('"Items"');
    await request(t.app).delete(`/api/pipelines/${p.body.id}`);
  }, 60_000);

  it("are not quoted by validation or a failed run, even when the API echoes them back", async () => {
    const cred = await credential();
    const at = (url: string) => {
      const g = graph({ credentialId: cred.id });
      return { ...g, nodes: g.nodes.map((n) => (n.id === "api" ? { ...n, config: { ...n.config, url: `${apiBase}${url}` } } : n)) };
    };
    const check = await request(t.app).post(`/api/pipelines/validate`).send({ graph: at("/echo") });
    expect(check.body.problems[0]).toMatchObject({ code: "HTTP_STATUS", nodeId: "api" });
    expect(check.body.problems[0].message).toContain("not allowed with [secret]");
    expect(check.text).not.toContain(TOKEN);

    const p = await request(t.app).post("/api/pipelines").send({ name: "Flaky", graph: at("/flaky") });
    const started = await request(t.app).post(`/api/pipelines/${p.body.id}/runs`).send({});
    expect(started.status, started.text).toBe(202);
    const run = await waitForRun(t.app, started.body.runId);
    expect(run.status).toBe("failed");
    const detail = await request(t.app).get(`/api/runs/${run.id}`);
    expect(detail.text).toContain("not allowed with [secret]");
    expect(detail.text).not.toContain(TOKEN);
    expect((await t.db.runLog.findMany()).map((l) => l.message).join("\n")).not.toContain(TOKEN);
    expect((await t.db.nodeRun.findMany()).map((n) => n.error).join("\n")).not.toContain(TOKEN);
    expect(t.logs.join("\n")).not.toContain(TOKEN);
    await request(t.app).delete(`/api/pipelines/${p.body.id}`);
    await request(t.app).delete(`/api/connections/${cred.id}`);
  }, 30_000);

  it("stored before this rule are never exported: the API and the command line refuse, naming the pipeline", async () => {
    const p = await request(t.app).post("/api/pipelines").send({ name: "Legacy", graph: graph({}) });
    await t.db.pipelineVersion.updateMany({ where: { pipelineId: p.body.id }, data: { graph: graph(secretInHeaders) } });
    for (const u of [`/api/pipelines/${p.body.id}/export`, "/api/export/pipelines"]) {
      const res = await request(t.app).get(u);
      expect(res.status).toBe(409);
      expect(res.body.error).toMatchObject({ code: "SECRET_IN_HEADERS", message: expect.stringContaining('"Legacy": HTTP source api (Authorization)') });
      expect(res.text).not.toContain(TOKEN);
    }
    const out = path.join(dir, "legacy-export");
    const exported = await sluice("export", "--out", out);
    expect(exported.code).not.toBe(0);
    expect(exported.out).toContain("SECRET_IN_HEADERS");
    expect(exported.out).not.toContain(TOKEN);
    expect(existsSync(out)).toBe(false);
    // The editor still opens it, with the problem on the header, so it can be moved to a credential.
    const opened = await request(t.app).get(`/api/pipelines/${p.body.id}`);
    const check = await request(t.app).post("/api/pipelines/validate").send({ graph: opened.body.graph });
    expect(check.body.problems).toContainEqual(expect.objectContaining({ code: "SECRET_IN_HEADERS", field: "headers.0.name" }));
    expect((await request(t.app).post(`/api/pipelines/${p.body.id}/duplicate`).send({})).body.error.code).toBe("SECRET_IN_HEADERS");
    await request(t.app).delete(`/api/pipelines/${p.body.id}`);
  }, 30_000);
});
