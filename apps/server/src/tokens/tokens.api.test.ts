import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import { createTestApp, type TestApp } from "../testing/test-app.ts";
import { quickPipelineGraph } from "../testing/quick-pipeline.ts";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ requireApiTokens: true });
}, 60_000);
afterAll(async () => t?.close());

const graph = { ...quickPipelineGraph("out"), parameters: [{ name: "day", type: "date", default: "2026-01-01" }] };

describe("API tokens for starting runs from other systems", () => {
  it("refuses a missing, malformed, wrong or revoked token with 401 and starts nothing; a live one starts the run", async () => {
    const p = (await request(t.app).post("/api/pipelines").send({ name: "Triggered", graph })).body.id as string;
    const trigger = (auth?: string) => {
      const r = request(t.app).post(`/api/pipelines/${p}/runs`);
      return (auth ? r.set("authorization", auth) : r).send({ params: { day: "2026-11-24" } });
    };
    const runs = async () => (await request(t.app).get(`/api/runs?pipelineId=${p}`)).body.total as number;

    const missing = await trigger();
    expect(missing.status).toBe(401);
    expect(missing.body.error.code).toBe("TOKEN_REQUIRED");
    expect((await trigger("Basic abc")).body.error.code).toBe("INVALID_TOKEN");
    expect((await trigger("Bearer slc_not-a-real-token")).status).toBe(401);
    expect(await runs()).toBe(0);

    const created = await request(t.app).post("/api/tokens").send({ name: "CI" });
    expect(created.status).toBe(201);
    const token = created.body.token as string;
    expect(token).toMatch(/^slc_[A-Za-z0-9_-]{40,}$/);
    expect(created.body.prefix).toBe(token.slice(0, 8));

    const ok = await trigger(`Bearer ${token}`);
    expect(ok.status, JSON.stringify(ok.body)).toBe(202);
    const run = (await request(t.app).get(`/api/runs/${ok.body.runId}`)).body;
    expect(run.params).toEqual({ day: "2026-11-24" });

    const listed = (await request(t.app).get("/api/tokens")).body.tokens;
    expect(listed).toHaveLength(1);
    expect(JSON.stringify(listed)).not.toContain(token);
    expect(listed[0].lastUsedAt).not.toBeNull();

    expect((await request(t.app).delete(`/api/tokens/${created.body.id}`)).status).toBe(204);
    const revoked = await trigger(`Bearer ${token}`);
    expect(revoked.status).toBe(401);
    expect(revoked.body.error.message).toMatch(/revoked/);
    expect(await runs()).toBe(1);
    expect((await request(t.app).get("/api/tokens")).body.tokens[0].revokedAt).not.toBeNull();
  });

  it("lets Sluice's own pages start runs without a token", async () => {
    const p = (await request(t.app).post("/api/pipelines").send({ name: "From the editor", graph })).body.id as string;
    const r = await request(t.app).post(`/api/pipelines/${p}/runs`).set("origin", "http://127.0.0.1").set("host", "127.0.0.1").send({});
    expect(r.status, JSON.stringify(r.body)).toBe(202);
  });

  it("a token must have a name; an unknown token id is 404", async () => {
    expect((await request(t.app).post("/api/tokens").send({ name: " " })).status).toBe(400);
    expect((await request(t.app).delete("/api/tokens/00000000-0000-4000-8000-000000000000")).status).toBe(404);
  });
});
