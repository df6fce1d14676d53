import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import { createTestApp, type TestApp } from "../testing/test-app.ts";

/**
 * The Set-Cookie line of the session cookie, whichever name it has; the last one when there are several, as a
 * browser ends up with (a sign-in that came with a dead cookie first clears it, then sets the new one).
 */
const sessionCookieLine = (res: request.Response) => ([] as string[]).concat(res.headers["set-cookie"] ?? []).findLast((c) => /^(__Host-)?sluice_session=/.test(c));
/** "name=value" of the session cookie, as a browser sends it back. */
const cookieOf = (res: request.Response) => sessionCookieLine(res)!.split(";")[0]!;

describe("sign-in, sessions and sign-out (email and password)", () => {
  let t: TestApp;
  let server: Server;
  let origin: string;
  let person: { id: string; email: string; password: string };

  beforeAll(async () => {
    t = await createTestApp();
    server = t.bareApp.listen(0, "127.0.0.1");
    await new Promise((resolve) => server.once("listening", resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    person = await t.person("editor");
  }, 60_000);
  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
    await t?.close();
  });

  const signIn = (email = person.email, password = person.password, headers: Record<string, string> = {}) => request(server).post("/api/auth/sign-in").set(headers).send({ email, password });
  const me = (cookie: string) => request(server).get("/api/me").set("cookie", cookie);
  const write = (path: string, cookie: string, body?: object) => request(server).post(path).set({ cookie, origin }).send(body);

  it("signs in with an HttpOnly, SameSite=Lax session cookie for the whole site, not Secure over plain HTTP, and answers who it is", async () => {
    const res = await signIn();
    expect(res.status).toBe(200);
    expect(res.body.actor).toMatchObject({ kind: "person", id: person.id, email: person.email });
    expect(res.body.workspace.role).toBe("editor");
    const line = sessionCookieLine(res)!;
    expect(line).toMatch(/^sluice_session=[A-Za-z0-9_-]{40,};/);
    expect(line).toMatch(/; HttpOnly/i);
    expect(line).toMatch(/; SameSite=Lax/i);
    expect(line).toMatch(/; Path=\//i);
    expect(line).toMatch(/; Expires=/i);
    expect(line).not.toMatch(/; Secure/i);
    expect(line).not.toMatch(/; Domain=/i);
    expect((await me(cookieOf(res))).body.actor.email).toBe(person.email);
    // The email is matched as people type it.
    expect((await signIn(`  ${person.email.toUpperCase()} `)).status).toBe(200);
  });

  it("a session in use has its cookie renewed as its idle expiry moves, so a busy person is not signed out at the first expiry", async () => {
    const cookie = cookieOf(await signIn());
    const token = cookie.split("=")[1]!;
    const before = (await t.db.session.findMany({ where: { userId: person.id }, orderBy: { createdAt: "desc" }, take: 1 }))[0]!;
    // An hour later than sign-in, as far as the session knows.
    await t.db.session.update({ where: { id: before.id }, data: { lastSeenAt: new Date(Date.now() - 3_600_000), expiresAt: new Date(Date.now() + 1_000) } });
    const res = await me(cookie);
    expect(res.status).toBe(200);
    const line = sessionCookieLine(res)!;
    expect(line.split(";")[0]).toBe(`sluice_session=${token}`);
    const expires = new Date(/Expires=([^;]+)/i.exec(line)![1]!).getTime();
    expect(expires).toBeGreaterThan(Date.now() + 24 * 3_600_000);
    // An unmoved session sends no cookie on every request.
    expect(sessionCookieLine(await me(cookie))).toBeUndefined();
  });

  it("signing in again from a browser with a live session ends that session", async () => {
    const first = cookieOf(await signIn());
    const second = await signIn(person.email, person.password, { cookie: first, origin });
    expect(second.status).toBe(200);
    expect(cookieOf(second)).not.toBe(first);
    expect((await me(first)).status).toBe(401);
    expect((await me(cookieOf(second))).status).toBe(200);
  });

  it("GET /api/me ignores a workspace header that is not a workspace id (no 500)", async () => {
    const cookie = cookieOf(await signIn());
    for (const bad of ["------------------------------------", "x".repeat(36), "'; select 1 --"]) {
      const res = await request(server).get("/api/me").set({ cookie, "x-sluice-workspace": bad });
      expect(res.status, bad).toBe(200);
      expect(res.body.workspace.role).toBe("editor");
    }
  });

  it("a wrong password and an unknown email get the same 401 SIGN_IN_FAILED, and no cookie", async () => {
    const wrong = await signIn(person.email, "not the password at all");
    const unknown = await signIn("nobody@sluice.test", person.password);
    for (const res of [wrong, unknown]) {
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe("SIGN_IN_FAILED");
      expect(sessionCookieLine(res)).toBeUndefined();
    }
    expect(unknown.body).toEqual(wrong.body);
    expect(Object.keys(unknown.headers).sort()).toEqual(Object.keys(wrong.headers).sort());
    const failures = await t.db.auditEvent.findMany({ where: { action: "sign_in.failed" } });
    expect(failures.map((f) => f.resourceLabel).sort()).toEqual(["nobody@sluice.test", person.email].sort());
    expect(JSON.stringify(failures.map((f) => [f.actorLabel, f.resourceLabel, f.details]))).not.toContain(person.password);
  });

  it("every sign-in gets a new session id; one planted before sign-in is neither kept nor made valid (session fixation)", async () => {
    const planted = "sluice_session=planted-by-someone-else-0123456789abcdefghijklmnop";
    const first = await signIn(person.email, person.password, { cookie: planted });
    const second = await signIn(person.email, person.password, { cookie: cookieOf(first) });
    expect(cookieOf(first)).not.toBe(planted);
    expect(cookieOf(second)).not.toBe(cookieOf(first));
    expect((await me(planted)).status).toBe(401);
    expect((await me(cookieOf(second))).status).toBe(200);
    // Only hashes are kept: the cookie's value is no row's key.
    const value = cookieOf(second).split("=")[1]!;
    expect(await t.db.session.count({ where: { tokenHash: value } })).toBe(0);
  });

  it("sign-out ends this session only: the old cookie gets 401 and the browser is told to forget it", async () => {
    const here = cookieOf(await signIn());
    const elsewhere = cookieOf(await signIn());
    const out = await write("/api/auth/sign-out", here);
    expect(out.status).toBe(204);
    expect(sessionCookieLine(out)).toMatch(/^sluice_session=;.*Expires=Thu, 01 Jan 1970/i);
    const after = await me(here);
    expect(after.status).toBe(401);
    expect(after.body.error.code).toBe("SIGN_IN_REQUIRED");
    expect((await me(elsewhere)).status).toBe(200);
  });

  it("sign-out-everywhere ends every session of the account, this one included, and is audited", async () => {
    const a = cookieOf(await signIn());
    const b = cookieOf(await signIn());
    const other = await t.person("viewer");
    const theirs = cookieOf(await signIn(other.email, other.password));
    expect((await write("/api/auth/sign-out-everywhere", a)).status).toBe(204);
    expect((await me(a)).status).toBe(401);
    expect((await me(b)).status).toBe(401);
    expect((await me(theirs)).status).toBe(200);
    expect(await t.db.session.count({ where: { userId: person.id } })).toBe(0);
    expect(await t.db.auditEvent.count({ where: { action: "sign_out.everywhere", actorId: person.id } })).toBe(1);
  });

  it("a password change ends every session and goes on under a new one; the old password stops working, the new one works", async () => {
    const p = await t.person("runner");
    const here = cookieOf(await signIn(p.email, p.password));
    const there = cookieOf(await signIn(p.email, p.password));
    const wrong = await write("/api/auth/password", here, { currentPassword: "not it at all", newPassword: "a brand new passphrase" });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.code).toBe("WRONG_PASSWORD");
    expect((await write("/api/auth/password", here, { currentPassword: p.password, newPassword: "short" })).status).toBe(400);
    expect((await me(there)).status).toBe(200);

    const changed = await write("/api/auth/password", here, { currentPassword: p.password, newPassword: "a brand new passphrase" });
    expect(changed.status).toBe(204);
    const renewed = cookieOf(changed);
    expect(renewed).not.toBe(here);
    expect((await me(renewed)).status).toBe(200);
    expect((await me(here)).status).toBe(401);
    expect((await me(there)).status).toBe(401);
    expect((await signIn(p.email, p.password)).status).toBe(401);
    expect((await signIn(p.email, "a brand new passphrase")).status).toBe(200);
    expect(await t.db.auditEvent.count({ where: { action: "password.changed", actorId: p.id } })).toBe(1);
  });

  it("an API token cannot sign out or change a password: those are a person's", async () => {
    const token = await t.tokenFor("owner");
    for (const [path, body] of [["/api/auth/password", { currentPassword: "x", newPassword: "long enough new one" }], ["/api/auth/sign-out", undefined], ["/api/auth/sign-out-everywhere", undefined]] as const) {
      const res = await request(server).post(path).set("authorization", `Bearer ${token}`).send(body);
      expect(res.status, path).toBe(403);
      expect(res.body.error.code, path).toBe("PERSON_REQUIRED");
    }
  });

  it("an expired session answers 401 and the browser is told to forget the cookie; the row is removed", async () => {
    const cookie = cookieOf(await signIn());
    const live = await t.db.session.findMany({ where: { userId: person.id } });
    await t.db.session.updateMany({ where: { userId: person.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const res = await me(cookie);
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe("SIGN_IN_REQUIRED");
    expect(sessionCookieLine(res)).toMatch(/^sluice_session=;.*Expires=Thu, 01 Jan 1970/i);
    expect(live.length).toBeGreaterThan(0);
    expect(await t.db.session.count({ where: { userId: person.id, expiresAt: { lte: new Date() } } })).toBeLessThan(live.length);
    // On a public route the expired cookie is just no cookie.
    expect((await request(server).get("/api/auth/config").set("cookie", cookie)).status).toBe(200);
  });

  it("cookie writes must come from the server's own page; API token writes need no Origin", async () => {
    const cookie = cookieOf(await signIn());
    const body = { name: "CSRF target" };
    const before = await t.db.pipeline.count();
    const foreign = await request(server).post("/api/pipelines").set({ cookie, origin: "https://evil.example" }).send(body);
    expect(foreign.status).toBe(403);
    expect(foreign.body.error.code).toBe("CROSS_ORIGIN_REFUSED");
    const crossSite = await request(server).post("/api/pipelines").set({ cookie, "sec-fetch-site": "cross-site" }).send(body);
    expect(crossSite.status).toBe(403);
    const nameless = await request(server).post("/api/pipelines").set({ cookie }).send(body);
    expect(nameless.status).toBe(403);
    expect(nameless.body.error.code).toBe("CROSS_ORIGIN_REFUSED");
    expect(nameless.body.error.message).toMatch(/API token/);
    expect(await t.db.pipeline.count()).toBe(before);

    expect((await request(server).post("/api/pipelines").set({ cookie, origin }).send(body)).status).toBe(201);
    expect((await request(server).post("/api/pipelines").set({ cookie, "sec-fetch-site": "same-origin" }).send(body)).status).toBe(201);
    // Reads with a cookie need no Origin (a link, an event stream).
    expect((await request(server).get("/api/pipelines").set({ cookie })).status).toBe(200);
    const token = await t.tokenFor("editor");
    expect((await request(server).post("/api/pipelines").set("authorization", `Bearer ${token}`).send(body)).status).toBe(201);
  });
});

describe("over HTTPS the session cookie is Secure and __Host- prefixed", () => {
  const cases = [
    ["PUBLIC_URL is https", { network: { listenHost: "127.0.0.1", publicUrl: "https://sluice.example.com" } }, {}],
    ["a trusted proxy says X-Forwarded-Proto: https", { trustProxy: "loopback" }, { "x-forwarded-proto": "https" }],
  ] as const;
  for (const [why, options, headers] of cases) {
    it(why, async () => {
      const t = await createTestApp(options);
      try {
        const res = await request(t.bareApp).post("/api/auth/sign-in").set(headers).send({ email: t.owner.email, password: t.owner.password });
        expect(res.status).toBe(200);
        const line = sessionCookieLine(res)!;
        expect(line).toMatch(/^__Host-sluice_session=[A-Za-z0-9_-]{40,};/);
        expect(line).toMatch(/; Secure/i);
        expect(line).toMatch(/; HttpOnly/i);
        expect(line).toMatch(/; SameSite=Lax/i);
        expect(line).toMatch(/; Path=\/(;|$)/i);
        expect(line).not.toMatch(/; Domain=/i);
        const cookie = cookieOf(res);
        expect((await request(t.bareApp).get("/api/me").set(headers).set("cookie", cookie)).status).toBe(200);
        // The same value under the plain name, as a neighbouring subdomain or plain HTTP could plant it, counts for nothing.
        const planted = cookie.replace(/^__Host-/, "");
        expect((await request(t.bareApp).get("/api/me").set(headers).set("cookie", planted)).status).toBe(401);
        const out = await request(t.bareApp).post("/api/auth/sign-out").set(headers).set({ cookie, "sec-fetch-site": "same-origin" });
        expect(out.status).toBe(204);
        expect(sessionCookieLine(out)).toMatch(/^__Host-sluice_session=;.*Secure/i);
      } finally {
        await t.close();
      }
    }, 60_000);
  }

  it("an untrusted X-Forwarded-Proto does not make it Secure (no trust proxy)", async () => {
    const t = await createTestApp();
    try {
      const res = await request(t.bareApp).post("/api/auth/sign-in").set("x-forwarded-proto", "https").send({ email: t.owner.email, password: t.owner.password });
      expect(sessionCookieLine(res)).toMatch(/^sluice_session=/);
    } finally {
      await t.close();
    }
  }, 60_000);
});
