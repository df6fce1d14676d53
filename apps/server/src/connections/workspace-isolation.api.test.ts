import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import { createTestApp, type TestApp } from "../testing/test-app.ts";
import { DEFAULT_WORKSPACE_ID } from "../workspaces/workspace.repository.ts";
import { BUILT_IN_CONNECTION_ID } from "./connection.repository.ts";

// Connections, HTTP credentials and files belong to one workspace: another workspace neither sees nor reaches them.
let t: TestApp;
let other: string;
let otherToken: string;
beforeAll(async () => {
  t = await createTestApp();
  other = (await t.db.$transaction((tx) => t.deps.workspaces.create(tx, "Other team", t.owner.id))).id;
  otherToken = await t.tokenFor("owner", other);
});
afterAll(async () => t?.close());

/** A request as an owner of the other workspace. */
const asOther = (method: "get" | "post" | "put" | "delete", url: string) => request(t.bareApp)[method](url).set("Authorization", `Bearer ${otherToken}`);

const local = new URL(process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres");
const settings = { host: local.hostname, port: Number(local.port || 5432), database: local.pathname.slice(1) || "postgres", user: decodeURIComponent(local.username) || "postgres", sslMode: "disable" as const };

async function made(res: request.Response): Promise<{ id: string }> {
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { id: string };
}

/** The errors validation reports, as `node:CODE`, for a graph naming these ids: in the other workspace with its token, else in Default. */
async function problemCodes(ids: { connection: string; credential: string; file: string }, token?: string) {
  const graph = {
    formatVersion: 1,
    nodes: [
      { id: "db", type: "postgres", position: { x: 0, y: 0 }, config: { connectionId: ids.connection, mode: "query", sql: "SELECT 1 AS n" } },
      { id: "api", type: "http", position: { x: 0, y: 100 }, config: { url: "https://api.example.com/items", credentialId: ids.credential } },
      { id: "f", type: "file", position: { x: 0, y: 200 }, config: { fileId: ids.file } },
    ],
    edges: [],
  };
  const req = token ? request(t.bareApp).post("/api/pipelines/validate").set("Authorization", `Bearer ${token}`) : request(t.app).post("/api/pipelines/validate");
  const res = await req.send({ graph });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return (res.body.problems as { code: string; nodeId: string; severity: string }[]).filter((p) => p.severity === "error").map((p) => `${p.nodeId}:${p.code}`);
}

describe("connections and files of another workspace", () => {
  let connection: { id: string };
  let credential: { id: string };
  let file: { id: string };
  beforeAll(async () => {
    connection = await made(await request(t.app).post("/api/connections").send({ name: "Team A database", settings, password: "a-secret-password" }));
    credential = await made(await request(t.app).post("/api/connections").send({ name: "Team A API", kind: "http", settings: { hosts: ["api.example.com"] }, headers: [{ name: "X-API-Key", value: "a-secret-key" }] }));
    file = await made(await request(t.app).post("/api/files").attach("file", Buffer.from("a,b\n1,2\n"), "team-a.csv"));
  });

  it("are not listed, and answer 404 to get, edit, test and delete, and stay as they were", async () => {
    const listed = await asOther("get", "/api/connections");
    expect(listed.status).toBe(200);
    expect(listed.body.connections).toEqual([]);
    expect((await asOther("get", "/api/files")).body.files).toEqual([]);
    for (const id of [connection.id, credential.id]) {
      expect((await asOther("get", `/api/connections/${id}`)).status).toBe(404);
      expect((await asOther("put", `/api/connections/${id}`).send({ name: "Taken over" })).status).toBe(404);
      expect((await asOther("put", `/api/connections/${id}`).send({ kind: "http", name: "Taken over" })).status).toBe(404);
      expect((await asOther("post", `/api/connections/${id}/test`)).status).toBe(404);
      expect((await asOther("delete", `/api/connections/${id}`)).status).toBe(404);
    }
    expect((await asOther("get", `/api/files/${file.id}`)).status).toBe(404);
    expect((await asOther("get", `/api/files/${file.id}/preview`)).status).toBe(404);
    expect((await asOther("delete", `/api/files/${file.id}`)).status).toBe(404);

    expect((await request(t.app).get(`/api/connections/${connection.id}`)).body).toMatchObject({ name: "Team A database", hasPassword: true });
    expect((await request(t.app).get(`/api/connections/${credential.id}`)).body).toMatchObject({ name: "Team A API", headerNames: ["X-API-Key"] });
    expect((await request(t.app).get(`/api/files/${file.id}/preview`)).status).toBe(200);
    // Nothing the other workspace tried was recorded as done.
    expect(await t.db.auditEvent.count({ where: { workspaceId: other } })).toBe(0);
  });

  it("include the built-in warehouse, which is the Default workspace's only", async () => {
    expect((await request(t.app).get(`/api/connections/${BUILT_IN_CONNECTION_ID}`)).body).toMatchObject({ builtIn: true });
    expect((await asOther("get", `/api/connections/${BUILT_IN_CONNECTION_ID}`)).status).toBe(404);
    expect((await asOther("put", `/api/connections/${BUILT_IN_CONNECTION_ID}`).send({ name: "Mine" })).status).toBe(404);
    expect((await asOther("delete", `/api/connections/${BUILT_IN_CONNECTION_ID}`)).status).toBe(404);
    expect((await asOther("post", `/api/connections/${BUILT_IN_CONNECTION_ID}/test`)).status).toBe(404);
    // In Default it is still refused as built-in.
    expect((await request(t.app).delete(`/api/connections/${BUILT_IN_CONNECTION_ID}`)).body.error.code).toBe("CONNECTION_BUILT_IN");
  });

  it("are not found by validation of a pipeline in the other workspace, as deleted ones would not be", async () => {
    const ids = { connection: connection.id, credential: credential.id, file: file.id };
    expect(await problemCodes(ids, otherToken)).toEqual(["db:CONNECTION_NOT_FOUND", "api:CREDENTIAL_NOT_FOUND", "f:FILE_NOT_FOUND"]);
    // The same graph in their own workspace finds all three (the HTTP sample may fail offline, but not for want of its credential).
    const own = await problemCodes(ids);
    expect(own.filter((c) => c.endsWith("_NOT_FOUND"))).toEqual([]);
  });

  it("keep each workspace's own connections and files apart both ways", async () => {
    const theirs = await made(await asOther("post", "/api/connections").send({ name: "Team B database", settings }));
    const theirFile = await made(await request(t.bareApp).post("/api/files").set("Authorization", `Bearer ${otherToken}`).attach("file", Buffer.from("x\n1\n"), "team-b.csv"));
    expect((await asOther("get", "/api/connections")).body.connections.map((c: { id: string }) => c.id)).toEqual([theirs.id]);
    expect((await asOther("get", "/api/files")).body.files.map((f: { id: string }) => f.id)).toEqual([theirFile.id]);
    const ours = (await request(t.app).get("/api/connections")).body.connections.map((c: { id: string }) => c.id);
    expect(ours).toContain(connection.id);
    expect(ours).not.toContain(theirs.id);
    expect((await request(t.app).get(`/api/connections/${theirs.id}`)).status).toBe(404);
    expect((await request(t.app).get(`/api/files/${theirFile.id}`)).status).toBe(404);
    expect((await request(t.app).get("/api/files")).body.files.map((f: { id: string }) => f.id)).not.toContain(theirFile.id);
    const rows = await t.db.connection.findMany({ where: { id: { in: [theirs.id, connection.id] } }, select: { id: true, workspaceId: true } });
    expect(Object.fromEntries(rows.map((r) => [r.id, r.workspaceId]))).toEqual({ [theirs.id]: other, [connection.id]: DEFAULT_WORKSPACE_ID });
  });
});
