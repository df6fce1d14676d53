import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import { createTestApp, type TestApp } from "../testing/test-app.ts";
import { DEFAULT_WORKSPACE_ID } from "../workspaces/workspace.repository.ts";

// A stored secret could be pointed at a new host by an edit that did not carry it, then read there (regression).
const PASSWORD = "S3cretPW";
const KEY = "key-0b7e4d19c2a85f36";
const TOKEN = "tok-6a2f9e03d8b1c754";

let t: TestApp;
/** A server that only records what reaches it: where a leaked password would be sent. */
let trap: net.Server;
let trapPort: number;
const received: string[] = [];

beforeAll(async () => {
  t = await createTestApp();
  trap = net.createServer((socket) => {
    socket.on("data", (d) => received.push(d.toString("latin1")));
    socket.on("error", () => undefined);
  });
  await new Promise<void>((r) => trap.listen(0, "127.0.0.1", r));
  trapPort = (trap.address() as net.AddressInfo).port;
}, 60_000);
afterAll(async () => {
  trap?.close();
  await t?.close();
});

const settings = { host: "127.0.0.1", port: 5432, database: "postgres", user: "postgres", sslMode: "require" as const };

async function create(body: object): Promise<string> {
  const res = await request(t.app).post("/api/connections").send(body);
  expect(res.status, res.text).toBe(201);
  return res.body.id as string;
}
const password = async (id: string) => {
  const r = await t.deps.connections.resolve(DEFAULT_WORKSPACE_ID, id);
  return r.ok ? r.settings.password : undefined;
};

describe("a Postgres connection's password goes only where it was saved for", () => {
  it("refuses the reported edit (a new port, no password) and the test never reaches the new server", async () => {
    const id = await create({ name: "Reported", settings, password: PASSWORD });
    const moved = await request(t.app).put(`/api/connections/${id}`).send({ name: "Reported", settings: { ...settings, port: trapPort } });
    expect(moved.status).toBe(400);
    expect(moved.body.error).toMatchObject({
      code: "SECRET_REQUIRED",
      message: expect.stringMatching(/^Enter the password again: it is only sent to the server it was saved for/),
      details: { problems: [{ field: "body.password", message: expect.any(String) }] },
    });
    expect((await request(t.app).get(`/api/connections/${id}`)).body).toMatchObject({ settings, hasPassword: true });
    await request(t.app).post(`/api/connections/${id}/test`);
    expect(received.join("")).not.toContain(PASSWORD);
    expect(moved.text).not.toContain(PASSWORD);
  });

  it("asks for it again on any change of host, port, user or a weaker sslMode", async () => {
    const changes: object[] = [{ host: "localhost" }, { host: "10.0.0.7" }, { port: 55433 }, { user: "someone" }, { sslMode: "prefer" }, { sslMode: "disable" }];
    for (const change of changes) {
      const id = await create({ name: "Class", settings: { ...settings, sslMode: "verify-full" }, password: PASSWORD });
      const edited = await request(t.app).put(`/api/connections/${id}`).send({ settings: { ...settings, sslMode: "verify-full", ...change } });
      expect(edited.status, JSON.stringify(change)).toBe(400);
      expect(edited.body.error.code).toBe("SECRET_REQUIRED");
      expect(edited.body.error.message).toContain(`the ${Object.keys(change)[0]} changed`);
      expect((await request(t.app).get(`/api/connections/${id}`)).body.settings).toEqual({ ...settings, sslMode: "verify-full" });
      expect(await password(id)).toBe(PASSWORD);
      // With the password typed again, the same edit is made.
      const retyped = await request(t.app).put(`/api/connections/${id}`).send({ settings: { ...settings, sslMode: "verify-full", ...change }, password: "new-pw" });
      expect(retyped.status, retyped.text).toBe(200);
      expect(await password(id)).toBe("new-pw");
    }
  });

  it("keeps the password on an edit of the name, database, a stronger sslMode or the host's case", async () => {
    const id = await create({ name: "Keep", settings, password: PASSWORD });
    for (const body of [{ name: "Renamed" }, { settings: { ...settings, database: "other" } }, { settings: { ...settings, sslMode: "verify-full" } }, { settings: { ...settings, host: "127.0.0.1", sslMode: "verify-full" } }]) {
      const edited = await request(t.app).put(`/api/connections/${id}`).send(body);
      expect(edited.status, JSON.stringify(body)).toBe(200);
      expect(edited.body.hasPassword).toBe(true);
      expect(await password(id)).toBe(PASSWORD);
    }
  });

  it("lets a connection without a password move freely", async () => {
    const id = await create({ name: "No password", settings });
    const edited = await request(t.app).put(`/api/connections/${id}`).send({ settings: { ...settings, host: "localhost", port: 55433 } });
    expect(edited.status, edited.text).toBe(200);
    expect(edited.body).toMatchObject({ hasPassword: false, settings: { host: "localhost", port: 55433 } });
  });
});

