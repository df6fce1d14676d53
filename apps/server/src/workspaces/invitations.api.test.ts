import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import { createTestApp, type TestApp } from "../testing/test-app.ts";
import { SAME_ORIGIN, sessionCookieOf, signIn, tokenOf } from "../testing/sign-in.ts";
import { DEFAULT_WORKSPACE_ID } from "./workspace.repository.ts";

/**
 * Invitation links end to end, through the real app and database: an owner invites, the link is inspected and
 * accepted (creating the account or by someone signed in), and then it never works again.
 */
let t: TestApp;
let ownerCookie: string;
beforeAll(async () => {
  t = await createTestApp();
  ownerCookie = await signIn(t, t.owner.email, t.owner.password);
}, 60_000);
afterAll(async () => t?.close());

const asOwner = () => ({ cookie: ownerCookie, ...SAME_ORIGIN });

async function invite(body: { role: string; email?: string }, headers: Record<string, string> = asOwner()) {
  const res = await request(t.bareApp).post("/api/invitations").set(headers).send(body);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return { ...(res.body as { id: string; link: string; emailed: boolean; role: string; email: string | null; expiresAt: string }), token: tokenOf(res.body.link) };
}

const inspect = (token: string) => request(t.bareApp).post("/api/invitations/inspect").send({ token });
const accept = (body: object, headers: Record<string, string> = {}) => request(t.bareApp).post("/api/invitations/accept").set(headers).send(body);
const newAccount = (token: string, email: string) => ({ token, email, name: `New ${email}`, password: "a long new password" });
const auditOf = (action: string) => t.db.auditEvent.findMany({ where: { action }, orderBy: { id: "asc" } });

