import { randomUUID } from "node:crypto";
import http, { type Server } from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import { roleSchema, rolesAllowed, workspaceActionSchema, type Role } from "@sluice/model";
import { createTestApp, type TestApp } from "../testing/test-app.ts";
import { quickPipelineGraph } from "../testing/quick-pipeline.ts";
import { apiRoutes } from "./app.ts";
import { accessGuard, type RouteAction } from "./access.ts";
import { defineRoute, mountRoutes, type AnyRoute } from "./route.ts";
import { DEFAULT_WORKSPACE_ID } from "../workspaces/workspace.repository.ts";

/**
 * The route x role test the issue asks for, generated from the route table (apiRoutes, the only list mounted) and
 * the OpenAPI document: a new route is called as nobody and as every role without being listed here, and the
 * answer is held to the one policy table (rolesAllowed). Ids in paths are random, so no allowed call finds
 * anything to change; a 404 or 400 there means the call got past the policy, which is all that is asked of it.
 */

const ROLES = roleSchema.options;
const ACTIONS: readonly RouteAction[] = ["public", "signed-in", ...workspaceActionSchema.options];
const name = (r: AnyRoute) => `${r.method.toUpperCase()} /api${r.path}`;
const isWrite = (r: AnyRoute) => r.method !== "get";
/** Whether the policy table lets `role` call `r` (public and signed-in routes let everyone with a credential in). */
const allows = (r: AnyRoute, role: Role) => r.action === "public" || r.action === "signed-in" || rolesAllowed[r.action].includes(role);

/** Values a path parameter might take; the route's own params schema picks the first combination it accepts. */
const CANDIDATES = () => [randomUUID(), "1", "out.csv", "x"];

/** A concrete URL for a route, with the values `pick` gives its parameters (random ones the schema accepts otherwise). */
function urlOf(r: AnyRoute, pick: (param: string) => string | undefined = () => undefined): string {
  const params = [...r.path.matchAll(/:(\w+)/g)].map((m) => m[1]!);
  const combos = params.reduce<Record<string, string>[]>((acc, p) => acc.flatMap((c) => (pick(p) !== undefined ? [pick(p)!] : CANDIDATES()).map((v) => ({ ...c, [p]: v }))), [{}]);
  const values = combos.find((c) => !r.params || r.params.safeParse(c).success);
  if (!values) throw new Error(`${name(r)}: no value of ${params.join(", ")} passes its params schema; teach urlOf a value for it`);
  return `/api${r.path.replace(/:(\w+)/g, (_m, p: string) => encodeURIComponent(values[p]!))}`;
}

/** What the express app actually has mounted under /api, to hold the declared list to it. */
function mountedApiRoutes(app: express.Express): string[] {
  type Layer = { route?: { path: string; methods: Record<string, boolean> }; handle?: { stack?: Layer[] } };
  const root = (app as unknown as { router: { stack: Layer[] } }).router.stack;
  const api = root.flatMap((l) => l.handle?.stack ?? []);
  return api.flatMap((l) => (l.route ? Object.keys(l.route.methods).map((m) => `${m} ${l.route!.path}`) : [])).sort();
}

type OpenApi = { paths: Record<string, Record<string, { "x-sluice-action"?: string; "x-sluice-roles"?: string[]; security?: unknown[] }>> };

let t: TestApp;
let server: Server;
let origin: string;
let routes: AnyRoute[];

/** One request to a route, as whoever `headers` says; writes send `body` (an empty object unless said). */
function call(r: AnyRoute, url: string, headers: Record<string, string>, body: unknown = {}) {
  const req = request(server)[r.method](url).timeout(15_000);
  for (const [k, v] of Object.entries(headers)) req.set(k, v);
  return r.method === "post" || r.method === "put" ? req.send(body as object) : req;
}

/** The status a GET answers with, without waiting for its body (an event stream never ends by itself). */
function headStatus(url: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.get(`${origin}${url}`, { headers }, (res) => {
      resolve(res.statusCode ?? 0);
      res.destroy();
    });
    req.on("error", reject);
    req.setTimeout(15_000, () => req.destroy(new Error(`no answer from ${url}`)));
  });
}

