import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import { createTestApp, type TestApp } from "../testing/test-app.ts";
import { SAME_ORIGIN, signIn } from "../testing/sign-in.ts";
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
