import { readdirSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import { createTestApp, type TestApp } from "../testing/test-app.ts";
import { DEFAULT_WORKSPACE_ID } from "../workspaces/workspace.repository.ts";

// An upload and a deletion each leave exactly one audit entry, written with the change; a refused one leaves none.
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ uploadBytes: 64 * 1024 });
});
afterAll(async () => t?.close());

const upload = (name: string, content: string) => request(t.app).post("/api/files").attach("file", Buffer.from(content), name);
const entries = (resourceId: string) => t.db.auditEvent.findMany({ where: { resourceId }, orderBy: { id: "asc" } });
const lastId = async () => (await t.db.auditEvent.findFirst({ orderBy: { id: "desc" }, select: { id: true } }))?.id ?? 0n;
const fileEntriesSince = (id: bigint) => t.db.auditEvent.findMany({ where: { id: { gt: id }, action: { startsWith: "file." } } });

describe("audit of file changes", () => {
  it("records an upload with its size and format and a deletion, once each", async () => {
    const content = "id,name\n1,Ann\n2,Bo\n";
    const f = await upload("people.csv", content);
    expect(f.status, JSON.stringify(f.body)).toBe(201);
    expect(await entries(f.body.id)).toMatchObject([
      { action: "file.uploaded", workspaceId: DEFAULT_WORKSPACE_ID, actorKind: "token", resourceType: "file", resourceLabel: "people.csv", details: { size: Buffer.byteLength(content), format: "csv" } },
    ]);
    expect((await request(t.app).delete(`/api/files/${f.body.id}`)).status).toBe(204);
    expect((await entries(f.body.id)).map((e) => e.action)).toEqual(["file.uploaded", "file.deleted"]);
  });

  it("keeps no file whose upload cannot be audited", async () => {
    await t.db.$executeRawUnsafe(`CREATE FUNCTION refuse_doomed() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'audit refused'; END $$`);
    await t.db.$executeRawUnsafe(`CREATE TRIGGER refuse_doomed BEFORE INSERT ON audit_events FOR EACH ROW WHEN (NEW.resource_label = 'doomed.csv') EXECUTE FUNCTION refuse_doomed()`);
    try {
      const stored = readdirSync(path.join(t.dataDir, "files")).length;
      expect((await upload("doomed.csv", "a\n1\n")).status).toBe(500);
      expect(await t.db.dataFile.count({ where: { originalName: "doomed.csv" } })).toBe(0);
      expect(readdirSync(path.join(t.dataDir, "files"))).toHaveLength(stored);
    } finally {
      await t.db.$executeRawUnsafe("DROP TRIGGER refuse_doomed ON audit_events");
      await t.db.$executeRawUnsafe("DROP FUNCTION refuse_doomed()");
    }
  });

  it("records nothing for an upload or a deletion that is refused", async () => {
    const kept = (await upload("kept.csv", "a\n1\n")).body as { id: string };
    const graph = { formatVersion: 1, nodes: [{ id: "f", type: "file", position: { x: 0, y: 0 }, config: { fileId: kept.id } }], edges: [] };
    expect((await request(t.app).post("/api/pipelines").send({ name: "Reader", graph })).status).toBe(201);
    const before = await lastId();
    const stored = readdirSync(path.join(t.dataDir, "files")).length;
    expect((await upload("empty.csv", "")).status).toBe(422);
    expect((await upload("too-big.csv", `a\n${"1\n".repeat(40_000)}`)).status).toBe(413);
    expect((await upload("bad\u202ename.csv", "a\n1\n")).status).toBe(400);
    expect((await request(t.app).delete(`/api/files/${kept.id}`)).status).toBe(409);
    expect((await request(t.app).delete("/api/files/00000000-0000-4000-8000-000000000bad")).status).toBe(404);
    expect(await fileEntriesSince(before)).toEqual([]);
    expect(readdirSync(path.join(t.dataDir, "files"))).toHaveLength(stored);
  });
});