const signIn = async (email: string, password: string): Promise<string> => {
  const res = await request(server).post("/api/auth/sign-in").send({ email, password });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  const cookie = ([] as string[]).concat(res.headers["set-cookie"] ?? []).find((c) => c.includes("sluice_session="));
  return cookie!.split(";")[0]!;
};

/** Rows of everything a refused request must not have changed. */
const counts = async () => ({
  pipelines: await t.db.pipeline.count(),
  versions: await t.db.pipelineVersion.count(),
  runs: await t.db.run.count(),
  files: await t.db.dataFile.count(),
  connections: await t.db.connection.count(),
  schedules: await t.db.schedule.count(),
  tokens: await t.db.apiToken.count({ where: { revokedAt: null } }),
  memberships: await t.db.membership.count(),
  invitations: await t.db.invitation.count({ where: { revokedAt: null } }),
  workspaces: await t.db.workspace.count(),
});

beforeAll(async () => {
  t = await createTestApp();
  routes = apiRoutes(t.deps);
  // Listening, so a write's Origin can name this very server, as the web app's pages do.
  server = t.bareApp.listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 60_000);
afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  await t?.close();
});

describe("the route table is the API: every route declares its action, and nothing else is mounted or documented", () => {
  it("every route's action is one the policy knows (a route without one would be caught here, and by tsc)", () => {
    expect(routes.length).toBeGreaterThan(40);
    for (const r of routes) expect(ACTIONS, name(r)).toContain(r.action);
    // Only health, sign-in and its kin, invitations and the API's own description answer strangers.
    const publicPaths = routes.filter((r) => r.action === "public").map((r) => r.path);
    for (const p of publicPaths) expect(p, "a public route outside the allowed families").toMatch(/^\/(health|openapi\.json|pipeline-format\.json|auth\/(config|setup|sign-in|sso\/[\w-]+)|invitations\/(inspect|accept))$/);
    // What changes a workspace's data is never merely "read" or "signed in".
    for (const r of routes.filter((r) => (r.method === "put" || r.method === "delete") && r.action !== "signed-in")) {
      expect(["public", "workspace.read", "pipeline.preview"], name(r)).not.toContain(r.action);
    }
  });

  it("TypeScript refuses a route without an action", () => {
    // @ts-expect-error -- `action` is required: this is the compile-time half of "no route without a declared action".
    const missing = defineRoute({ method: "get", path: "/nothing", tag: "x", summary: "x", handler: async () => ({ body: null }) });
    expect(missing.action).toBeUndefined();
  });

  it("a route that somehow has no action is refused when it is mounted, so it can never be called", () => {
    const handler = async () => ({ body: "ran" });
    const bad = { method: "get", path: "/no-action", tag: "x", summary: "x", handler } as unknown as AnyRoute;
    const misspelled = { ...bad, action: "pipeline.edt" } as unknown as AnyRoute;
    const options = {
      authorize: accessGuard({ tokens: t.deps.tokens, sessions: t.deps.auth.accounts.sessions, workspaces: t.deps.workspaces, https: () => false }),
      parseJson: express.json(),
    };
    expect(() => mountRoutes(express.Router(), [bad], options)).toThrow(/GET \/no-action declares no valid action/);
    expect(() => mountRoutes(express.Router(), [misspelled], options)).toThrow(/declares no valid action/);
  });

  it("mounts exactly the declared routes", () => {
    expect(mountedApiRoutes(t.bareApp)).toEqual(routes.map((r) => `${r.method} ${r.path}`).sort());
  });

  it("documents exactly the mounted routes in the OpenAPI document, each with its action, roles and security", async () => {
    const doc = (await request(server).get("/api/openapi.json")).body as OpenApi;
    const documented = Object.entries(doc.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m} ${p.replace(/^\/api/, "").replace(/\{(\w+)\}/g, ":$1")}`));
    expect(documented.sort()).toEqual(routes.map((r) => `${r.method} ${r.path}`).sort());
    for (const r of routes) {
      const op = doc.paths[`/api${r.path.replace(/:(\w+)/g, "{$1}")}`]![r.method]!;
      expect(op["x-sluice-action"], name(r)).toBe(r.action);
      expect(op["x-sluice-roles"], name(r)).toEqual(r.action === "public" || r.action === "signed-in" ? undefined : [...rolesAllowed[r.action]]);
      expect(op.security, name(r)).toEqual(r.action === "public" ? [] : [{ apiToken: [] }, { session: [] }]);
    }
  });
});

describe("every route as nobody and as every role, held to the policy table", () => {
  const tokens = new Map<Role, string>();
  const people = new Map<Role, { email: string; password: string; cookie: string }>();

  beforeAll(async () => {
    for (const role of ROLES) {
      tokens.set(role, await t.tokenFor(role));
      const p = await t.person(role);
      people.set(role, { ...p, cookie: await signIn(p.email, p.password) });
    }
  }, 60_000);

  it("without a session or token, every non-public route answers 401 SIGN_IN_REQUIRED and changes nothing", async () => {
    const before = await counts();
    for (const r of routes.filter((r) => r.action !== "public")) {
      // A write from the server's own page, so only the missing credential can be what refuses it.
      const res = await call(r, urlOf(r), isWrite(r) ? { origin } : {});
      expect(res.status, `${name(r)}: ${JSON.stringify(res.body)}`).toBe(401);
      expect(res.body.error.code, name(r)).toBe("SIGN_IN_REQUIRED");
      expect(res.headers["www-authenticate"], name(r)).toMatch(/^Bearer/);
    }
    expect(await counts()).toEqual(before);
  });

  it("with a revoked token or a session that ended, every route (public ones too for the token) is refused", async () => {
    const old = await t.deps.tokens.create(t.db, { workspaceId: DEFAULT_WORKSPACE_ID, name: "old", role: "owner", createdBy: null });
    await t.deps.tokens.revoke(t.db, DEFAULT_WORKSPACE_ID, old.id);
    const gone = people.get("owner")!;
    const ended = await signIn(gone.email, gone.password);
    await request(server).post("/api/auth/sign-out").set({ cookie: ended, origin });
    for (const r of routes) {
      const withToken = await call(r, urlOf(r), { authorization: `Bearer ${old.token}` });
      expect(withToken.status, name(r)).toBe(401);
      expect(withToken.body.error.code, name(r)).toBe("INVALID_TOKEN");
      if (r.action === "public") continue;
      const withCookie = await call(r, urlOf(r), { cookie: ended, ...(isWrite(r) ? { origin } : {}) });
      expect(withCookie.status, name(r)).toBe(401);
      expect(withCookie.body.error.code, name(r)).toBe("SIGN_IN_REQUIRED");
    }
  });

  it("public routes answer without credentials", async () => {
    for (const r of routes.filter((r) => r.action === "public")) {
      const res = await call(r, urlOf(r), isWrite(r) ? { origin } : {});
      expect([401, 403], `${name(r)}: ${res.status} ${JSON.stringify(res.body)}`).not.toContain(res.status);
      expect(res.status, `${name(r)}: ${JSON.stringify(res.body)}`).toBeLessThan(500);
    }
  });

  /** Asserts one answer against the table: 403 ROLE_FORBIDDEN exactly when the role may not, else past the policy. */
  function expectPolicy(r: AnyRoute, role: Role, via: "token" | "session", res: request.Response) {
    const what = `${name(r)} as ${role} (${via}): ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`;
    if (!allows(r, role)) {
      expect(res.status, what).toBe(403);
      expect(res.body.error.code, what).toBe("ROLE_FORBIDDEN");
      expect(res.body.error.details, what).toMatchObject({ action: r.action, role, allowedRoles: [...rolesAllowed[r.action as keyof typeof rolesAllowed]] });
      return;
    }
    expect(res.status, what).toBeLessThan(500);
    expect(res.status, what).not.toBe(401);
    // Sign-out and password changes are a person's: an API token gets PERSON_REQUIRED there, which is no role check.
    if (res.status === 403) expect(via === "token" && r.action === "signed-in" && res.body.error.code === "PERSON_REQUIRED", what).toBe(true);
  }

  it("with each role's API token: 403 ROLE_FORBIDDEN exactly where the table says no, past the policy elsewhere", async () => {
    const refused = await counts();
    for (const r of routes.filter((r) => r.action !== "public")) {
      for (const role of ROLES.filter((role) => !allows(r, role))) expectPolicy(r, role, "token", await call(r, urlOf(r), { authorization: `Bearer ${tokens.get(role)!}` }));
    }
    expect(await counts(), "a refused request changed something").toEqual(refused);
    for (const r of routes.filter((r) => r.action !== "public")) {
      for (const role of ROLES.filter((role) => allows(r, role))) expectPolicy(r, role, "token", await call(r, urlOf(r), { authorization: `Bearer ${tokens.get(role)!}` }));
    }
  }, 120_000);

  it("as a signed-in person of each role (session cookie, writes from the server's own page): the same answers", async () => {
    const refused = await counts();
    for (const r of routes.filter((r) => r.action !== "public")) {
      for (const role of ROLES.filter((role) => !allows(r, role))) {
        expectPolicy(r, role, "session", await call(r, urlOf(r), { cookie: people.get(role)!.cookie, ...(isWrite(r) ? { origin } : {}) }));
      }
    }
    expect(await counts(), "a refused request changed something").toEqual(refused);
    for (const r of routes.filter((r) => r.action !== "public")) {
      for (const role of ROLES.filter((role) => allows(r, role))) {
        const person = people.get(role)!;
        const res = await call(r, urlOf(r), { cookie: person.cookie, ...(isWrite(r) ? { origin } : {}) });
        expectPolicy(r, role, "session", res);
        // Sign-out and its kin end the session they were called with: sign in again for the next route.
        if (isWrite(r) && res.status < 300 && (await request(server).get("/api/me").set("cookie", person.cookie)).status === 401) {
          person.cookie = await signIn(person.email, person.password);
        }
      }
    }
  }, 180_000);

  it("a cookie-authenticated write needs the server's own Origin (or Sec-Fetch-Site: same-origin), on every write route", async () => {
    const owner = people.get("owner")!;
    const before = await counts();
    for (const r of routes.filter((r) => isWrite(r) && r.action !== "public")) {
      const none = await call(r, urlOf(r), { cookie: owner.cookie });
      expect(none.status, name(r)).toBe(403);
      expect(none.body.error.code, name(r)).toBe("CROSS_ORIGIN_REFUSED");
      const foreign = await call(r, urlOf(r), { cookie: owner.cookie, origin: "https://evil.example" });
      expect(foreign.status, name(r)).toBe(403);
      expect(foreign.body.error.code, name(r)).toBe("CROSS_ORIGIN_REFUSED");
    }
    expect(await counts()).toEqual(before);
  });
});

describe("another workspace's resources are not found (404, never 403), on every route with an id", () => {
  const A: Record<string, string> = {};
  let outsider: string;
  let outsiderPerson: { email: string; password: string };

  beforeAll(async () => {
    const graph = quickPipelineGraph("out");
    A.pipeline = (await request(t.app).post("/api/pipelines").send({ name: "A's pipeline", graph })).body.id;
    A.run = (await request(t.app).post(`/api/pipelines/${A.pipeline}/runs`).send({})).body.runId;
    A.file = (await request(t.app).post("/api/files").attach("file", Buffer.from("a,b\n1,2\n"), "a.csv")).body.id;
    A.connection = (await request(t.app).post("/api/connections").send({ name: "A's API", kind: "http", settings: { hosts: ["api.example.com"] }, headers: [{ name: "Authorization", value: "Bearer a-secret" }] })).body.id;
    A.schedule = (await request(t.app).post(`/api/pipelines/${A.pipeline}/schedules`).send({ cron: "0 6 * * *", enabled: false })).body.id;
    const dated = (await request(t.app).post("/api/pipelines").send({ name: "A's daily", graph: { ...graph, parameters: [{ name: "day", type: "date", default: "2024-01-01" }] } })).body.id;
    A.backfill = (await request(t.app).post(`/api/pipelines/${dated}/backfills`).send({ parameter: "day", from: "2024-01-01", to: "2024-01-01" })).body.id;
    A.token = (await request(t.app).post("/api/tokens").send({ name: "A's token" })).body.id;
    A.member = (await t.person("viewer")).id;
    // A public address literal, so creating it needs no DNS and no allowlist.
    A.notification = (await request(t.app).post("/api/notification-channels").send({ kind: "webhook", url: "https://93.184.215.14/hook", name: "A's webhook", events: ["run.failed"] })).body.id;
    if (routes.some((r) => r.method === "post" && r.path === "/invitations")) A.invitation = (await request(t.app).post("/api/invitations").send({ role: "viewer" })).body.id;
    for (const [kind, id] of Object.entries(A)) expect(id, `setup: A's ${kind}`).toMatch(/^[0-9a-f-]{36}$/);
    // Workspace B: its own owner, who is no member of A, and an owner token of B.
    const p = await t.person("viewer");
    const b = await t.db.$transaction((tx) => t.deps.workspaces.create(tx, "Workspace B", p.id));
    await t.db.membership.deleteMany({ where: { userId: p.id, workspaceId: { not: b.id } } });
    outsider = await t.tokenFor("owner", b.id);
    outsiderPerson = p;
  }, 60_000);

  /** Which of A's resources a path parameter names, by the path it sits in. */
  const resourceOf = (r: AnyRoute, param: string): string | undefined => {
    if (param === "n") return "1";
    if (param === "name") return "out.csv";
    if (param === "nodeId") return "out";
    const family = r.path.split("/")[1]!;
    const kinds: Record<string, string> = { pipelines: "pipeline", runs: "run", files: "file", connections: "connection", schedules: "schedule", backfills: "backfill", tokens: "token", members: "member", invitations: "invitation", "notification-channels": "notification" };
    const kind = kinds[family];
    return kind ? A[kind] : undefined;
  };

  /** A body the route's own schema accepts, so the answer is about the id, not the body. */
  const validBody = (r: AnyRoute): unknown => {
    const candidates = [{}, { role: "viewer" }, { baseVersion: 1 }, { cron: "0 7 * * *" }, { after: [] }, { kind: "http" }, { parameter: "day", from: "2024-01-01", to: "2024-01-01" }, { pattern: "orders-*.csv" }];
    return r.body ? candidates.find((c) => r.body!.safeParse(c).success) : undefined;
  };

  it("workspace B's owner token gets 404 for each of A's resources, on every route that takes an id, and changes nothing", async () => {
    const withIds = routes.filter((r) => r.action !== "public" && r.action !== "signed-in" && /:\w+/.test(r.path));
    expect(withIds.length).toBeGreaterThan(20);
    const before = await counts();
    const snapshot = async () => JSON.stringify([await t.db.pipeline.findMany({ orderBy: { id: "asc" } }), await t.db.schedule.findMany({ orderBy: { id: "asc" } }), await t.db.connection.findMany({ orderBy: { id: "asc" } })]);
    const rows = await snapshot();
    // Deletions last, so a deletion that wrongly worked cannot hide another route's answer.
    for (const r of [...withIds].sort((x, y) => Number(x.method === "delete") - Number(y.method === "delete"))) {
      for (const param of [...r.path.matchAll(/:(\w+)/g)].map((m) => m[1]!)) {
        expect(resourceOf(r, param), `${name(r)}: which of A's resources does :${param} name? Add it to resourceOf`).toBeDefined();
      }
      if (r.body) expect(validBody(r), `${name(r)}: add a body its schema accepts to validBody`).toBeDefined();
      const res = await call(r, urlOf(r, (p) => resourceOf(r, p)), { authorization: `Bearer ${outsider}` }, validBody(r));
      const what = `${name(r)} with A's ids: ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`;
      expect(res.status, what).toBe(404);
    }
    expect(await counts()).toEqual(before);
    expect(await snapshot()).toBe(rows);
    // And A's owner still finds them all.
    for (const kind of ["pipeline", "run", "file", "connection"] as const) {
      expect((await request(t.app).get(`/api/${kind}s/${A[kind]}`)).status, kind).toBe(200);
    }
  }, 120_000);

  it("in A, every read route on A's real resources answers 2xx to every role (event streams too)", async () => {
    const reads = routes.filter((r) => r.method === "get" && r.action !== "public" && r.action !== "signed-in");
    for (const role of ROLES.filter((role) => reads.some((r) => allows(r, role)))) {
      const token = await t.tokenFor(role);
      for (const r of reads.filter((r) => allows(r, role))) {
        const url = urlOf(r, (p) => resourceOf(r, p));
        const status = await headStatus(url, { authorization: `Bearer ${token}` });
        // A queued run has written no output yet: an output name is the one parameter that names nothing real, and
        // its sink (real) has nothing to read back until the run has finished. (A dataset's name, out.csv, is A's
        // pipeline's file output, which its lineage names whether or not a run has written it.)
        const runOutput = r.path.startsWith("/runs/") && r.path.includes(":name");
        const expected = runOutput ? [404] : r.path.includes(":nodeId") ? [409] : [200];
        expect(expected, `${name(r)} as ${role} on ${url}: ${status}`).toContain(status);
      }
    }
  }, 120_000);

  it("lists in B show none of A's rows", async () => {
    for (const r of routes.filter((r) => r.method === "get" && r.action !== "public" && r.action !== "signed-in" && !r.path.includes(":"))) {
      const res = await call(r, urlOf(r), { authorization: `Bearer ${outsider}` });
      const text = JSON.stringify(res.body);
      for (const [kind, id] of Object.entries(A)) expect(text, `${name(r)} shows A's ${kind}`).not.toContain(id);
    }
  });

  it("a person of B who names workspace A gets 404 WORKSPACE_NOT_FOUND, not 403", async () => {
    const cookie = await signIn(outsiderPerson.email, outsiderPerson.password);
    const defaultWorkspace = DEFAULT_WORKSPACE_ID;
    for (const pick of [{ "x-sluice-workspace": defaultWorkspace }, { "x-sluice-workspace": randomUUID() }, { "x-sluice-workspace": "not-a-uuid" }]) {
      const res = await request(server).get("/api/pipelines").set({ cookie, ...pick });
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe("WORKSPACE_NOT_FOUND");
    }
    const byQuery = await request(server).get(`/api/runs/${A.run}?workspace=${defaultWorkspace}`).set({ cookie });
    expect(byQuery.status).toBe(404);
  });

  it("a person's role is the one in the workspace the request names (header or ?workspace=), not their best one", async () => {
    const p = await t.person("viewer");
    const b = await t.db.$transaction((tx) => t.deps.workspaces.create(tx, "Where I edit", p.id));
    await t.db.membership.update({ where: { workspaceId_userId: { workspaceId: b.id, userId: p.id } }, data: { role: "editor" } });
    const cookie = await signIn(p.email, p.password);
    const inA = await request(server).post("/api/pipelines").set({ cookie, origin, "x-sluice-workspace": DEFAULT_WORKSPACE_ID }).send({ name: "not as a viewer" });
    expect(inA.status).toBe(403);
    expect(inA.body.error.code).toBe("ROLE_FORBIDDEN");
    const inB = await request(server).post("/api/pipelines").set({ cookie, origin, "x-sluice-workspace": b.id }).send({ name: "as an editor" });
    expect(inB.status).toBe(201);
    expect((await t.db.pipeline.findUniqueOrThrow({ where: { id: inB.body.id } })).workspaceId).toBe(b.id);
    const listB = await request(server).get(`/api/pipelines?workspace=${b.id}`).set({ cookie });
    expect((listB.body.pipelines as Array<{ id: string }>).map((x) => x.id)).toEqual([inB.body.id]);
    const listA = await request(server).get(`/api/pipelines?workspace=${DEFAULT_WORKSPACE_ID}`).set({ cookie });
    expect((listA.body.pipelines as Array<{ id: string }>).map((x) => x.id)).not.toContain(inB.body.id);
    expect((await request(server).get(`/api/pipelines/${inB.body.id}`).set({ cookie, "x-sluice-workspace": DEFAULT_WORKSPACE_ID })).status).toBe(404);
  });
});
