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

/** A concrete URL for a route: ids that name nothing, so no request below changes anything. */
const urlOf = (r: AnyRoute) => `/api${r.path.replace(/:id\b/g, randomUUID()).replace(/:n\b/g, "1").replace(/:name\b/g, "out.csv")}`;

const call = (app: TestApp["app"] | Server, r: AnyRoute, headers: Record<string, string>) => {
  const req = request(app)[r.method](urlOf(r));
  for (const [k, v] of Object.entries(headers)) req.set(k, v);
  return r.method === "get" || r.method === "delete" ? req : req.send({});
};

/** What the express router actually has mounted under /api, to hold the declared list to it. */
function mountedApiRoutes(app: TestApp["app"]): string[] {
  type Layer = { route?: { path: string; methods: Record<string, boolean> }; handle?: { stack?: Layer[] } };
  const root = (app as unknown as { router: { stack: Layer[] } }).router.stack;
  const api = root.flatMap((l) => l.handle?.stack ?? []);
  return api.flatMap((l) => (l.route ? Object.keys(l.route.methods).map((m) => `${m} ${l.route!.path}`) : [])).sort();
}

describe("every route declares who may call it, and the declaration is enforced", () => {
  let t: TestApp;
  let routes: AnyRoute[];
  let valid: string;
  let revoked: string;
  let server: Server;
  let ownOrigin: string;

  beforeAll(async () => {
    // Served on a network with REQUIRE_API_TOKENS=auto: everything but public routes needs a token.
    t = await createTestApp({ network: { listenHost: "0.0.0.0" }, apiTokens: { writes: true, reads: true } });
    routes = apiRoutes(t.deps);
    valid = (await t.deps.tokens.create("valid")).token;
    const old = await t.deps.tokens.create("revoked");
    await t.deps.tokens.revoke(old.id);
    revoked = old.token;
    // Listening, so the forged Origin can be this server's own and pass the cross-origin check: only the token refuses.
    server = t.app.listen(0, "127.0.0.1");
    await new Promise((resolve) => server.once("listening", resolve));
    ownOrigin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }, 60_000);
  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
    await t?.close();
  });

  it("mounts exactly the declared routes, each with an access", () => {
    expect(mountedApiRoutes(t.app)).toEqual(routes.map((r) => `${r.method} ${r.path}`).sort());
    for (const r of routes) expect(["public", "read", "write"], `${r.method} ${r.path}`).toContain(r.access);
    // Only what tells a caller how to talk to the API is public.
    expect(routes.filter((r) => r.access === "public").map((r) => r.path).sort()).toEqual(["/health", "/openapi.json", "/pipeline-format.json"]);
    // Whatever changes data is not merely "read".
    for (const r of routes.filter((r) => r.method === "put" || r.method === "delete")) expect(r.access, r.path).toBe("write");
  });

  it("tells API clients which routes may need a token", async () => {
    const doc = (await request(t.app).get("/api/openapi.json")).body;
    expect(doc.components.securitySchemes.apiToken.scheme).toBe("bearer");
    for (const r of routes) {
      const op = doc.paths[`/api${r.path.replace(/:([A-Za-z_]+)/g, "{$1}")}`][r.method];
      expect(op["x-sluice-access"], r.path).toBe(r.access);
      expect(op.security, r.path).toEqual(r.access === "public" ? [] : [{ apiToken: [] }, {}]);
    }
  });

  const counts = async () => [await t.db.pipeline.count(), await t.db.run.count(), await t.db.apiToken.count(), await t.db.connection.count(), await t.db.schedule.count()];

  it("refuses every non-public route without a token, with a revoked one, and with headers that are not tokens", async () => {
    const forged = {
      origin: ownOrigin,
      "sec-fetch-site": "same-origin",
      "x-forwarded-for": "127.0.0.1",
      "x-real-ip": "127.0.0.1",
      host: "localhost",
    };
    const before = await counts();
    for (const r of routes.filter((r) => r.access !== "public")) {
      const name = `${r.method.toUpperCase()} ${r.path}`;
      const none = await call(t.app, r, {});
      expect(none.status, name).toBe(401);
      expect(none.body.error.code, name).toBe("TOKEN_REQUIRED");
      const old = await call(t.app, r, { authorization: `Bearer ${revoked}` });
      expect(old.status, name).toBe(401);
      expect(old.body.error.code, name).toBe("INVALID_TOKEN");
      expect((await call(server, r, forged)).status, `${name} with forged headers`).toBe(401);
      expect((await call(t.app, r, { authorization: "Basic YWRtaW46YWRtaW4=" })).status, `${name} with Basic`).toBe(401);
    }
    const after = await counts();
    expect(after).toEqual(before);
  });

  it("lets every route through with a valid token, and public ones without", async () => {
    for (const r of routes) {
      const name = `${r.method.toUpperCase()} ${r.path}`;
      const res = await call(t.app, r, r.access === "public" ? {} : { authorization: `Bearer ${valid}` });
      expect(res.status, `${name}: ${JSON.stringify(res.body)}`).not.toBe(401);
      expect(res.status, name).toBeLessThan(500);
    }
  });

  it("refuses an invalid token on public routes too, so a client learns its credential is bad", async () => {
    for (const r of routes.filter((r) => r.access === "public")) {
      expect((await call(t.app, r, { authorization: `Bearer ${revoked}` })).status, r.path).toBe(401);
    }
  });

  it("answers no route, page or API, to a name it was not told about (DNS rebinding)", async () => {
    const rebinding = { host: "rebind.evil.example:3000", origin: "http://rebind.evil.example:3000" };
    for (const r of routes) {
      const res = await call(t.app, r, { ...rebinding, authorization: `Bearer ${valid}` });
      expect(res.status, `${r.method} ${r.path}`).toBe(421);
      expect(res.body.error.code).toBe("HOST_NOT_ALLOWED");
      expect(res.body.error.message).toContain("ALLOWED_HOSTS");
    }
  });
});

