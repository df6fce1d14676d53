import { randomBytes } from "node:crypto";
import net from "node:net";
import { mkdtempSync, chmodSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import { createTestApp, type TestApp } from "../testing/test-app.ts";
import { DEFAULT_WORKSPACE_ID } from "../workspaces/workspace.repository.ts";
import { BUILT_IN_CONNECTION_ID, connectionRepository } from "./connection.repository.ts";
import { createSecretBox } from "./secret-box.ts";
import { refusedAddress } from "@sluice/engine";
import { rateLimiter } from "../http/rate-limit.ts";
import { startEmbeddedPostgres, type EmbeddedDatabase } from "../db/embedded-postgres.ts";
import { freePort } from "../testing/sluice-process.ts";

let t: TestApp;
const secretKey = randomBytes(32);
let silent: net.Server;
let silentPort: number;
beforeAll(async () => {
  t = await createTestApp({ secretKey });
  // Accepts TCP connections and never answers: an unreachable server as a client sees it.
  silent = net.createServer(() => {});
  await new Promise<void>((r) => silent.listen(0, "127.0.0.1", r));
  silentPort = (silent.address() as net.AddressInfo).port;
});
afterAll(async () => {
  silent.close();
  await t.close();
});

const local = new URL(process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres");
const localSettings = {
  host: local.hostname,
  port: Number(local.port || 5432),
  database: local.pathname.slice(1) || "postgres",
  user: decodeURIComponent(local.username) || "postgres",
  sslMode: "disable" as const,
};

async function create(body: object) {
  const res = await request(t.app).post("/api/connections").send(body);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { id: string };
}

describe("connections API", () => {
  it("stores the password encrypted and never returns it", async () => {
    const c = await create({ name: "Local", settings: localSettings, password: "hunter2-secret" });
    const got = await request(t.app).get(`/api/connections/${c.id}`);
    expect(got.body).toMatchObject({ name: "Local", hasPassword: true, builtIn: false, settings: localSettings });
    expect(JSON.stringify(got.body)).not.toContain("hunter2");
    const list = await request(t.app).get("/api/connections");
    expect(JSON.stringify(list.body)).not.toContain("hunter2");
    const row = await t.db.connection.findUniqueOrThrow({ where: { id: c.id } });
    expect(row.secretEncrypted).toBeTruthy();
    expect(row.secretEncrypted).not.toContain("hunter2");
    expect(JSON.stringify(row.settings)).not.toContain("hunter2");
    expect(t.logs.join("\n")).not.toContain("hunter2");
  });

  it("edits, keeps or clears the password, and deletes", async () => {
    const c = await create({ name: "Edit me", settings: localSettings, password: "p1" });
    const renamed = await request(t.app).put(`/api/connections/${c.id}`).send({ name: "Edited" });
    expect(renamed.body).toMatchObject({ name: "Edited", hasPassword: true });
    const cleared = await request(t.app).put(`/api/connections/${c.id}`).send({ password: null });
    expect(cleared.body.hasPassword).toBe(false);
    expect((await request(t.app).delete(`/api/connections/${c.id}`)).status).toBe(204);
    expect((await request(t.app).get(`/api/connections/${c.id}`)).status).toBe(404);
  });

  it("refuses free-form URLs and malformed settings, naming the field", async () => {
    const res = await request(t.app)
      .post("/api/connections")
      .send({ name: "x", settings: { ...localSettings, host: "postgres://evil/?sslkey=/etc/passwd" } });
    expect(res.status).toBe(400);
    expect(res.body.error.details.problems[0].field).toBe("body.settings.host");
    const port = await request(t.app).post("/api/connections").send({ name: "x", settings: { ...localSettings, port: 70000 } });
    expect(port.body.error.details.problems[0].field).toBe("body.settings.port");
    const extra = await request(t.app).post("/api/connections").send({ name: "x", settings: { ...localSettings, options: "-c x" } });
    expect(extra.status).toBe(400);
  });

  it("tests a working connection", async () => {
    const c = await create({ name: "Works", settings: localSettings });
    const res = await request(t.app).post(`/api/connections/${c.id}/test`);
    expect(res.status).toBe(200);
    expect(res.body.ok).toBe(true);
    expect(res.body.message).toMatch(/Connected to PostgreSQL/);
  });

  it("reports a refused port and a server that never answers within about 5 s", async () => {
    const refused = await create({ name: "Refused", settings: { ...localSettings, port: 1 } });
    const r1 = await request(t.app).post(`/api/connections/${refused.id}/test`);
    expect(r1.body).toMatchObject({ ok: false });
    expect(r1.body.message).toMatch(/Nothing is listening/);
    const hanging = await create({ name: "Silent", settings: { ...localSettings, port: silentPort } });
    const started = Date.now();
    const r2 = await request(t.app).post(`/api/connections/${hanging.id}/test`);
    expect(r2.body.ok).toBe(false);
    expect(r2.body.message).toMatch(/within 5 seconds/);
    expect(Date.now() - started).toBeLessThan(8000);
  }, 15_000);

  it("protects the built-in warehouse connection", async () => {
    const list = await request(t.app).get("/api/connections");
    expect(list.body.connections.find((c: { id: string }) => c.id === BUILT_IN_CONNECTION_ID)).toMatchObject({ builtIn: true });
    expect((await request(t.app).delete(`/api/connections/${BUILT_IN_CONNECTION_ID}`)).status).toBe(409);
    expect((await request(t.app).put(`/api/connections/${BUILT_IN_CONNECTION_ID}`).send({ name: "x" })).status).toBe(409);
    expect((await request(t.app).post(`/api/connections/${BUILT_IN_CONNECTION_ID}/test`)).body.ok).toBe(true);
  });

  it("refuses to delete a connection a pipeline uses, naming the pipeline", async () => {
    const c = await create({ name: "Used", settings: localSettings });
    await request(t.app)
      .post("/api/pipelines")
      .send({
        name: "Loader",
        graph: { formatVersion: 1, nodes: [{ id: "s", type: "postgres-sink", position: { x: 0, y: 0 }, config: { connectionId: c.id } }], edges: [] },
      });
    const res = await request(t.app).delete(`/api/connections/${c.id}`);
    expect(res.status).toBe(409);
    expect(res.body.error.message).toContain('"Loader"');
  });
});

describe("a server that checks passwords", () => {
  let embedded: EmbeddedDatabase;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), "sluice-pw-"));
    chmodSync(dir, 0o755);
    embedded = await startEmbeddedPostgres(dir, () => {});
  }, 60_000);
  // The data folder holds a whole PostgreSQL cluster and its password file: gone once the server has stopped.
  afterAll(async () => {
    await embedded?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("reports a wrong password with the server's own message", async () => {
    const u = new URL(embedded.url);
    const settings = { host: u.hostname, port: Number(u.port), database: "sluice", user: "sluice", sslMode: "disable" };
    const wrong = await create({ name: "Wrong", settings, password: "not-the-password" });
    const res = await request(t.app).post(`/api/connections/${wrong.id}/test`);
    expect(res.body.ok).toBe(false);
    expect(res.body.message).toMatch(/password authentication failed/);
    const right = await create({ name: "Right", settings, password: decodeURIComponent(u.password) });
    expect((await request(t.app).post(`/api/connections/${right.id}/test`)).body.ok).toBe(true);
  }, 30_000);
});

