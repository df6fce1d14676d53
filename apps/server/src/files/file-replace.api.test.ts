import { readdirSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import { createTestApp, type TestApp } from "../testing/test-app.ts";

// Uploading a name the workspace already has: refused without a choice, or replace (same id, new content) or keep both.
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ uploadBytes: 64 * 1024 });
});
afterAll(async () => t?.close());

type File = { id: string; name: string; size: number; rowCount: number; columns: { name: string }[]; renamedColumns: unknown[] };
const upload = (name: string, content: string, onExists?: string, app = t.app) =>
  request(app)
    .post(`/api/files${onExists ? `?onExists=${onExists}` : ""}`)
    .attach("file", Buffer.from(content), name);
const stored = () => readdirSync(path.join(t.dataDir, "files")).sort();
const named = (name: string) => t.db.dataFile.findMany({ where: { originalName: name } });
const audited = (resourceId: string) => t.db.auditEvent.findMany({ where: { resourceId }, orderBy: { id: "asc" } });
const rows = async (id: string) => (await request(t.app).get(`/api/files/${id}/preview`)).body.rows as unknown[];

describe("uploading a name that exists", () => {
  it("is refused with 409 FILE_NAME_EXISTS and the existing file's id, keeping nothing, unless the request says what to do", async () => {
    const first = (await upload("dup.csv", "a\n1\n")).body as File;
    const before = stored();
    const again = await upload("dup.csv", "a\n2\n");
    expect(again.status, JSON.stringify(again.body)).toBe(409);
    expect(again.body.error).toMatchObject({ code: "FILE_NAME_EXISTS", details: { fileId: first.id, name: "dup.csv" } });
    expect(await named("dup.csv")).toHaveLength(1);
    expect(stored()).toEqual(before);
    expect((await audited(first.id)).map((e) => e.action)).toEqual(["file.uploaded"]);
    // Another name, or the same name in another case, is another file.
    expect((await upload("Dup.csv", "a\n2\n")).status).toBe(201);
    expect((await upload("dup.csv", "a\n2\n", "overwrite")).status).toBe(400);
  });

  it("replace keeps the id, so a pipeline reading the file reads the new content, inspected again, and is audited", async () => {
    const old = (await upload("orders.csv", "id,amount\n1,2.5\n2,3\n")).body as File;
    const graph = { formatVersion: 1, nodes: [{ id: "f", type: "file", position: { x: 0, y: 0 }, config: { fileId: old.id } }], edges: [] };
    const p = await request(t.app).post("/api/pipelines").send({ name: "Reads orders", graph });
    expect((await request(t.app).get(`/api/files/${old.id}/pipelines`)).body).toEqual({ pipelines: [{ id: p.body.id, name: "Reads orders" }] });
    const oldKey = (await t.db.dataFile.findUniqueOrThrow({ where: { id: old.id } })).storageKey;

    const res = await upload("orders.csv", "id,Country,country\n1,DE,x\n2,FR,y\n3,IT,z\n", "replace");
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const replaced = res.body as File;
    expect(replaced).toMatchObject({ id: old.id, name: "orders.csv", rowCount: 3 });
    expect(replaced.columns.map((c) => c.name)).toEqual(["id", "Country", "country_1"]);
    expect(replaced.renamedColumns).toEqual([{ position: 3, original: "country", name: "country_1", reason: "duplicate" }]);
    expect(await named("orders.csv")).toHaveLength(1);
    expect(await rows(old.id)).toEqual([
      { id: 1, Country: "DE", country_1: "x" },
      { id: 2, Country: "FR", country_1: "y" },
      { id: 3, Country: "IT", country_1: "z" },
    ]);
    const preview = await request(t.app).post("/api/preview").send({ graph, nodeId: "f" });
    expect(preview.status, JSON.stringify(preview.body)).toBe(200);
    expect(preview.body.rowCount).toBe(3);
    // The old content is gone from disk; the new is what the row names.
    const newKey = (await t.db.dataFile.findUniqueOrThrow({ where: { id: old.id } })).storageKey;
    expect(newKey).not.toBe(oldKey);
    expect(stored()).toContain(newKey);
    expect(stored()).not.toContain(oldKey);
    expect(await audited(old.id)).toMatchObject([
      { action: "file.uploaded" },
      { action: "file.replaced", resourceLabel: "orders.csv", details: { size: replaced.size, format: "csv", previousSize: old.size, previousFormat: "csv" } },
    ]);
  });

  it("a replace with a file that cannot be read leaves the old file as it was", async () => {
    const old = (await upload("keep.csv", "a,b\n1,2\n")).body as File;
    const before = stored();
    const res = await upload("keep.csv", "a,b,c\n1,2,3\n4,5\n", "replace");
    expect(res.status).toBe(422);
    expect((await request(t.app).get(`/api/files/${old.id}`)).body).toMatchObject({ size: old.size, rowCount: 1 });
    expect(await rows(old.id)).toEqual([{ a: 1, b: 2 }]);
    expect(stored()).toEqual(before);
    expect((await audited(old.id)).map((e) => e.action)).toEqual(["file.uploaded"]);
  });

  it("keep both stores the new one under the next free numbered name", async () => {
    const first = (await upload("sales.csv", "a\n1\n")).body as File;
    const second = await upload("sales.csv", "a\n2\n", "keep-both");
    expect(second.status, JSON.stringify(second.body)).toBe(201);
    expect(second.body.name).toBe("sales (2).csv");
    expect(second.body.id).not.toBe(first.id);
    expect((await upload("sales.csv", "a\n3\n", "keep-both")).body.name).toBe("sales (3).csv");
    // A copy of a copy is numbered as one more copy, not "sales (2) (2).csv".
    expect((await upload("sales (2).csv", "a\n4\n", "keep-both")).body.name).toBe("sales (4).csv");
    expect((await upload("noext", "a\n5\n")).status).toBe(201);
    expect((await upload("noext", "a\n6\n", "keep-both")).body.name).toBe("noext (2)");
    expect(await rows(first.id)).toEqual([{ a: 1 }]);
    expect((await audited(second.body.id))[0]).toMatchObject({ action: "file.uploaded", resourceLabel: "sales (2).csv", details: { uploadedAs: "sales.csv" } });
    // A choice with no file of that name to act on is a plain upload.
    expect((await upload("fresh.csv", "a\n1\n", "replace")).body.name).toBe("fresh.csv");
    expect((await upload("fresh2.csv", "a\n1\n", "keep-both")).body.name).toBe("fresh2.csv");
  });

  it("two replaces at once leave one stored file, the one the record names, and an audit entry each", async () => {
    const old = (await upload("race.csv", "n\n0\n")).body as File;
    // Each replace's transaction stays open a second after its update, so the others arrive while it is open.
    await t.db.$executeRawUnsafe(`CREATE FUNCTION slow_replace() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_sleep(1); RETURN NEW; END $$`);
    await t.db.$executeRawUnsafe(`CREATE TRIGGER slow_replace BEFORE INSERT ON audit_events FOR EACH ROW WHEN (NEW.action = 'file.replaced') EXECUTE FUNCTION slow_replace()`);
    const results = await Promise.all([1, 2, 3].map((n) => upload("race.csv", `n\n${n}\n${n}\n`, "replace"))).finally(async () => {
      await t.db.$executeRawUnsafe("DROP TRIGGER slow_replace ON audit_events");
      await t.db.$executeRawUnsafe("DROP FUNCTION slow_replace()");
    });
    expect(results.map((r) => r.status)).toEqual([201, 201, 201]);
    const rowsNow = await named("race.csv");
    expect(rowsNow).toHaveLength(1);
    expect(stored().filter((k) => k === rowsNow[0]!.storageKey)).toHaveLength(1);
    // Every replaced content was removed: no stored file is left that no record names.
    const known = new Set((await t.db.dataFile.findMany({ select: { storageKey: true } })).map((f) => f.storageKey));
    expect(stored().filter((k) => !known.has(k))).toEqual([]);
    expect((await audited(old.id)).map((e) => e.action)).toEqual(["file.uploaded", "file.replaced", "file.replaced", "file.replaced"]);
  });

  it("a deletion that arrives while a replace is open removes the new content, leaving no stored file behind", async () => {
    const old = (await upload("gone.csv", "n\n0\n")).body as File;
    await t.db.$executeRawUnsafe(`CREATE FUNCTION slow_replace() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_sleep(1); RETURN NEW; END $$`);
    await t.db.$executeRawUnsafe(`CREATE TRIGGER slow_replace BEFORE INSERT ON audit_events FOR EACH ROW WHEN (NEW.action = 'file.replaced') EXECUTE FUNCTION slow_replace()`);
    try {
      const replacing = upload("gone.csv", "n\n1\n", "replace").then((r) => r);
      // The replace has put the new content under the id and waits, its transaction open, before it commits.
      const sleeping = () => t.db.$queryRawUnsafe<unknown[]>("SELECT 1 FROM pg_stat_activity WHERE wait_event = 'PgSleep' AND datname = current_database()");
      for (let i = 0; i < 200 && (await sleeping()).length === 0; i++) await new Promise((r) => setTimeout(r, 25));
      const deleting = request(t.app).delete(`/api/files/${old.id}`).then((r) => r);
      const [replaced, deleted] = await Promise.all([replacing, deleting]);
      expect([replaced.status, deleted.status]).toEqual([201, 204]);
    } finally {
      await t.db.$executeRawUnsafe("DROP TRIGGER slow_replace ON audit_events");
      await t.db.$executeRawUnsafe("DROP FUNCTION slow_replace()");
    }
    expect(await named("gone.csv")).toEqual([]);
    const known = new Set((await t.db.dataFile.findMany({ select: { storageKey: true } })).map((f) => f.storageKey));
    expect(stored().filter((k) => !known.has(k))).toEqual([]);
  });

  it("a name another workspace has is free here: no 409 naming its file, and replace or keep both leave its file as it was", async () => {
    const theirs = (await upload("shared-name.csv", "a\n1\n")).body as File;
    const other = (await t.db.$transaction((tx) => t.deps.workspaces.create(tx, "Replace elsewhere", t.owner.id))).id;
    const token = await t.tokenFor("owner", other);
    const asOther = (onExists?: string) =>
      request(t.bareApp)
        .post(`/api/files${onExists ? `?onExists=${onExists}` : ""}`)
        .set("Authorization", `Bearer ${token}`)
        .attach("file", Buffer.from("a\n2\n"), "shared-name.csv");
    const plain = await asOther();
    expect(plain.status, JSON.stringify(plain.body)).toBe(201);
    for (const choice of ["replace", "keep-both"]) {
      const res = await asOther(choice);
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      expect(res.body.id).not.toBe(theirs.id);
    }
    expect(await rows(theirs.id)).toEqual([{ a: 1 }]);
    expect((await audited(theirs.id)).map((e) => e.action)).toEqual(["file.uploaded"]);
  });

  it("replacing needs what uploading needs", async () => {
    const original = (await upload("roles.csv", "a\n1\n")).body as File;
    for (const role of ["viewer", "runner"] as const) {
      const token = await t.tokenFor(role);
      const res = await request(t.bareApp).post("/api/files?onExists=replace").set("Authorization", `Bearer ${token}`).attach("file", Buffer.from("a\n9\n"), "roles.csv");
      expect(res.status, role).toBe(403);
    }
    const editor = await t.tokenFor("editor");
    const res = await request(t.bareApp).post("/api/files?onExists=replace").set("Authorization", `Bearer ${editor}`).attach("file", Buffer.from("a\n9\n"), "roles.csv");
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.id).toBe(original.id);
    expect(await rows(original.id)).toEqual([{ a: 9 }]);
  });
});
