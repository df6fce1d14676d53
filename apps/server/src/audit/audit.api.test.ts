import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import type { AuditEvent } from "@sluice/model";
import { createTestApp, type TestApp } from "../testing/test-app.ts";
import { SAME_ORIGIN, signIn } from "../testing/sign-in.ts";
import { apiRoutes } from "../http/app.ts";
import { DEFAULT_WORKSPACE_ID } from "../workspaces/workspace.repository.ts";

/** GET /api/audit: what each workspace's owners see, filters, paging, the NDJSON export; and that entries stay. */
let t: TestApp;
let second: { id: string; owner: { id: string; email: string; password: string } };
const invitationIds: string[] = [];
beforeAll(async () => {
  t = await createTestApp();
  for (let i = 0; i < 7; i++) {
    const res = await request(t.app).post("/api/invitations").send({ role: "viewer", email: `audit${i}@sluice.test` });
    invitationIds.push(res.body.id);
  }
  const ws = await t.db.$transaction((tx) => t.deps.workspaces.create(tx, "Second", t.owner.id));
  // The Default owner made it, but is not to be this test's second owner: leave it to someone else.
  await t.db.membership.delete({ where: { workspaceId_userId: { workspaceId: ws.id, userId: t.owner.id } } });
  second = { id: ws.id, owner: await t.person("owner", ws.id) };
}, 60_000);
afterAll(async () => t?.close());

const audit = (query: string, headers: Record<string, string> = {}) => request(t.app).get(`/api/audit${query}`).set(headers);
const ids = (events: AuditEvent[]) => events.map((e) => e.id);
/** Reads an NDJSON answer as text (supertest parses only the types it knows). */
const asText = (r: request.Response, cb: (err: Error | null, body: unknown) => void) => {
  const stream = r as unknown as NodeJS.ReadableStream;
  let text = "";
  stream.setEncoding("utf8");
  stream.on("data", (c: string) => (text += c));
  stream.on("end", () => cb(null, text));
};