describe("invitations", () => {
  it("invite, inspect, accept as a new account: the person is signed in with the role, and signs in again later", async () => {
    const before = Date.now();
    const i = await invite({ role: "editor" });
    expect(i.link).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/invite#[A-Za-z0-9_-]{43}$/);
    expect(i.emailed).toBe(false);
    expect(i.email).toBeNull();
    const days = (Date.parse(i.expiresAt) - before) / 86_400_000;
    expect(days).toBeGreaterThan(6.99);
    expect(days).toBeLessThan(7.01);
    // Only the SHA-256 of the token is kept.
    const row = await t.db.invitation.findUniqueOrThrow({ where: { id: i.id } });
    expect(row.tokenHash).toBe(createHash("sha256").update(i.token).digest("hex"));

    const list = await request(t.bareApp).get("/api/invitations").set(asOwner());
    expect(list.body.invitations).toContainEqual({ id: i.id, role: "editor", email: null, createdAt: row.createdAt.toISOString(), expiresAt: i.expiresAt, invitedBy: "Owner" });
    expect(JSON.stringify(list.body)).not.toContain(i.token);

    const info = await inspect(i.token);
    expect(info.status).toBe(200);
    expect(info.body).toEqual({ workspace: { id: DEFAULT_WORKSPACE_ID, name: expect.any(String) }, role: "editor", invitedBy: "Owner", email: null, expiresAt: i.expiresAt });

    const joined = await accept(newAccount(i.token, "Editor.New@sluice.test"));
    expect(joined.status, JSON.stringify(joined.body)).toBe(200);
    expect(joined.body.actor).toMatchObject({ kind: "person", email: "editor.new@sluice.test", name: "New Editor.New@sluice.test" });
    expect(joined.body.workspace).toMatchObject({ id: DEFAULT_WORKSPACE_ID, role: "editor" });
    const cookie = sessionCookieOf(joined)!;
    expect((await request(t.bareApp).get("/api/me").set({ cookie })).body.workspace.role).toBe("editor");

    const again = await signIn(t, "editor.new@sluice.test", "a long new password");
    const me = await request(t.bareApp).get("/api/me").set({ cookie: again });
    expect(me.body.workspaces).toEqual([{ id: DEFAULT_WORKSPACE_ID, name: expect.any(String), role: "editor" }]);
    expect(me.body.permissions).toContain("pipeline.edit");
    expect(me.body.permissions).not.toContain("member.manage");

    // Used: gone from the list, and the link answers 410 to everyone.
    expect((await request(t.bareApp).get("/api/invitations").set(asOwner())).body.invitations.map((x: { id: string }) => x.id)).not.toContain(i.id);
    const used = await inspect(i.token);
    expect([used.status, used.body.error.code]).toEqual([410, "INVITATION_USED"]);
    const reuse = await accept(newAccount(i.token, "someone.else@sluice.test"));
    expect([reuse.status, reuse.body.error.code]).toEqual([410, "INVITATION_USED"]);
    expect(await t.db.user.count({ where: { email: "someone.else@sluice.test" } })).toBe(0);

    const user = await t.db.user.findUniqueOrThrow({ where: { email: "editor.new@sluice.test" } });
    const invited = (await auditOf("member.invited")).find((e) => e.resourceId === i.id)!;
    expect(invited).toMatchObject({ workspaceId: DEFAULT_WORKSPACE_ID, actorKind: "person", actorId: t.owner.id, resourceType: "invitation", details: { role: "editor", email: null } });
    expect((await auditOf("account.created")).find((e) => e.actorId === user.id)).toMatchObject({ workspaceId: DEFAULT_WORKSPACE_ID, resourceId: user.id, details: { role: "editor", how: "invitation" } });
    expect((await auditOf("member.joined")).find((e) => e.actorId === user.id)).toMatchObject({ workspaceId: DEFAULT_WORKSPACE_ID, resourceId: user.id, details: { role: "editor" } });
    // Never the token, anywhere in the log.
    const leaks = await t.db.$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM audit_events e WHERE strpos(e::text, ${i.token}) > 0`;
    expect(Number(leaks[0]!.n)).toBe(0);
  });

  it("a link works exactly once, even when two people open it at the same moment", async () => {
    for (let round = 0; round < 3; round++) {
      const i = await invite({ role: "viewer" });
      const answers = await Promise.all([accept(newAccount(i.token, `race-a${round}@sluice.test`)), accept(newAccount(i.token, `race-b${round}@sluice.test`))]);
      expect(answers.map((a) => a.status).sort()).toEqual([200, 410]);
      expect(await t.db.user.count({ where: { email: { in: [`race-a${round}@sluice.test`, `race-b${round}@sluice.test`] } } })).toBe(1);
      expect(await t.db.auditEvent.count({ where: { action: "member.joined", details: { path: ["invitationId"], equals: i.id } } })).toBe(1);
    }
  });

  it("an unknown, expired or withdrawn link is refused with a code that says which", async () => {
    const unknown = await inspect("not-a-real-token");
    expect([unknown.status, unknown.body.error.code]).toEqual([404, "INVITATION_NOT_FOUND"]);
    expect((await accept(newAccount("not-a-real-token", "x@sluice.test"))).status).toBe(404);

    const old = await invite({ role: "runner" });
    await t.db.invitation.update({ where: { id: old.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const expired = await inspect(old.token);
    expect([expired.status, expired.body.error.code]).toEqual([410, "INVITATION_EXPIRED"]);
    expect((await accept(newAccount(old.token, "late@sluice.test"))).body.error.code).toBe("INVITATION_EXPIRED");
    expect((await request(t.bareApp).get("/api/invitations").set(asOwner())).body.invitations.map((x: { id: string }) => x.id)).not.toContain(old.id);

    const withdrawn = await invite({ role: "runner", email: "withdrawn@sluice.test" });
    expect((await request(t.bareApp).delete(`/api/invitations/${withdrawn.id}`).set(asOwner())).status).toBe(204);
    const revoked = await accept(newAccount(withdrawn.token, "withdrawn@sluice.test"));
    expect([revoked.status, revoked.body.error.code]).toEqual([410, "INVITATION_REVOKED"]);
    expect((await auditOf("invitation.revoked")).filter((e) => e.resourceId === withdrawn.id)).toMatchObject([{ actorId: t.owner.id, details: { role: "runner", email: "withdrawn@sluice.test" } }]);
    // Withdrawing again changes nothing and records nothing; another id is not found.
    expect((await request(t.bareApp).delete(`/api/invitations/${withdrawn.id}`).set(asOwner())).status).toBe(204);
    expect((await auditOf("invitation.revoked")).filter((e) => e.resourceId === withdrawn.id)).toHaveLength(1);
    expect((await request(t.bareApp).delete("/api/invitations/00000000-0000-4000-8000-000000000999").set(asOwner())).status).toBe(404);
  });

  it("an invitation for an email can be accepted with that email only, signed in or not", async () => {
    const i = await invite({ role: "runner", email: "Bound@Sluice.test" });
    expect(i.email).toBe("bound@sluice.test");
    expect((await inspect(i.token)).body.email).toBe("bound@sluice.test");

    const stranger = await accept(newAccount(i.token, "stranger@sluice.test"));
    expect([stranger.status, stranger.body.error.code]).toEqual([403, "INVITATION_FOR_ANOTHER_EMAIL"]);
    const other = await t.person("viewer");
    const otherCookie = await signIn(t, other.email, other.password);
    const signedIn = await accept({ token: i.token }, { cookie: otherCookie, ...SAME_ORIGIN });
    expect([signedIn.status, signedIn.body.error.code]).toEqual([403, "INVITATION_FOR_ANOTHER_EMAIL"]);

    const right = await accept(newAccount(i.token, "bound@sluice.test"));
    expect(right.status, JSON.stringify(right.body)).toBe(200);
    expect(right.body.workspace.role).toBe("runner");
  });

  it("signed in, accepting joins the workspace with the role; an existing email is told to sign in first", async () => {
    const elsewhere = await t.db.$transaction((tx) => t.deps.workspaces.create(tx, "Elsewhere", t.owner.id));
    const person = await t.person("viewer", elsewhere.id);
    const cookie = await signIn(t, person.email, person.password);
    const i = await invite({ role: "runner" });

    const taken = await accept({ ...newAccount(i.token, person.email) });
    expect([taken.status, taken.body.error.code]).toEqual([409, "EMAIL_TAKEN"]);
    expect(taken.body.error.message).toMatch(/sign in first, then open the invitation link again/);
    expect((await inspect(i.token)).status).toBe(200);

    const unnamed = await accept({ token: i.token }, { cookie });
    expect([unnamed.status, unnamed.body.error.code]).toEqual([403, "CROSS_ORIGIN_REFUSED"]);
    const foreign = await accept({ token: i.token }, { cookie, origin: "https://evil.example" });
    expect(foreign.status).toBe(403);
    const joined = await accept({ token: i.token }, { cookie, ...SAME_ORIGIN });
    expect(joined.status, JSON.stringify(joined.body)).toBe(200);
    expect(joined.body.workspace).toMatchObject({ id: DEFAULT_WORKSPACE_ID, role: "runner" });
    expect(joined.body.workspaces.map((w: { id: string; role: string }) => `${w.id}:${w.role}`).sort()).toEqual([`${DEFAULT_WORKSPACE_ID}:runner`, `${elsewhere.id}:viewer`].sort());
    // The session stays the same one.
    expect(sessionCookieOf(joined)).toBeUndefined();
    expect(await t.db.user.count({ where: { email: person.email } })).toBe(1);

    const second = await invite({ role: "editor" });
    const member = await accept({ token: second.token }, { cookie, ...SAME_ORIGIN });
    expect([member.status, member.body.error.code]).toEqual([409, "ALREADY_MEMBER"]);
    expect((await inspect(second.token)).status).toBe(200);
  });

  it("a new account needs email, name and a good password; an API token cannot accept", async () => {
    const i = await invite({ role: "viewer" });
    const missing = await accept({ token: i.token, email: "half@sluice.test" });
    expect([missing.status, missing.body.error.code]).toEqual([400, "VALIDATION_FAILED"]);
    const short = await accept({ token: i.token, email: "half@sluice.test", name: "Half", password: "short" });
    expect(short.body.error.details.problems).toContainEqual({ field: "body.password", message: expect.stringMatching(/10 characters/) });
    const byToken = await request(t.app).post("/api/invitations/accept").send(newAccount(i.token, "robot@sluice.test"));
    expect([byToken.status, byToken.body.error.code]).toEqual([403, "PERSON_REQUIRED"]);
    expect((await inspect(i.token)).status).toBe(200);
  });

  it("only owners (or an owner's token) manage invitations", async () => {
    const editor = await t.person("editor");
    const editorCookie = await signIn(t, editor.email, editor.password);
    for (const headers of [{ cookie: editorCookie, ...SAME_ORIGIN }, { authorization: `Bearer ${await t.tokenFor("runner")}` }]) {
      const create = await request(t.bareApp).post("/api/invitations").set(headers).send({ role: "owner" });
      expect([create.status, create.body.error.code]).toEqual([403, "ROLE_FORBIDDEN"]);
      expect((await request(t.bareApp).get("/api/invitations").set(headers)).status).toBe(403);
    }
    expect((await request(t.bareApp).post("/api/invitations").send({ role: "viewer" })).status).toBe(401);

    const byToken = await invite({ role: "owner" }, { authorization: `Bearer ${await t.tokenFor("owner")}` });
    expect((await inspect(byToken.token)).body).toMatchObject({ role: "owner", invitedBy: "an API token" });
    const invited = (await auditOf("member.invited")).find((e) => e.resourceId === byToken.id)!;
    expect(invited.actorKind).toBe("token");
  });
});
