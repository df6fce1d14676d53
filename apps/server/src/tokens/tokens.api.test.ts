import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import { createTestApp, type TestApp } from "../testing/test-app.ts";
import { quickPipelineGraph } from "../testing/quick-pipeline.ts";
import { tokenPolicy } from "../http/access.ts";
import { networkPolicy } from "../http/network-policy.ts";

const graph = { ...quickPipelineGraph("out"), parameters: [{ name: "day", type: "date", default: "2026-01-01" }] };
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** HOST=0.0.0.0 with the default REQUIRE_API_TOKENS=auto: the configuration of the reported requests. */
describe("served on a network: every request but health needs a live token, whatever else it sends", () => {
  let t: TestApp;
  let server: Server;
  let origin: string;
  let admin: string;
  let pipelineId: string;
  let runId: string;

  beforeAll(async () => {
    const settings = { listenHost: "0.0.0.0" };
    t = await createTestApp({ network: settings, apiTokens: tokenPolicy("auto", networkPolicy(settings).onNetwork) });
    server = t.app.listen(0, "127.0.0.1");
    await new Promise((resolve) => server.once("listening", resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    // As `npm run token:create` does: the first token is made without the API.
    admin = (await t.deps.tokens.create("admin")).token;
    pipelineId = (await request(server).post("/api/pipelines").set(bearer(admin)).send({ name: "Triggered", graph })).body.id;
    runId = (await request(server).post(`/api/pipelines/${pipelineId}/runs`).set(bearer(admin)).send({})).body.runId;
  }, 60_000);
  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
    await t?.close();
  });

  const runCount = async () => t.db.run.count();

  it("starting a run: Sec-Fetch-Site: same-origin or the server's own Origin is not a token (401, no run)", async () => {
    const before = await runCount();
    const site = await request(server).post(`/api/pipelines/${pipelineId}/runs`).set("sec-fetch-site", "same-origin").send({});
    expect(site.status).toBe(401);
    expect(site.body.error.code).toBe("TOKEN_REQUIRED");
    expect(site.headers["www-authenticate"]).toMatch(/^Bearer/);
    const own = await request(server).post(`/api/pipelines/${pipelineId}/runs`).set("origin", origin).set("sec-fetch-site", "same-origin").send({});
    expect(own.status).toBe(401);
    expect(await runCount()).toBe(before);
  });

  it("retrying a run needs a token: none and a revoked one get 401 and start nothing", async () => {
    const revoked = await t.deps.tokens.create("old");
    await t.deps.tokens.revoke(revoked.id);
    const before = await runCount();
    expect((await request(server).post(`/api/runs/${runId}/retry`).send({})).status).toBe(401);
    const withRevoked = await request(server).post(`/api/runs/${runId}/retry`).set(bearer(revoked.token)).send({});
    expect(withRevoked.status).toBe(401);
    expect(withRevoked.body.error.code).toBe("INVALID_TOKEN");
    expect(await runCount()).toBe(before);
    expect((await request(server).post(`/api/runs/${runId}/retry`).set(bearer(admin)).send({})).status).toBe(202);
  });

  it("creating a schedule needs a token", async () => {
    const r = await request(server).post(`/api/pipelines/${pipelineId}/schedules`).set("origin", origin).send({ cron: "0 6 * * *" });
    expect(r.status).toBe(401);
    expect(await t.db.schedule.count()).toBe(0);
  });

  it("minting a token needs a token; with one, the new token works and is shown once", async () => {
    const before = (await t.deps.tokens.list()).length;
    const anonymous = await request(server).post("/api/tokens").set("origin", origin).send({ name: "sneaky" });
    expect(anonymous.status).toBe(401);
    expect((await t.deps.tokens.list()).length).toBe(before);

    const created = await request(server).post("/api/tokens").set(bearer(admin)).send({ name: "CI" });
    expect(created.status).toBe(201);
    const token = created.body.token as string;
    expect(token).toMatch(/^slc_[A-Za-z0-9_-]{40,}$/);
    expect(created.body.prefix).toBe(token.slice(0, 8));
    const started = await request(server).post(`/api/pipelines/${pipelineId}/runs`).set(bearer(token)).send({ params: { day: "2026-11-24" } });
    expect(started.status, JSON.stringify(started.body)).toBe(202);
    expect((await request(server).get(`/api/runs/${started.body.runId}`).set(bearer(token))).body.params).toEqual({ day: "2026-11-24" });

    const listed = (await request(server).get("/api/tokens").set(bearer(token))).body.tokens as Array<{ id: string; lastUsedAt: string | null }>;
    expect(JSON.stringify(listed)).not.toContain(token);
    expect(listed.find((l) => l.id === created.body.id)?.lastUsedAt).not.toBeNull();

    expect((await request(server).delete(`/api/tokens/${created.body.id}`).set(bearer(admin))).status).toBe(204);
    const revoked = await request(server).post(`/api/pipelines/${pipelineId}/runs`).set(bearer(token)).send({});
    expect(revoked.status).toBe(401);
    expect(revoked.body.error.message).toMatch(/revoked/);
  });

  it("reads need a token too; health does not", async () => {
    expect((await request(server).get("/api/pipelines")).status).toBe(401);
    expect((await request(server).get("/api/pipelines").set(bearer(admin))).status).toBe(200);
    expect((await request(server).get("/api/health")).status).toBe(200);
  });

  it("a malformed Authorization header is refused, not ignored", async () => {
    for (const auth of ["Basic abc", "Bearer", "Bearer a b", `Token ${admin}`]) {
      const r = await request(server).get("/api/health").set("authorization", auth);
      expect(r.status, auth).toBe(401);
      expect(r.body.error.code).toBe("INVALID_TOKEN");
    }
  });

  it("a token must have a name; an unknown token id is 404", async () => {
    expect((await request(server).post("/api/tokens").set(bearer(admin)).send({ name: " " })).status).toBe(400);
    expect((await request(server).delete("/api/tokens/00000000-0000-4000-8000-000000000000").set(bearer(admin))).status).toBe(404);
  });
});