describe("connection address policy", () => {
  /** The three addresses reported: the cloud metadata service by address, by name, and inside an IPv6 address. */
  const reported = ["169.254.169.254", "metadata.google.internal", "[::ffff:169.254.169.254]"];
  const validateSource = (connectionId: string, app: TestApp = t) =>
    request(app.app)
      .post("/api/pipelines/validate")
      .send({ graph: { formatVersion: 1, nodes: [{ id: "src", type: "postgres", position: { x: 0, y: 0 }, config: { connectionId, mode: "query", sql: "SELECT 1 AS n" } }], edges: [] } });
  /** A row as it would have been stored before the policy existed, when nothing refused it. */
  const storedBefore = async (app: TestApp, host: string, port = 5432) =>
    (await app.db.connection.create({ data: { workspaceId: DEFAULT_WORKSPACE_ID, name: `Old ${host}:${port}`, kind: "postgres", settings: { ...localSettings, host, port }, secretEncrypted: null } })).id;

  it("refuses the reported addresses on create and on edit, naming the host field, and stores nothing", async () => {
    const before = await t.db.connection.count();
    const existing = await create({ name: "Editable", settings: localSettings });
    for (const host of reported) {
      const created = await request(t.app).post("/api/connections").send({ name: "Metadata", settings: { ...localSettings, host } });
      expect(created.status, host).toBe(422);
      expect(created.body.error).toMatchObject({ code: "CONNECTION_ADDRESS_REFUSED", details: { problems: [{ field: "body.settings.host" }] } });
      expect(created.body.error.message, host).toMatch(/cloud metadata (address|service).*; database connections may reach private networks and this machine, but not/);
      const edited = await request(t.app).put(`/api/connections/${existing.id}`).send({ settings: { ...localSettings, host } });
      expect(edited.status, host).toBe(422);
      expect(edited.body.error.code).toBe("CONNECTION_ADDRESS_REFUSED");
    }
    expect(await t.db.connection.count()).toBe(before + 1);
    expect((await request(t.app).get(`/api/connections/${existing.id}`)).body.settings.host).toBe(localSettings.host);
  });

  it("refuses a connection stored before the policy existed, when tested and when used", async () => {
    for (const host of reported) {
      const id = await storedBefore(t, host);
      const tested = await request(t.app).post(`/api/connections/${id}/test`);
      expect(tested.status, host).toBe(422);
      expect(tested.body.error.code).toBe("CONNECTION_ADDRESS_REFUSED");
      const checked = await validateSource(id);
      expect(checked.body.problems.filter((p: { severity: string }) => p.severity === "error"), host).toEqual([
        expect.objectContaining({ code: "CONNECTION_ADDRESS_REFUSED", nodeId: "src", field: "connectionId" }),
      ]);
    }
  });

  it("allows private networks and this machine, where warehouses live", async () => {
    for (const host of ["10.1.2.3", "172.16.0.9", "192.168.1.5", "fd00::5", "[fd00::5]", "127.0.0.1", "localhost", "::1", "100.64.0.7"]) {
      const res = await request(t.app).post("/api/connections").send({ name: `Private ${host}`, settings: { ...localSettings, host } });
      expect(res.status, host).toBe(201);
    }
  });

  it("lets the built-in warehouse through a strict policy, and no connection a user made to the same host", async () => {
    const strict = connectionRepository(t.db, createSecretBox(secretKey), { reach: "public" });
    const builtIn = await strict.resolve(DEFAULT_WORKSPACE_ID, BUILT_IN_CONNECTION_ID);
    expect(builtIn.ok && (await refusedAddress(builtIn.settings))).toBeUndefined();
    const mine = await create({ name: "Same host", settings: localSettings });
    const resolved = await strict.resolve(DEFAULT_WORKSPACE_ID, mine.id);
    expect(resolved.ok && (await refusedAddress(resolved.settings))).toMatchObject({ code: "CONNECTION_ADDRESS_REFUSED" });
  });

  it("gives a refused address the same answer whatever its port state, without connecting", async () => {
    let connections = 0;
    const counting = net.createServer((s) => {
      connections++;
      s.destroy();
    });
    await new Promise<void>((r) => counting.listen(0, "127.0.0.1", r));
    const closed = await freePort();
    // Here this machine is refused too, so its real open, closed and silent ports can be compared.
    const strict = await createTestApp({ connectionPolicy: { reach: "private", denylist: ["127.0.0.0/8", "::1", "localhost"] } });
    try {
      const answers = new Set<string>();
      for (const port of [localSettings.port, closed, silentPort, (counting.address() as net.AddressInfo).port]) {
        const id = await storedBefore(strict, "127.0.0.1", port);
        const started = Date.now();
        const res = await request(strict.app).post(`/api/connections/${id}/test`);
        // Well under the 5 s a connection to the silent port would wait for its answer (a busy machine took 2.5 s).
        expect(Date.now() - started).toBeLessThan(4000);
        answers.add(JSON.stringify({ status: res.status, body: res.body }));
        const checked = await validateSource(id, strict);
        const errors = checked.body.problems.filter((p: { severity: string }) => p.severity === "error");
        answers.add(JSON.stringify(errors.map((p: { code: string; message: string }) => [p.code, p.message])));
      }
      expect([...answers].map((a) => JSON.parse(a))).toEqual([
        { status: 422, body: { error: { code: "CONNECTION_ADDRESS_REFUSED", message: expect.stringContaining("127.0.0.1 is on the administrator's deny list") } } },
        [["CONNECTION_ADDRESS_REFUSED", expect.stringContaining("127.0.0.1 is on the administrator's deny list")]],
      ]);
      expect(connections).toBe(0);
    } finally {
      await strict.close();
      counting.close();
    }
  }, 30_000);

  it("limits connection tests per client, answering 429 with Retry-After", async () => {
    const c = await create({ name: "Tested often", settings: localSettings });
    // The routes read the limiter from deps on every request, so the test can lower it in place.
    const limits = t.deps.limits;
    limits.connectionTests = rateLimiter(3);
    try {
      for (let i = 0; i < 3; i++) expect((await request(t.app).post(`/api/connections/${c.id}/test`)).status).toBe(200);
      const limited = await request(t.app).post(`/api/connections/${c.id}/test`);
      expect(limited.status).toBe(429);
      expect(Number(limited.headers["retry-after"])).toBeGreaterThanOrEqual(1);
      expect(limited.body.error).toMatchObject({ code: "TOO_MANY_CONNECTION_TESTS", message: expect.stringMatching(/limited to 3 a minute per client; try again in \d+ s/) });
    } finally {
      limits.connectionTests = rateLimiter(1000);
    }
  });
});
