import http from "node:http";
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import { createTestApp, type TestApp } from "../testing/test-app.ts";
import { quickPipelineGraph } from "../testing/quick-pipeline.ts";

/**
 * A run's event stream stays open while the run goes on, for as long as it takes. The caller who opened it must
 * still be allowed to read the workspace for it to go on: a revoked token, a removed member or a session that
 * ended stops receiving the run's progress and log within seconds, as their next request would be refused.
 * No worker here, so a started run stays queued and its stream never ends by itself.
 */
let t: TestApp;
let server: Server;
let port: number;
const open: http.ClientRequest[] = [];

beforeAll(async () => {
  t = await createTestApp({ startWorker: false });
  server = t.bareApp.listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  port = (server.address() as AddressInfo).port;
}, 60_000);
afterAll(async () => {
  for (const r of open) r.destroy();
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  // A stream whose client went away stops at its next poll (400 ms), before the database goes.
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  await t?.close();
}, 60_000);

async function queuedRun(): Promise<string> {
  const p = await request(t.app).post("/api/pipelines").send({ name: `Watched ${open.length}`, graph: quickPipelineGraph("out") });
  expect(p.status, JSON.stringify(p.body)).toBe(201);
  const run = await request(t.app).post(`/api/pipelines/${p.body.id}/runs`).send({});
  expect(run.status, JSON.stringify(run.body)).toBe(202);
  return run.body.runId as string;
}

/** Opens the stream; resolves with a promise of how it ended ("ended" when the server closed it) and what came. */
function stream(runId: string, headers: Record<string, string>) {
  return new Promise<{ status: number; received: () => string; ended: Promise<"ended"> }>((resolve, reject) => {
    const req = http.get({ host: "127.0.0.1", port, path: `/api/runs/${runId}/events`, headers }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => (text += c));
      const ended = new Promise<"ended">((done) => res.on("close", () => done("ended")));
      resolve({ status: res.statusCode ?? 0, received: () => text, ended });
    });
    req.on("error", reject);
    open.push(req);
  });
}

const within = <T>(p: Promise<T>, ms: number) => Promise.race([p, new Promise<"still open">((r) => setTimeout(() => r("still open"), ms))]);

describe("a run's event stream after the caller loses access", () => {
  it("goes on while the caller may read the workspace", async () => {
    const runId = await queuedRun();
    const s = await stream(runId, { authorization: `Bearer ${await t.tokenFor("viewer")}` });
    expect(s.status).toBe(200);
    expect(await within(s.ended, 3_000)).toBe("still open");
    expect(s.received()).toMatch(/event: run/);
  });

  it("ends soon after the API token it came with is revoked", async () => {
    const runId = await queuedRun();
    const created = await request(t.app).post("/api/tokens").send({ name: "watcher", role: "viewer" });
    const s = await stream(runId, { authorization: `Bearer ${created.body.token}` });
    expect(s.status).toBe(200);
    expect((await request(t.app).delete(`/api/tokens/${created.body.id}`)).status).toBe(204);
    expect(s.received()).toMatch(/event: run/);
    expect(await within(s.ended, 6_000)).toBe("ended");
  });

  it("ends soon after the person is removed from the workspace, signs out, or their session expires", async () => {
    for (const lose of ["removed", "signed out", "expired"] as const) {
      const runId = await queuedRun();
      const person = await t.person("runner");
      const signIn = await request(server).post("/api/auth/sign-in").send({ email: person.email, password: person.password });
      const cookie = ([] as string[]).concat(signIn.headers["set-cookie"] ?? [])[0]!.split(";")[0]!;
      const s = await stream(runId, { cookie });
      expect(s.status).toBe(200);
      if (lose === "removed") expect((await request(t.app).delete(`/api/members/${person.id}`)).status).toBe(204);
      else if (lose === "signed out") expect((await request(server).post("/api/auth/sign-out").set({ cookie, origin: `http://127.0.0.1:${port}` })).status).toBe(204);
      else await t.db.session.updateMany({ where: { userId: person.id }, data: { expiresAt: new Date(Date.now() - 1_000) } });
      expect(await within(s.ended, 6_000), lose).toBe("ended");
    }
  });
});
