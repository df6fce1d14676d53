import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import { createTestApp, type TestApp } from "../testing/test-app.ts";
import { DEFAULT_WORKSPACE_ID } from "../workspaces/workspace.repository.ts";

// Every change to a connection leaves exactly one audit entry, written with the change; a refused one leaves none.
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

const local = new URL(process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres");
const settings = { host: local.hostname, port: Number(local.port || 5432), database: local.pathname.slice(1) || "postgres", user: decodeURIComponent(local.username) || "postgres", sslMode: "disable" as const };
const PASSWORD = "pg-password-never-logged";
const KEY = "api-key-never-logged";

const entries = (resourceId: string) => t.db.auditEvent.findMany({ where: { resourceId }, orderBy: { id: "asc" } });
/** The newest entry's id, to ask what was recorded since. */
const lastId = async () => (await t.db.auditEvent.findFirst({ orderBy: { id: "desc" }, select: { id: true } }))?.id ?? 0n;
const connectionEntriesSince = (id: bigint) => t.db.auditEvent.findMany({ where: { id: { gt: id }, action: { startsWith: "connection." } } });
/** Whether any audit entry, in any column, holds `text`. */
const logged = async (text: string) => (await t.db.$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM audit_events e WHERE strpos(e::text, ${text}) > 0`)[0]?.n !== 0n;

describe("audit of connection changes", () => {
  it("records a creation, an edit naming the changed fields, a test and a deletion, once each, without secrets", async () => {
    const created = await request(t.app).post("/api/connections").send({ name: "Audited", settings, password: PASSWORD });
    expect(created.status).toBe(201);
    const id: string = created.body.id;
    expect(await entries(id)).toMatchObject([
      { action: "connection.created", workspaceId: DEFAULT_WORKSPACE_ID, actorKind: "token", resourceType: "connection", resourceLabel: "Audited", details: { kind: "postgres" } },
    ]);

    const edited = await request(t.app).put(`/api/connections/${id}`).send({ name: "Audited again", settings: { ...settings, database: "postgres" }, password: `${PASSWORD}-2` });
    expect(edited.status, JSON.stringify(edited.body)).toBe(200);
    const changes = (await entries(id)).filter((e) => e.action === "connection.changed");
    expect(changes).toHaveLength(1);
    const fields = (changes[0]?.details as { fields: string[] }).fields;
    expect(fields).toContain("name");
    expect(fields).toContain("password");
    expect(fields.every((f) => ["name", "password", "settings.database"].includes(f))).toBe(true);

    expect((await request(t.app).post(`/api/connections/${id}/test`)).body.ok).toBe(true);
    expect((await entries(id)).filter((e) => e.action === "connection.tested").map((e) => e.details)).toEqual([{ ok: true }]);

    expect((await request(t.app).delete(`/api/connections/${id}`)).status).toBe(204);
    expect((await entries(id)).map((e) => e.action)).toEqual(["connection.created", "connection.changed", "connection.tested", "connection.deleted"]);
    expect(await logged(PASSWORD)).toBe(false);
  });

  it("records a failed test with its code, not the server's words", async () => {
    const c = await request(t.app).post("/api/connections").send({ name: "Nothing there", settings: { ...settings, port: 1 } });
    const tested = await request(t.app).post(`/api/connections/${c.body.id}/test`);
    expect(tested.body).toMatchObject({ ok: false, message: expect.stringMatching(/Nothing is listening/) });
    expect(tested.body.code).toBeUndefined();
    expect((await entries(c.body.id)).filter((e) => e.action === "connection.tested").map((e) => e.details)).toEqual([{ ok: false, code: "ECONNREFUSED" }]);
  });

  it("names an HTTP credential's changed secrets, never their values", async () => {
    const c = await request(t.app).post("/api/connections").send({ name: "API", kind: "http", settings: { hosts: ["api.example.com"] }, headers: [{ name: "X-API-Key", value: KEY }] });
    expect(c.status).toBe(201);
    const kept = await request(t.app).put(`/api/connections/${c.body.id}`).send({ kind: "http", name: "API (renamed)", headers: [{ name: "X-API-Key" }] });
    expect(kept.status, JSON.stringify(kept.body)).toBe(200);
    const renewed = await request(t.app).put(`/api/connections/${c.body.id}`).send({ kind: "http", headers: [{ name: "X-API-Key", value: `${KEY}-2` }] });
    expect(renewed.status).toBe(200);
    const changed = (await entries(c.body.id)).filter((e) => e.action === "connection.changed").map((e) => e.details);
    expect(changed).toEqual([{ fields: ["name"] }, { fields: ["headers"] }]);
    expect(await logged(KEY)).toBe(false);
  });

  it("makes no change whose audit entry cannot be written", async () => {
    // The entry is written in the change's transaction: when the audit log refuses it, the connection is not made.
    await t.db.$executeRawUnsafe(`CREATE FUNCTION refuse_doomed() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'audit refused'; END $$`);
    await t.db.$executeRawUnsafe(`CREATE TRIGGER refuse_doomed BEFORE INSERT ON audit_events FOR EACH ROW WHEN (NEW.resource_label LIKE 'Doomed%') EXECUTE FUNCTION refuse_doomed()`);
    try {
      expect((await request(t.app).post("/api/connections").send({ name: "Doomed", settings })).status).toBe(500);
      expect(await t.db.connection.count({ where: { name: "Doomed" } })).toBe(0);
      const c = await request(t.app).post("/api/connections").send({ name: "Survivor", settings });
      expect((await request(t.app).put(`/api/connections/${c.body.id}`).send({ name: "Doomed too" })).status).toBe(500);
      expect((await request(t.app).get(`/api/connections/${c.body.id}`)).body.name).toBe("Survivor");
    } finally {
      await t.db.$executeRawUnsafe("DROP TRIGGER refuse_doomed ON audit_events");
      await t.db.$executeRawUnsafe("DROP FUNCTION refuse_doomed()");
    }
  });

  it("records nothing for a change that is refused", async () => {
    const c = await request(t.app).post("/api/connections").send({ name: "Guarded", settings, password: PASSWORD });
    const before = await lastId();
    // Not valid, a refused address, a secret that would go elsewhere, a kind that cannot change, the built-in warehouse, in use.
    expect((await request(t.app).post("/api/connections").send({ name: "", settings })).status).toBe(400);
    expect((await request(t.app).post("/api/connections").send({ name: "Metadata", settings: { ...settings, host: "169.254.169.254" } })).status).toBe(422);
    expect((await request(t.app).put(`/api/connections/${c.body.id}`).send({ settings: { ...settings, port: 6543 } })).body.error.code).toBe("SECRET_REQUIRED");
    expect((await request(t.app).put(`/api/connections/${c.body.id}`).send({ kind: "http", name: "Other kind" })).status).toBe(409);
    expect((await request(t.app).put(`/api/connections/${c.body.id}`).send({ name: "x".repeat(10_000) })).status).toBe(400);
    expect((await request(t.app).delete("/api/connections/00000000-0000-4000-8000-00000000c0de")).status).toBe(409);
    expect((await request(t.app).delete("/api/connections/00000000-0000-4000-8000-000000000bad")).status).toBe(404);
    const graph = { formatVersion: 1, nodes: [{ id: "s", type: "postgres-sink", position: { x: 0, y: 0 }, config: { connectionId: c.body.id } }], edges: [] };
    expect((await request(t.app).post("/api/pipelines").send({ name: "Loader", graph })).status).toBe(201);
    expect((await request(t.app).delete(`/api/connections/${c.body.id}`)).status).toBe(409);
    expect(await connectionEntriesSince(before)).toEqual([]);
    expect((await entries(c.body.id)).map((e) => e.action)).toEqual(["connection.created"]);
    expect((await request(t.app).get(`/api/connections/${c.body.id}`)).body.name).toBe("Guarded");
  });
});
