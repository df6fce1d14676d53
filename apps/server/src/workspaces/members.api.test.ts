import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import { createTestApp, type TestApp } from "../testing/test-app.ts";
import { SAME_ORIGIN, signIn, tokenOf } from "../testing/sign-in.ts";
import { DEFAULT_WORKSPACE_ID } from "./workspace.repository.ts";

/** Members and roles: owners change and remove members, and a workspace never loses its last owner. */
let t: TestApp;
let ownerToken: { authorization: string };
beforeAll(async () => {
  t = await createTestApp();
  ownerToken = { authorization: `Bearer ${t.owner.token}` };
}, 60_000);
afterAll(async () => t?.close());

const owners = () => t.db.membership.count({ where: { workspaceId: DEFAULT_WORKSPACE_ID, role: "owner" } });
const setRole = (userId: string, role: string, headers: Record<string, string> = ownerToken) => request(t.bareApp).put(`/api/members/${userId}`).set(headers).send({ role });
const remove = (userId: string, headers: Record<string, string> = ownerToken) => request(t.bareApp).delete(`/api/members/${userId}`).set(headers);

describe("members", () => {
  it("every member of the workspace may list its members with their roles", async () => {
    const viewer = await t.person("viewer");
    const cookie = await signIn(t, viewer.email, viewer.password);
    const res = await request(t.bareApp).get("/api/members").set({ cookie });
    expect(res.status).toBe(200);
    expect(res.body.members[0]).toEqual({ userId: t.owner.id, email: t.owner.email, name: "Owner", role: "owner", joinedAt: expect.any(String) });
    expect(res.body.members).toContainEqual(expect.objectContaining({ userId: viewer.id, email: viewer.email, role: "viewer" }));
    expect((await request(t.bareApp).get("/api/members")).status).toBe(401);
  });

  it("an owner changes a role (audited with from and to); the person's permissions follow at once", async () => {
    const editor = await t.person("editor");
    const cookie = await signIn(t, editor.email, editor.password);
    const res = await setRole(editor.id, "viewer", { cookie: await signIn(t, t.owner.email, t.owner.password), ...SAME_ORIGIN });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ userId: editor.id, email: editor.email, role: "viewer" });
    expect((await request(t.bareApp).get("/api/me").set({ cookie })).body.permissions).not.toContain("pipeline.edit");
    const audit = await t.db.auditEvent.findMany({ where: { action: "member.role_changed", resourceId: editor.id } });
    expect(audit).toMatchObject([{ workspaceId: DEFAULT_WORKSPACE_ID, actorKind: "person", actorId: t.owner.id, resourceType: "user", resourceLabel: editor.email, details: { from: "editor", to: "viewer" } }]);
    // The same role again is no change and no entry.
    expect((await setRole(editor.id, "viewer")).status).toBe(200);
    expect(await t.db.auditEvent.count({ where: { action: "member.role_changed", resourceId: editor.id } })).toBe(1);
  });

  it("only owners manage members: others get 403 and nothing changes", async () => {
    const target = await t.person("runner");
    const editor = await t.person("editor");
    const cookie = await signIn(t, editor.email, editor.password);
    for (const headers of [{ cookie, ...SAME_ORIGIN }, { authorization: `Bearer ${await t.tokenFor("editor")}` }] as Record<string, string>[]) {
      const put = await setRole(target.id, "owner", headers);
      expect([put.status, put.body.error.code]).toEqual([403, "ROLE_FORBIDDEN"]);
      expect((await remove(target.id, headers)).status).toBe(403);
    }
    // Not even oneself.
    expect((await setRole(editor.id, "owner", { cookie, ...SAME_ORIGIN })).status).toBe(403);
    expect((await t.deps.members.find(DEFAULT_WORKSPACE_ID, target.id))?.role).toBe("runner");
  });

  it("the last owner cannot be demoted or removed, by themselves or by a token", async () => {
    expect(await owners()).toBe(1);
    const cookie = await signIn(t, t.owner.email, t.owner.password);
    for (const res of [await setRole(t.owner.id, "editor"), await remove(t.owner.id), await setRole(t.owner.id, "viewer", { cookie, ...SAME_ORIGIN }), await remove(t.owner.id, { cookie, ...SAME_ORIGIN })]) {
      expect([res.status, res.body.error.code]).toEqual([409, "LAST_OWNER"]);
      expect(res.body.error.message).toMatch(/make another member an owner first/);
    }
    expect(await owners()).toBe(1);
  });

  it("two owners demoting each other at the same moment: exactly one succeeds, one owner stays", async () => {
    const second = await t.person("owner");
    for (let round = 0; round < 5; round++) {
      expect(await owners()).toBe(2);
      const [a, b] = await Promise.all([setRole(t.owner.id, "editor"), setRole(second.id, "editor")]);
      expect([a.status, b.status].sort()).toEqual([200, 409]);
      expect(await owners()).toBe(1);
      // Back to two owners for the next round.
      const demoted = a.status === 200 ? t.owner.id : second.id;
      expect((await setRole(demoted, "owner")).status).toBe(200);
    }
    // Removing and demoting at once: the same.
    const [a, b] = await Promise.all([remove(second.id), setRole(t.owner.id, "viewer")]);
    expect([a.status === 204 || b.status === 200, a.status === 409 || b.status === 409]).toEqual([true, true]);
    expect(await owners()).toBe(1);
    if (a.status !== 204) {
      expect((await setRole(t.owner.id, "owner")).status).toBe(200);
      expect((await remove(second.id)).status).toBe(204);
    }
  });

  it("removing a member: 204, audited; they lose the workspace; a second time or an unknown id is 404", async () => {
    const runner = await t.person("runner");
    const cookie = await signIn(t, runner.email, runner.password);
    expect((await request(t.bareApp).get("/api/pipelines").set({ cookie })).status).toBe(200);
    expect((await remove(runner.id)).status).toBe(204);
    expect(await t.db.auditEvent.findMany({ where: { action: "member.removed", resourceId: runner.id } })).toMatchObject([{ actorKind: "token", resourceLabel: runner.email, details: { role: "runner" } }]);
    const after = await request(t.bareApp).get("/api/pipelines").set({ cookie });
    expect([after.status, after.body.error.code]).toEqual([403, "NO_WORKSPACE"]);
    expect((await request(t.bareApp).get("/api/me").set({ cookie })).body.workspaces).toEqual([]);
    expect((await remove(runner.id)).status).toBe(404);
    expect((await setRole(runner.id, "viewer")).status).toBe(404);
    expect((await remove("not-a-uuid")).status).toBe(400);
  });

  it("a member of another workspace is not found here", async () => {
    const other = await t.db.$transaction((tx) => t.deps.workspaces.create(tx, "Other", t.owner.id));
    const outsider = await t.person("editor", other.id);
    expect((await setRole(outsider.id, "viewer")).status).toBe(404);
    expect((await remove(outsider.id)).status).toBe(404);
    expect((await t.deps.members.find(other.id, outsider.id))?.role).toBe("editor");
    const list = await request(t.bareApp).get("/api/members").set(ownerToken);
    expect(list.body.members.map((m: { userId: string }) => m.userId)).not.toContain(outsider.id);
  });
});

