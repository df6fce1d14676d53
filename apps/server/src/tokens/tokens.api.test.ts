import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import { createTestApp, type TestApp } from "../testing/test-app.ts";
import { quickPipelineGraph } from "../testing/quick-pipeline.ts";

const graph = { ...quickPipelineGraph("out"), parameters: [{ name: "day", type: "date", default: "2026-01-01" }] };
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe("API tokens: one workspace each, a role each, shown once, stored hashed", () => {
  let t: TestApp;
  let pipelineId: string;

  beforeAll(async () => {
    t = await createTestApp();
    pipelineId = (await request(t.app).post("/api/pipelines").send({ name: "Tokened", graph })).body.id;
  }, 60_000);
  afterAll(async () => t?.close());

  it("an owner creates a token (runner unless said), sees it once, and it works with that role", async () => {
    const created = await request(t.bareApp).post("/api/tokens").set(bearer(t.owner.token)).send({ name: "CI" });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const token = created.body.token as string;
    expect(token).toMatch(/^slc_[A-Za-z0-9_-]{40,}$/);
    expect(created.body).toMatchObject({ name: "CI", role: "runner", prefix: token.slice(0, 8), revokedAt: null });

    const started = await request(t.bareApp).post(`/api/pipelines/${pipelineId}/runs`).set(bearer(token)).send({ params: { day: "2026-11-24" } });
    expect(started.status, JSON.stringify(started.body)).toBe(202);
    expect((await request(t.bareApp).get(`/api/runs/${started.body.runId}`).set(bearer(token))).body.params).toEqual({ day: "2026-11-24" });
    // A runner reads and runs, and changes nothing else.
    const edit = await request(t.bareApp).post("/api/pipelines").set(bearer(token)).send({ name: "not mine to make" });
    expect(edit.status).toBe(403);
    expect(edit.body.error.code).toBe("ROLE_FORBIDDEN");
    expect(edit.body.error.message).toMatch(/role .* is runner; only owners and editors may do this/);

    const listed = await request(t.app).get("/api/tokens");
    expect(listed.status).toBe(200);
    expect(JSON.stringify(listed.body)).not.toContain(token);
    const mine = (listed.body.tokens as Array<{ id: string; role: string; lastUsedAt: string | null }>).find((l) => l.id === created.body.id);
    expect(mine?.role).toBe("runner");
    expect(mine?.lastUsedAt).not.toBeNull();
    expect(JSON.stringify(await t.db.apiToken.findMany())).not.toContain(token);
  });

  it("the role asked for is the role the token has; /api/me says so", async () => {
    for (const role of ["owner", "editor", "runner", "viewer"] as const) {
      const created = await request(t.app).post("/api/tokens").send({ name: `as ${role}`, role });
      expect(created.status).toBe(201);
      const me = await request(t.bareApp).get("/api/me").set(bearer(created.body.token));
      expect(me.body.actor).toMatchObject({ kind: "token", name: `as ${role}` });
      expect(me.body.workspace.role).toBe(role);
    }
    expect((await request(t.app).post("/api/tokens").send({ name: "x", role: "admin" })).status).toBe(400);
  });

  it("only owners manage tokens: an editor's token can neither list, create nor revoke one", async () => {
    const editor = await t.tokenFor("editor");
    const before = await t.db.apiToken.count();
    for (const res of [
      await request(t.bareApp).get("/api/tokens").set(bearer(editor)),
      await request(t.bareApp).post("/api/tokens").set(bearer(editor)).send({ name: "escalate", role: "owner" }),
      await request(t.bareApp).delete(`/api/tokens/${(await t.db.apiToken.findFirstOrThrow()).id}`).set(bearer(editor)),
    ]) {
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe("ROLE_FORBIDDEN");
    }
    expect(await t.db.apiToken.count()).toBe(before);
    expect(await t.db.apiToken.count({ where: { revokedAt: { not: null } } })).toBe(0);
  });

  it("a revoked token is refused at once, on every route, and its revocation is in the audit log", async () => {
    const created = await request(t.app).post("/api/tokens").send({ name: "short-lived", role: "owner" });
    expect((await request(t.app).delete(`/api/tokens/${created.body.id}`)).status).toBe(204);
    for (const path of ["/api/pipelines", "/api/me", "/api/health"]) {
      const r = await request(t.bareApp).get(path).set(bearer(created.body.token));
      expect(r.status, path).toBe(401);
      expect(r.body.error.code).toBe("INVALID_TOKEN");
      expect(r.body.error.message).toMatch(/revoked/);
    }
    const audit = await t.db.auditEvent.findMany({ where: { resourceId: created.body.id }, orderBy: { id: "asc" } });
    expect(audit.map((e) => e.action)).toEqual(["token.created", "token.revoked"]);
    expect(JSON.stringify(audit.map((e) => [e.resourceLabel, e.details]))).not.toContain(created.body.token);
  });

  it("a token of another workspace is not found: neither listed nor revocable (404, not 403)", async () => {
    const person = await t.person("viewer");
    const other = await t.deps.auth.accounts.db.$transaction((tx) => t.deps.workspaces.create(tx, "Other team", person.id));
    const theirs = await t.tokenFor("runner", other.id);
    const theirId = (await t.deps.tokens.verify(theirs))!.info.id;
    expect(((await request(t.app).get("/api/tokens")).body.tokens as Array<{ id: string }>).map((x) => x.id)).not.toContain(theirId);
    const revoke = await request(t.app).delete(`/api/tokens/${theirId}`);
    expect(revoke.status).toBe(404);
    expect((await request(t.bareApp).get("/api/me").set(bearer(theirs))).status).toBe(200);
    // A token cannot pick another workspace either.
    const elsewhere = await request(t.bareApp).get("/api/pipelines").set(bearer(theirs)).set("X-Sluice-Workspace", "00000000-0000-4000-8000-0000000000d1");
    expect(elsewhere.status).toBe(404);
    expect(elsewhere.body.error.code).toBe("WORKSPACE_NOT_FOUND");
  });

  it("a malformed Authorization header is refused, not ignored, even on public routes", async () => {
    for (const auth of ["Basic abc", "Bearer", "Bearer a b", `Token ${t.owner.token}`]) {
      const r = await request(t.bareApp).get("/api/health").set("authorization", auth);
      expect(r.status, auth).toBe(401);
      expect(r.body.error.code).toBe("INVALID_TOKEN");
    }
  });

  it("a token must have a name; an unknown token id is 404", async () => {
    expect((await request(t.app).post("/api/tokens").send({ name: " " })).status).toBe(400);
    expect((await request(t.app).delete("/api/tokens/00000000-0000-4000-8000-000000000000")).status).toBe(404);
  });

  it("a person's token records who made it", async () => {
    const owner = await t.person("owner");
    const agent = request.agent(t.bareApp);
    expect((await agent.post("/api/auth/sign-in").send({ email: owner.email, password: owner.password })).status).toBe(200);
    const created = await agent.post("/api/tokens").set("sec-fetch-site", "same-origin").send({ name: "made by a person" });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect((await t.db.apiToken.findUniqueOrThrow({ where: { id: created.body.id } })).createdBy).toBe(owner.id);
  });
});
