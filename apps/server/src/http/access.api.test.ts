import { randomUUID } from "node:crypto";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import { createTestApp, type TestApp } from "../testing/test-app.ts";
import { apiRoutes, createApp } from "./app.ts";
import { networkPolicy } from "./network-policy.ts";
import type { AnyRoute } from "./route.ts";

/**
 * Who reaches the API does not depend on where the server listens or what a request claims about itself: the
 * route x role matrix is route-roles.api.test.ts; this holds the things around it (bind address, proxies,
 * forged browser headers, DNS rebinding) for every route of the table.
 */

/** A concrete URL for a route: random ids, so nothing below finds anything to change. */
const urlOf = (r: AnyRoute) => `/api${r.path.replace(/:(\w+)/g, (_m, p: string) => (p === "n" ? "1" : p === "name" ? "out.csv" : randomUUID()))}`;

const call = (app: TestApp["app"] | Server, r: AnyRoute, headers: Record<string, string>) => {
  const req = request(app)[r.method](urlOf(r));
  for (const [k, v] of Object.entries(headers)) req.set(k, v);
  return r.method === "post" || r.method === "put" ? req.send({}) : req;
};

const counts = async (t: TestApp) => [await t.db.pipeline.count(), await t.db.run.count(), await t.db.apiToken.count(), await t.db.connection.count(), await t.db.schedule.count(), await t.db.session.count()];

for (const listenHost of ["127.0.0.1", "0.0.0.0"]) {
  describe(`HOST=${listenHost}: a session or token is needed on every non-public route, whatever else the request says`, () => {
    let t: TestApp;
    let routes: AnyRoute[];
    let server: Server;
    let ownOrigin: string;

    beforeAll(async () => {
      t = await createTestApp({ network: { listenHost } });
      routes = apiRoutes(t.deps);
      server = t.bareApp.listen(0, "127.0.0.1");
      await new Promise((resolve) => server.once("listening", resolve));
      ownOrigin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    }, 60_000);
    afterAll(async () => {
      await new Promise((resolve) => server?.close(resolve));
      await t?.close();
    });

    it("forged browser and proxy headers are not credentials: 401 on every non-public route, nothing changes", async () => {
      const forged: Record<string, string>[] = [
        // The server's own page, a same-origin fetch, loopback claims: none of them is who the caller is.
        { origin: ownOrigin, "sec-fetch-site": "same-origin", "x-forwarded-for": "127.0.0.1", "x-real-ip": "127.0.0.1", host: "localhost" },
        { forwarded: "for=127.0.0.1;proto=https", "x-forwarded-proto": "https", "x-forwarded-host": "localhost", via: "1.1 proxy" },
        { cookie: "sluice_session=not-a-session; __Host-sluice_session=nor-this" },
        { "x-sluice-workspace": "00000000-0000-4000-8000-0000000000d1" },
      ];
      const before = await counts(t);
      for (const r of routes.filter((r) => r.action !== "public")) {
        for (const headers of forged) {
          const res = await call(server, r, headers);
          expect(res.status, `${r.method} ${r.path} with ${Object.keys(headers).join(", ")}`).toBe(401);
          expect(res.body.error.code).toBe("SIGN_IN_REQUIRED");
        }
        for (const auth of ["Basic YWRtaW46YWRtaW4=", "Bearer", "Bearer slc_not-a-real-token", `Token ${t.owner.token}`]) {
          const res = await call(server, r, { authorization: auth });
          expect(res.status, `${r.method} ${r.path} with ${auth}`).toBe(401);
          expect(res.body.error.code).toBe("INVALID_TOKEN");
        }
      }
      expect(await counts(t)).toEqual(before);
    });

    it("a credential that is not valid is refused on public routes too, so a client learns it is bad", async () => {
      for (const r of routes.filter((r) => r.action === "public")) {
        const res = await call(server, r, { authorization: "Bearer slc_not-a-real-token" });
        expect(res.status, r.path).toBe(401);
        expect(res.body.error.code).toBe("INVALID_TOKEN");
      }
    });

    it("health, sign-in's configuration and the API description answer anyone", async () => {
      for (const p of ["/api/health", "/api/auth/config", "/api/openapi.json", "/api/pipeline-format.json"]) {
        expect((await request(server).get(p)).status, p).toBe(200);
      }
    });

    it("answers no route to a name it was not told about (DNS rebinding), not even with a valid token", async () => {
      const rebinding = { host: "rebind.evil.example:3000", origin: "http://rebind.evil.example:3000" };
      for (const r of routes) {
        const res = await call(t.bareApp, r, { ...rebinding, authorization: `Bearer ${t.owner.token}` });
        expect(res.status, `${r.method} ${r.path}`).toBe(421);
        expect(res.body.error.code).toBe("HOST_NOT_ALLOWED");
        expect(res.body.error.message).toContain("ALLOWED_HOSTS");
      }
    });
  });
}

describe("DNS rebinding and other local pages on the default install", () => {
  let t: TestApp;
  let web: string;
  let withWeb: ReturnType<typeof createApp>;

  beforeAll(async () => {
    t = await createTestApp();
    web = mkdtempSync(path.join(tmpdir(), "sluice-web-"));
    writeFileSync(path.join(web, "index.html"), "<!doctype html><title>Sluice</title>");
    withWeb = createApp(t.deps, { bodyLimit: "1mb", network: networkPolicy({ listenHost: "127.0.0.1" }), webDist: web });
  }, 60_000);
  afterAll(async () => {
    rmSync(web, { recursive: true, force: true });
    await t?.close();
  });

  const rebind = { host: "rebind.evil.example:3000", origin: "http://rebind.evil.example:3000" };

  it("POST /api/pipelines with Host and Origin of a rebinding name is refused and creates nothing, token or not", async () => {
    const r = await request(t.app).post("/api/pipelines").set(rebind).send({ name: "rebound" });
    expect(r.status).toBe(421);
    expect(await t.db.pipeline.count()).toBe(0);
  });

  it("the web app's pages are not served to that name either, but are to localhost", async () => {
    for (const p of ["/", "/pipelines", "/index.html"]) {
      const r = await request(withWeb).get(p).set("host", "rebind.evil.example:3000");
      expect(r.status, p).toBe(421);
      expect(r.text).not.toContain("<title>Sluice");
    }
    const ok = await request(withWeb).get("/sign-in").set("host", "localhost:3000");
    expect(ok.status).toBe(200);
    expect(ok.text).toContain("<title>Sluice");
  });

  it("a page on another local port can change nothing, even with the owner's session cookie", async () => {
    const agent = request.agent(t.bareApp);
    expect((await agent.post("/api/auth/sign-in").send({ email: t.owner.email, password: t.owner.password })).status).toBe(200);
    const r = await agent.post("/api/pipelines").set({ host: "localhost:3000", origin: "http://localhost:8080" }).send({ name: "other app" });
    expect(r.status).toBe(403);
    expect(r.body.error.code).toBe("CROSS_ORIGIN_REFUSED");
    expect(await t.db.pipeline.count()).toBe(0);
  });

  it("without a credential, the local user's curl is refused like anyone's: being on loopback is not an account", async () => {
    const r = await request(t.bareApp).post("/api/pipelines").set("host", "localhost:5173").send({ name: "from curl" });
    expect(r.status).toBe(401);
    expect((await request(t.bareApp).get("/api/pipelines").set("host", "[::1]:3000")).status).toBe(401);
    const withToken = await request(t.bareApp).post("/api/pipelines").set({ host: "localhost:5173", authorization: `Bearer ${t.owner.token}` }).send({ name: "from curl" });
    expect(withToken.status).toBe(201);
  });
});