describe("an owner who is removed or demoted keeps no power through what they made", () => {
  /** Signs `who` in and makes, as them, an API token and an email-less invitation of each role given. */
  async function madeBy(who: { email: string; password: string }, roles: string[]) {
    const as = { cookie: await signIn(t, who.email, who.password), ...SAME_ORIGIN };
    const made: Record<string, { token: string; tokenId: string; link: string; invitationId: string }> = {};
    for (const role of roles) {
      const token = await request(t.bareApp).post("/api/tokens").set(as).send({ name: `${role} token of ${who.email}`, role });
      const invitation = await request(t.bareApp).post("/api/invitations").set(as).send({ role });
      expect([token.status, invitation.status]).toEqual([201, 201]);
      made[role] = { token: token.body.token, tokenId: token.body.id, link: invitation.body.link, invitationId: invitation.body.id };
    }
    return made;
  }
  const useToken = (token: string) => request(t.bareApp).get("/api/pipelines").set({ authorization: `Bearer ${token}` });
  const acceptAs = (link: string, email: string) => request(t.bareApp).post("/api/invitations/accept").send({ token: tokenOf(link), email, name: "Late", password: "a long new password" });

  it("removing an owner revokes, with the removal, every token and pending invitation they made in the workspace (audited); an owner's own stay", async () => {
    const o = await t.person("owner");
    const other = await t.person("owner");
    const made = await madeBy(o, ["owner", "runner"]);
    const kept = (await madeBy(other, ["owner"])).owner!;
    // What O's token makes is O's too: removing O must not leave a second-hand owner token behind.
    const viaToken = { authorization: `Bearer ${made.owner!.token}` };
    const token = await request(t.bareApp).post("/api/tokens").set(viaToken).send({ name: "second-hand", role: "owner" });
    const invitation = await request(t.bareApp).post("/api/invitations").set(viaToken).send({ role: "owner" });
    made.secondHand = { token: token.body.token, tokenId: token.body.id, link: invitation.body.link, invitationId: invitation.body.id };
    expect((await remove(o.id)).status).toBe(204);
    for (const role of ["owner", "runner", "secondHand"]) {
      const used = await useToken(made[role]!.token);
      expect([used.status, used.body.error?.code], role).toEqual([401, "INVALID_TOKEN"]);
      expect((await acceptAs(made[role]!.link, `late-${role}@sluice.test`)).status, role).toBe(410);
    }
    expect((await useToken(kept.token)).status).toBe(200);
    expect((await acceptAs(kept.link, "kept@sluice.test")).status).toBe(200);
    const ids = Object.values(made).flatMap((m) => [m.tokenId, m.invitationId]);
    const revoked = await t.db.auditEvent.findMany({ where: { action: { in: ["token.revoked", "invitation.revoked"] }, resourceId: { in: ids } } });
    expect(revoked.map((e) => e.resourceId).sort()).toEqual(ids.sort());
    for (const e of revoked) expect(e).toMatchObject({ workspaceId: DEFAULT_WORKSPACE_ID, actorKind: "token", details: { reason: "member removed" } });
    expect((await remove(other.id)).status).toBe(204);
  });

  it("demoting an owner to editor revokes their tokens and pending invitations above editor, and keeps the others", async () => {
    const o = await t.person("owner");
    const made = await madeBy(o, ["owner", "editor", "runner"]);
    expect((await setRole(o.id, "editor")).status).toBe(200);
    const ownerToken = await useToken(made.owner!.token);
    expect([ownerToken.status, ownerToken.body.error?.code]).toEqual([401, "INVALID_TOKEN"]);
    expect((await acceptAs(made.owner!.link, "late-owner-2@sluice.test")).status).toBe(410);
    for (const role of ["editor", "runner"]) {
      expect((await useToken(made[role]!.token)).status, role).toBe(200);
      expect((await acceptAs(made[role]!.link, `late-${role}-2@sluice.test`)).status, role).toBe(200);
    }
    const revoked = await t.db.auditEvent.findMany({ where: { action: { in: ["token.revoked", "invitation.revoked"] }, details: { path: ["reason"], equals: "member demoted" } } });
    expect(revoked.map((e) => [e.action, e.resourceId]).sort()).toEqual([["invitation.revoked", made.owner!.invitationId], ["token.revoked", made.owner!.tokenId]].sort());
    expect((await remove(o.id)).status).toBe(204);
  });

  it("the token list says who made each token: the person, also for tokens made with their token; nobody for provisioned ones", async () => {
    const o = await t.person("owner");
    const made = (await madeBy(o, ["owner"])).owner!;
    const through = await request(t.bareApp).post("/api/tokens").set({ authorization: `Bearer ${made.token}` }).send({ name: "made with O's token" });
    const provisioned = await t.tokenFor("viewer");
    const list = await request(t.bareApp).get("/api/tokens").set(ownerToken);
    const createdBy = new Map((list.body.tokens as { id: string; prefix: string; createdBy: unknown }[]).map((x) => [x.id, x.createdBy]));
    expect(createdBy.get(made.tokenId)).toEqual({ id: o.id, email: o.email });
    expect(createdBy.get(through.body.id)).toEqual({ id: o.id, email: o.email });
    const provisionedRow = (list.body.tokens as { id: string; prefix: string }[]).find((x) => x.prefix === provisioned.slice(0, 8))!;
    expect(createdBy.get(provisionedRow.id)).toBeNull();
    expect((await remove(o.id)).status).toBe(204);
  });
});