describe("REQUIRE_API_TOKENS=true on loopback: every write route needs a token, reads do not", () => {
  let t: TestApp;
  let revoked: string;
  beforeAll(async () => {
    t = await createTestApp({ apiTokens: { writes: true, reads: false } });
    const old = await t.deps.tokens.create("revoked");
    await t.deps.tokens.revoke(old.id);
    revoked = old.token;
  }, 60_000);
  afterAll(async () => t?.close());

  it("refuses each write without a token and with a revoked one, whatever browser headers come with it", async () => {
    const routes = apiRoutes(t.deps);
    const before = [await t.db.run.count(), await t.db.schedule.count(), await t.db.apiToken.count()];
    for (const r of routes) {
      const name = `${r.method.toUpperCase()} ${r.path}`;
      const bare = await call(t.app, r, { "sec-fetch-site": "same-origin" });
      if (r.access === "write") {
        expect(bare.status, name).toBe(401);
        expect((await call(t.app, r, { authorization: `Bearer ${revoked}` })).status, name).toBe(401);
      } else {
        expect(bare.status, name).not.toBe(401);
      }
    }
    expect([await t.db.run.count(), await t.db.schedule.count(), await t.db.apiToken.count()]).toEqual(before);
  });
});

describe("DNS rebinding on the default install (loopback, no token)", () => {
  let t: TestApp;
  let web: string;
  let withWeb: ReturnType<typeof createApp>;

  beforeAll(async () => {
    t = await createTestApp();
    web = mkdtempSync(path.join(tmpdir(), "sluice-web-"));
    writeFileSync(path.join(web, "index.html"), "<!doctype html><title>Sluice</title>");
    withWeb = createApp(t.deps, { bodyLimit: "1mb", network: networkPolicy({ listenHost: "127.0.0.1" }), apiTokens: { writes: false, reads: false }, webDist: web });
  }, 60_000);
  afterAll(async () => {
    rmSync(web, { recursive: true, force: true });
    await t?.close();
  });

  const rebind = { host: "rebind.evil.example:3000", origin: "http://rebind.evil.example:3000" };

  it("the reported request: POST /api/pipelines with Host and Origin of a rebinding name is refused and creates nothing", async () => {
    const r = await request(t.app).post("/api/pipelines").set(rebind).send({ name: "rebound" });
    expect(r.status).toBe(421);
    expect(await t.db.pipeline.count()).toBe(0);
  });

  it("the reported preview never runs, and GETs read nothing", async () => {
    const preview = await request(t.app).post("/api/preview").set(rebind).send({ graph: { formatVersion: 1, nodes: [], edges: [] }, nodeId: "x" });
    expect(preview.status).toBe(421);
    expect((await request(t.app).get("/api/connections").set(rebind)).status).toBe(421);
  });

  it("the web app's pages are not served to that name either, but are to localhost", async () => {
    for (const p of ["/", "/pipelines", "/index.html"]) {
      const r = await request(withWeb).get(p).set("host", "rebind.evil.example:3000");
      expect(r.status, p).toBe(421);
      expect(r.text).not.toContain("<title>Sluice");
    }
    const ok = await request(withWeb).get("/pipelines").set("host", "localhost:3000");
    expect(ok.status).toBe(200);
    expect(ok.text).toContain("<title>Sluice");
  });

  it("a page on another local port may read nothing it could not already, and may change nothing", async () => {
    const r = await request(t.app).post("/api/pipelines").set({ host: "localhost:3000", origin: "http://localhost:8080" }).send({ name: "other app" });
    expect(r.status).toBe(403);
    expect(r.body.error.code).toBe("CROSS_ORIGIN_REFUSED");
  });

  it("the local user's own page and tools keep working without a token", async () => {
    expect((await request(t.app).post("/api/pipelines").set("host", "localhost:5173").send({ name: "from curl" })).status).toBe(201);
    expect((await request(t.app).get("/api/pipelines").set("host", "[::1]:3000")).status).toBe(200);
  });
});