describe("REQUIRE_API_TOKENS=true on loopback: changes need a token, reads do not", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ apiTokens: tokenPolicy("true", false) });
  }, 60_000);
  afterAll(async () => t?.close());

  it("refuses a change without a token and allows reads", async () => {
    expect((await request(t.app).post("/api/pipelines").send({ name: "x" })).status).toBe(401);
    expect((await request(t.app).get("/api/pipelines")).status).toBe(200);
    const { token } = await t.deps.tokens.create("local");
    expect((await request(t.app).post("/api/pipelines").set(bearer(token)).send({ name: "x" })).status).toBe(201);
  });

  it("the reported requests: retry with no token or a revoked one, a schedule, a token, all without a live token", async () => {
    const live = await t.deps.tokens.create("live");
    const old = await t.deps.tokens.create("old");
    await t.deps.tokens.revoke(old.id);
    const p = (await request(t.app).post("/api/pipelines").set(bearer(live.token)).send({ name: "Retried", graph })).body.id as string;
    const run = (await request(t.app).post(`/api/pipelines/${p}/runs`).set(bearer(live.token)).send({})).body.runId as string;
    const runs = await t.db.run.count();
    expect((await request(t.app).post(`/api/runs/${run}/retry`).send({})).status).toBe(401);
    expect((await request(t.app).post(`/api/runs/${run}/retry`).set(bearer(old.token)).send({})).status).toBe(401);
    expect((await request(t.app).post(`/api/pipelines/${p}/runs`).set("sec-fetch-site", "same-origin").send({})).status).toBe(401);
    expect(await t.db.run.count()).toBe(runs);
    expect((await request(t.app).post(`/api/pipelines/${p}/schedules`).send({ cron: "0 6 * * *" })).status).toBe(401);
    expect(await t.db.schedule.count()).toBe(0);
    const tokens = await t.db.apiToken.count();
    expect((await request(t.app).post("/api/tokens").send({ name: "minted" })).status).toBe(401);
    expect(await t.db.apiToken.count()).toBe(tokens);
  });
});

describe("the default install (loopback, auto): no token needed, a bad one still refused", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ apiTokens: tokenPolicy("auto", networkPolicy({ listenHost: "127.0.0.1" }).onNetwork) });
  }, 60_000);
  afterAll(async () => t?.close());

  it("works without a token and refuses an invalid one on any route", async () => {
    const p = await request(t.app).post("/api/pipelines").send({ name: "Local", graph });
    expect(p.status).toBe(201);
    expect((await request(t.app).post(`/api/pipelines/${p.body.id}/runs`).send({})).status).toBe(202);
    expect((await request(t.app).get("/api/pipelines").set(bearer("slc_not-a-real-token"))).status).toBe(401);
    expect((await request(t.app).post("/api/pipelines").set(bearer("slc_not-a-real-token")).send({ name: "y" })).status).toBe(401);
  });

  it("treats a request a proxy forwarded as from the network: a token is needed to read or write", async () => {
    // nginx in front of a loopback-only Sluice sends Host: 127.0.0.1 by default; its forwarding headers give it away.
    const forwarded = [
      ["X-Forwarded-For", "203.0.113.7"],
      ["Forwarded", "for=203.0.113.7;proto=https"],
      ["X-Real-IP", "203.0.113.7"],
      ["X-Forwarded-Host", "sluice.example.com"],
      ["X-Forwarded-Proto", "https"],
      ["Via", "1.1 proxy"],
    ] as const;
    const before = await t.db.pipeline.count();
    for (const [name, value] of forwarded) {
      const read = await request(t.app).get("/api/pipelines").set(name, value);
      expect(read.status, name).toBe(401);
      expect(read.body.error.code).toBe("TOKEN_REQUIRED");
      expect(read.body.error.message).toContain("PUBLIC_URL");
      expect((await request(t.app).post("/api/pipelines").set(name, value).send({ name: "Via proxy", graph })).status, name).toBe(401);
      expect((await request(t.app).get("/api/health").set(name, value)).status, name).toBe(200);
    }
    expect(await t.db.pipeline.count()).toBe(before);
    const minted = await request(t.app).post("/api/tokens").send({ name: "for the proxy" });
    expect(minted.status).toBe(201);
    const withToken = await request(t.app).get("/api/pipelines").set("X-Forwarded-For", "203.0.113.7").set(bearer(minted.body.token));
    expect(withToken.status).toBe(200);
  });
});
