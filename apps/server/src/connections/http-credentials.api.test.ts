import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import { createTestApp, type TestApp } from "../testing/test-app.ts";
import { DEFAULT_WORKSPACE_ID } from "../workspaces/workspace.repository.ts";

const SECRET = "key-5be0c2a9d7f14e38";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
}, 60_000);
afterAll(async () => t?.close());

const valid = { name: "Weather API", kind: "http", settings: { hosts: ["API.example.com"] }, headers: [{ name: "X-API-Key", value: SECRET }] };

async function create(body: object = valid) {
  const res = await request(t.app).post("/api/connections").send(body);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { id: string };
}

describe("HTTP credentials", () => {
  it("store their headers encrypted and return only the header names", async () => {
    const c = await create();
    const got = await request(t.app).get(`/api/connections/${c.id}`);
    expect(got.body).toMatchObject({ name: "Weather API", kind: "http", settings: { hosts: ["api.example.com"] }, headerNames: ["X-API-Key"], builtIn: false });
    const list = await request(t.app).get("/api/connections");
    expect(list.body.connections).toContainEqual(expect.objectContaining({ id: c.id, kind: "http" }));
    expect(got.text + list.text).not.toContain(SECRET);
    const row = await t.db.connection.findUniqueOrThrow({ where: { id: c.id } });
    expect(row.kind).toBe("http");
    expect(JSON.stringify(row)).not.toContain(SECRET);
    expect(await t.deps.connections.resolveHttpCredential(DEFAULT_WORKSPACE_ID, c.id)).toEqual({ name: "Weather API", hosts: ["api.example.com"], headers: [{ name: "X-API-Key", value: SECRET }], queryParams: [] });
    expect(t.logs.join("\n")).not.toContain(SECRET);
  });

  it("keep a header's stored value on edit unless a new one is sent, and ask for the value of a new header", async () => {
    const c = await create();
    const edited = await request(t.app)
      .put(`/api/connections/${c.id}`)
      .send({ kind: "http", name: "Weather", settings: { hosts: ["api.example.com"] }, headers: [{ name: "x-api-key" }, { name: "X-Tenant-Token", value: "t-1" }] });
    expect(edited.status, edited.text).toBe(200);
    expect(edited.body).toMatchObject({ name: "Weather", settings: { hosts: ["api.example.com"] }, headerNames: ["x-api-key", "X-Tenant-Token"] });
    expect((await t.deps.connections.resolveHttpCredential(DEFAULT_WORKSPACE_ID, c.id))?.headers).toEqual([
      { name: "x-api-key", value: SECRET },
      { name: "X-Tenant-Token", value: "t-1" },
    ]);
    const renamed = await request(t.app).put(`/api/connections/${c.id}`).send({ kind: "http", name: "Renamed" });
    expect(renamed.body.headerNames).toEqual(["x-api-key", "X-Tenant-Token"]);
    const missing = await request(t.app).put(`/api/connections/${c.id}`).send({ kind: "http", headers: [{ name: "x-api-key" }, { name: "Authorization" }] });
    expect(missing.status).toBe(400);
    expect(missing.body.error.details.problems).toEqual([{ field: "body.headers.1.value", message: "Enter a value for the new header Authorization." }]);
    const wrongKind = await request(t.app).put(`/api/connections/${c.id}`).send({ name: "x" });
    expect(wrongKind.status).toBe(409);
    expect(wrongKind.body.error.code).toBe("CONNECTION_KIND_MISMATCH");
    expect((await t.deps.connections.resolveHttpCredential(DEFAULT_WORKSPACE_ID, c.id))?.headers).toHaveLength(2);
  });

  it("refuse header names and values a request could not carry, naming the field", async () => {
    const cases: [object, string][] = [
      [{ ...valid, headers: [] }, "body.headers"],
      [{ ...valid, headers: [{ name: "Host", value: "internal" }] }, "body.headers.0.name"],
      [{ ...valid, headers: [{ name: "X Bad", value: "v" }] }, "body.headers.0.name"],
      [{ ...valid, headers: [{ name: "X-Key", value: "a\r\nInjected: 1" }] }, "body.headers.0.value"],
      [{ ...valid, headers: [{ name: "X-Key", value: "" }] }, "body.headers.0.value"],
      [{ ...valid, headers: [{ name: "X-Key", value: "a" }, { name: "x-key", value: "b" }] }, "body.headers"],
      [{ ...valid, settings: { hosts: ["https://api.example.com/v1"] } }, "body.settings.hosts.0"],
      [{ ...valid, password: "pw" }, "body"],
      [{ ...valid, settings: { hosts: [] } }, "body.settings.hosts"],
      [{ ...valid, settings: undefined }, "body.settings"],
      [{ ...valid, headers: [], queryParams: [] }, "body.headers"],
      [{ ...valid, queryParams: [{ name: "api_key", value: "" }] }, "body.queryParams.0.value"],
    ];
    for (const [body, field] of cases) {
      const res = await request(t.app).post("/api/connections").send(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.details.problems.map((p: { field: string }) => p.field), JSON.stringify(body)).toContain(field);
    }
    const host = await request(t.app).post("/api/connections").send({ ...valid, headers: [{ name: "Host", value: "x" }] });
    expect(host.body.error.message).toContain("The Host header is set automatically.");
  });

  it("are not database connections: no test, and a Postgres node cannot use one", async () => {
    const c = await create();
    const test = await request(t.app).post(`/api/connections/${c.id}/test`);
    expect(test.status).toBe(409);
    expect(test.body.error.code).toBe("CONNECTION_NOT_TESTABLE");
    const graph = { formatVersion: 1, nodes: [{ id: "pg", type: "postgres", position: { x: 0, y: 0 }, config: { connectionId: c.id, mode: "table", table: "t" } }], edges: [] };
    const check = await request(t.app).post("/api/pipelines/validate").send({ graph });
    expect(check.body.problems).toContainEqual(expect.objectContaining({ code: "CONNECTION_NOT_FOUND", nodeId: "pg", message: expect.stringContaining("is an HTTP credential") }));
    expect((await request(t.app).delete(`/api/connections/${c.id}`)).status).toBe(204);
  });
});