describe("the audit log API", () => {
  it("pages newest first by `before`, and the pages together are the whole list", async () => {
    const all = await audit("?action=member.invited&limit=500");
    expect(all.status).toBe(200);
    expect(all.body.events).toHaveLength(7);
    expect(all.body.nextBefore).toBeNull();
    const sorted = [...ids(all.body.events)].sort((a, b) => Number(BigInt(b) - BigInt(a)));
    expect(ids(all.body.events)).toEqual(sorted);
    expect(all.body.events.map((e: AuditEvent) => e.resourceId)).toEqual([...invitationIds].reverse());

    const pages: AuditEvent[][] = [];
    let before: string | null = "";
    while (before !== null) {
      const res = await audit(`?action=member.invited&limit=3${before ? `&before=${before}` : ""}`);
      expect(res.status).toBe(200);
      pages.push(res.body.events);
      before = res.body.nextBefore;
    }
    expect(pages.map((p) => p.length)).toEqual([3, 3, 1]);
    expect(pages.flat()).toEqual(all.body.events);
    expect(all.body.events[0]).toMatchObject({ workspaceId: DEFAULT_WORKSPACE_ID, actorKind: "token", actorLabel: "token test owner", action: "member.invited", resourceType: "invitation", details: { role: "viewer", email: "audit6@sluice.test" } });
  });

  it("filters by actor (id, or part of the label in any case), action (or a prefix*), resource and time", async () => {
    await signIn(t, t.owner.email, t.owner.password);
    const byLabel = await audit("?actor=OWNER@SLUICE");
    expect(byLabel.body.events.length).toBeGreaterThan(0);
    for (const e of byLabel.body.events) expect(e.actorLabel).toMatch(/owner@sluice/i);
    const byId = await audit(`?actor=${t.owner.id}`);
    expect(byId.body.events.map((e: AuditEvent) => e.action)).toContain("sign_in.succeeded");
    for (const e of byId.body.events) expect(e.actorId === t.owner.id || /owner/i.test(e.actorLabel)).toBe(true);
    // LIKE's wildcards are matched as themselves.
    expect((await audit("?actor=%25")).body.events).toEqual([]);
    expect((await audit("?actor=_")).body.events).toEqual([]);

    const prefixed = await audit("?action=member.*");
    expect(new Set(prefixed.body.events.map((e: AuditEvent) => e.action))).toEqual(new Set(["member.invited"]));
    expect((await audit("?action=member")).body.events).toEqual([]);

    const one = await audit(`?resourceType=invitation&resourceId=${invitationIds[2]}`);
    expect(one.body.events).toHaveLength(1);
    expect(one.body.events[0].details.email).toBe("audit2@sluice.test");

    const at = one.body.events[0].at as string;
    expect((await audit(`?resourceId=${invitationIds[2]}&from=${encodeURIComponent(at)}&to=${encodeURIComponent(at)}`)).body.events).toHaveLength(1);
    const later = new Date(Date.parse(at) + 1).toISOString();
    expect((await audit(`?resourceId=${invitationIds[2]}&from=${later}`)).body.events).toEqual([]);
    const earlier = new Date(Date.parse(at) - 1).toISOString();
    expect((await audit(`?resourceId=${invitationIds[2]}&to=${earlier}`)).body.events).toEqual([]);
  });

  it("refuses what is not a filter", async () => {
    for (const q of ["?limit=501", "?limit=0", "?before=abc", "?before=9999999999999999999", "?from=yesterday", "?format=csv", "?sort=asc"]) {
      const res = await audit(q);
      expect([q, res.status, res.body.error.code]).toEqual([q, 400, "VALIDATION_FAILED"]);
    }
  });

  it("shows each workspace its own events, installation events of its members, and the Default owners all installation events", async () => {
    await signIn(t, second.owner.email, second.owner.password);
    await request(t.bareApp).post("/api/auth/sign-in").set(SAME_ORIGIN).send({ email: "nobody@sluice.test", password: "wrong password" });
    await request(t.bareApp).post("/api/auth/sign-in").set(SAME_ORIGIN).send({ email: t.owner.email, password: "wrong password" });
    const secondCookie = await signIn(t, second.owner.email, second.owner.password);

    const theirs = await request(t.bareApp).get("/api/audit?limit=500").set({ cookie: secondCookie, "x-sluice-workspace": second.id });
    expect(theirs.status).toBe(200);
    const seen = theirs.body.events as AuditEvent[];
    expect(seen.filter((e) => e.action === "sign_in.succeeded").map((e) => e.actorId)).toEqual([second.owner.id, second.owner.id]);
    for (const e of seen) expect(e.workspaceId === second.id || (e.workspaceId === null && e.actorId === second.owner.id), JSON.stringify(e)).toBe(true);
    expect(seen.some((e) => e.actorLabel === "nobody@sluice.test" || e.actorId === t.owner.id)).toBe(false);

    const defaults = (await audit("?limit=500")).body.events as AuditEvent[];
    const failed = defaults.filter((e) => e.action === "sign_in.failed");
    expect(failed.map((e) => e.actorLabel).sort()).toEqual(["nobody@sluice.test", t.owner.email].sort());
    expect(defaults.filter((e) => e.action === "sign_in.succeeded" && e.actorId === second.owner.id)).toHaveLength(2);
    expect(defaults.some((e) => e.workspaceId === second.id)).toBe(false);

    // Another workspace's owner cannot pick Default: not a member there.
    expect((await request(t.bareApp).get("/api/audit").set({ cookie: secondCookie, "x-sluice-workspace": DEFAULT_WORKSPACE_ID })).status).toBe(404);
  });

  it("only owners read it", async () => {
    for (const role of ["editor", "runner", "viewer"] as const) {
      const res = await request(t.bareApp).get("/api/audit").set({ authorization: `Bearer ${await t.tokenFor(role)}` });
      expect([role, res.status, res.body.error.code]).toEqual([role, 403, "ROLE_FORBIDDEN"]);
    }
    expect((await request(t.bareApp).get("/api/audit")).status).toBe(401);
  });

  it("exports every matching event as NDJSON, read in batches, as a download", async () => {
    const bulk = await t.db.$transaction((tx) => t.deps.workspaces.create(tx, "Bulk", t.owner.id));
    const token = await t.tokenFor("owner", bulk.id);
    const n = 1234;
    await t.db.auditEvent.createMany({
      data: Array.from({ length: n }, (_, i) => ({ workspaceId: bulk.id, actorKind: "system", actorLabel: "system", action: i % 2 ? "bulk.odd" : "bulk.even", resourceType: "thing", resourceId: String(i), details: { i } })),
    });
    // Its owner's sign-ins (installation events) show here too; the bulk is what resourceType picks.
    const res = await request(t.bareApp).get("/api/audit?format=ndjson&resourceType=thing").set({ authorization: `Bearer ${token}` }).buffer(true).parse(asText);
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toBe("application/x-ndjson; charset=utf-8");
    expect(res.headers["content-disposition"]).toMatch(/^attachment; filename="sluice-audit-\d{4}-\d{2}-\d{2}\.ndjson"$/);
    const lines = (res.body as string).split("\n");
    expect(lines.pop()).toBe("");
    const events = lines.map((l) => JSON.parse(l) as AuditEvent);
    expect(events).toHaveLength(n);
    expect(events.map((e) => (e.details as { i: number }).i)).toEqual(Array.from({ length: n }, (_, i) => n - 1 - i));
    expect(new Set(events.map((e) => e.workspaceId))).toEqual(new Set([bulk.id]));

    const odd = await request(t.bareApp).get("/api/audit?format=ndjson&action=bulk.odd").set({ authorization: `Bearer ${token}` }).buffer(true).parse(asText);
    expect((odd.body as string).trim().split("\n")).toHaveLength(n / 2);
  });

  it("entries cannot be changed or deleted: no route does it, and the table refuses it even to Sluice's own database user", async () => {
    const auditRoutes = apiRoutes(t.deps).filter((r) => r.path.startsWith("/audit"));
    expect(auditRoutes.map((r) => `${r.method} ${r.path}`)).toEqual(["get /audit"]);
    for (const method of ["put", "delete", "post", "patch"] as const) expect((await request(t.app)[method]("/api/audit").send({})).status).toBe(404);

    const before = await t.db.auditEvent.count();
    const first = await t.db.auditEvent.findFirstOrThrow({ orderBy: { id: "asc" } });
    for (const sql of [`UPDATE audit_events SET action = 'forged' WHERE id = ${first.id}`, `DELETE FROM audit_events WHERE id = ${first.id}`, "DELETE FROM audit_events", "TRUNCATE audit_events"]) {
      await expect(t.db.$executeRawUnsafe(sql), sql).rejects.toThrow(/append-only/);
    }
    await expect(t.db.auditEvent.update({ where: { id: first.id }, data: { action: "forged" } })).rejects.toThrow(/append-only/);
    expect(await t.db.auditEvent.count()).toBe(before);
    expect((await t.db.auditEvent.findUniqueOrThrow({ where: { id: first.id } })).action).toBe(first.action);
  });
});