describe("an HTTP credential's secrets go only to the hosts they were saved for", () => {
  const credential = { kind: "http", name: "API", settings: { hosts: ["api.example.com"] }, headers: [{ name: "Authorization", value: `Bearer ${TOKEN}` }], queryParams: [{ name: "api_key", value: KEY }] };
  const secrets = async (id: string) => {
    const c = await t.deps.connections.resolveHttpCredential(DEFAULT_WORKSPACE_ID, id);
    return c && { hosts: c.hosts, headers: c.headers, queryParams: c.queryParams };
  };
  const stored = { hosts: ["api.example.com"], headers: credential.headers, queryParams: credential.queryParams };

  it("refuses the reported edit (hosts [127.0.0.2], no values), naming each secret, and stores nothing", async () => {
    const id = await create(credential);
    const moved = await request(t.app).put(`/api/connections/${id}`).send({ kind: "http", settings: { hosts: ["127.0.0.2"] } });
    expect(moved.status).toBe(400);
    expect(moved.body.error.code).toBe("SECRET_REQUIRED");
    expect(moved.body.error.details.problems.map((p: { field: string }) => p.field)).toEqual(["body.headers.0.value", "body.queryParams.0.value"]);
    expect(await secrets(id)).toEqual(stored);
    expect(moved.text).not.toContain(TOKEN);
    expect(moved.text).not.toContain(KEY);
  });

  it("asks for every value again when a host is added, whether the secrets are listed without values or left out", async () => {
    const id = await create(credential);
    const wider = { hosts: ["api.example.com", "evil.example.net"] };
    const bodies = [
      { kind: "http", settings: wider },
      { kind: "http", settings: wider, headers: [{ name: "Authorization" }], queryParams: [{ name: "api_key" }] },
      { kind: "http", settings: wider, headers: [{ name: "Authorization", value: "Bearer new" }] },
      { kind: "http", settings: wider, headers: [{ name: "Authorization", value: "Bearer new" }], queryParams: [{ name: "api_key" }] },
    ];
    for (const body of bodies) {
      const edited = await request(t.app).put(`/api/connections/${id}`).send(body);
      expect(edited.status, JSON.stringify(body)).toBe(400);
      expect(edited.body.error.code).toBe("SECRET_REQUIRED");
      expect(await secrets(id)).toEqual(stored);
    }
    const retyped = await request(t.app)
      .put(`/api/connections/${id}`)
      .send({ kind: "http", settings: wider, headers: [{ name: "Authorization", value: "Bearer new" }], queryParams: [{ name: "api_key", value: "k-new" }] });
    expect(retyped.status, retyped.text).toBe(200);
    expect(await secrets(id)).toEqual({ hosts: wider.hosts, headers: [{ name: "Authorization", value: "Bearer new" }], queryParams: [{ name: "api_key", value: "k-new" }] });
  });

  it("keeps the secrets on an edit of the name, on removing a host, and on the same hosts in another case", async () => {
    const id = await create({ ...credential, settings: { hosts: ["api.example.com", "eu.api.example.com"] } });
    for (const body of [{ kind: "http", name: "Renamed" }, { kind: "http", settings: { hosts: ["API.example.com", "eu.api.example.com"] } }, { kind: "http", settings: { hosts: ["api.example.com"] } }]) {
      const edited = await request(t.app).put(`/api/connections/${id}`).send(body);
      expect(edited.status, JSON.stringify(body)).toBe(200);
      expect(edited.body).toMatchObject({ headerNames: ["Authorization"], queryParamNames: ["api_key"] });
    }
    expect(await secrets(id)).toEqual(stored);
  });

  it("is unusable when stored without hosts, saying why", async () => {
    const created = await request(t.app).post("/api/connections").send({ ...credential, settings: { hosts: [] } });
    expect(created.status).toBe(400);
    expect(created.body.error.details.problems.map((p: { field: string }) => p.field)).toContain("body.settings.hosts");
    // As stored before hosts were required.
    const id = await create(credential);
    await t.db.connection.update({ where: { id }, data: { settings: { hosts: [], headerNames: ["Authorization"], queryParamNames: ["api_key"] } } });
    const graph = { formatVersion: 1, nodes: [{ id: "api", type: "http", position: { x: 0, y: 0 }, config: { url: "https://api.example.com/items", credentialId: id } }], edges: [] };
    const check = await request(t.app).post("/api/pipelines/validate").send({ graph });
    expect(check.body.problems).toContainEqual(expect.objectContaining({ code: "CREDENTIAL_HOSTS_REQUIRED", nodeId: "api", field: "credentialId" }));
  });
});
