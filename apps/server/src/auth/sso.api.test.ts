import { randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../testing/test-app.ts";
import { startOidcTestProvider, type OidcTestProvider } from "../testing/oidc-test-provider.ts";
import type { SsoSettings } from "./sso/sso-settings.ts";
import { DEFAULT_WORKSPACE_ID } from "../workspaces/workspace.repository.ts";
import { createApp } from "../http/app.ts";
import { networkPolicy } from "../http/network-policy.ts";
import { ssoProvider } from "./sso/sso-provider.ts";
import request from "supertest";
import { SAME_ORIGIN, sessionCookieOf, tokenOf } from "../testing/sign-in.ts";

/**
 * Single sign-on against a real OpenID Connect provider (oidc-provider, in this process) over real HTTP: the
 * browser's part is played by fetch with a cookie jar, following each redirect by hand as a browser would.
 */

/** A browser's cookies for 127.0.0.1 (cookies do not tell ports apart, so Sluice and the provider share them). */
class Browser {
  readonly cookies = new Map<string, { value: string; httpOnly: boolean }>();
  readonly setCookies: string[] = [];

  async get(url: string | URL, init: RequestInit = {}): Promise<Response> {
    const cookie = [...this.cookies].map(([k, v]) => `${k}=${v.value}`).join("; ");
    const res = await fetch(url, { ...init, redirect: "manual", headers: { ...(init.headers as Record<string, string>), ...(cookie ? { cookie } : {}) } });
    for (const line of res.headers.getSetCookie()) {
      this.setCookies.push(line);
      const [pair = "", ...attrs] = line.split(";").map((s) => s.trim());
      const name = pair.slice(0, pair.indexOf("="));
      const gone = attrs.some((a) => /^max-age=0$/i.test(a) || (/^expires=/i.test(a) && Date.parse(a.slice(8)) < Date.now()));
      if (gone) this.cookies.delete(name);
      else this.cookies.set(name, { value: pair.slice(name.length + 1), httpOnly: attrs.some((a) => /^httponly$/i.test(a)) });
    }
    return res;
  }
}

let sluice: Server;
let base: string;
let provider: OidcTestProvider;
let t: TestApp;
const ssoWorkspace = randomUUID();

const accounts = [
  { id: "alice-sub", email: "Alice@Team.Example", emailVerified: true, name: "Alice Example" },
  { id: "owner-sub", email: "owner@sluice.test", emailVerified: true },
  { id: "mallory-sub", email: "mallory@other.example", emailVerified: true },
  { id: "victim-sub", email: "victim@team.example", emailVerified: true },
  { id: "eve-sub", email: "eve@team.example", emailVerified: false },
  { id: "nobody-sub", email: "nobody@team.example", emailVerified: "absent" as const },
];

function settings(issuer: string, clientId: string, clientSecret: string): SsoSettings {
  return { issuer: new URL(issuer), clientId, clientSecret, name: "Team SSO", allowedDomains: ["team.example", "sluice.test"], defaultRole: "editor", workspaceId: ssoWorkspace, scopes: "openid email profile", allowHttp: true };
}

async function listen(server: Server, port = 0): Promise<number> {
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return (server.address() as AddressInfo).port;
}

const close = (server: Server) =>
  new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });

beforeAll(async () => {
  sluice = createServer();
  base = `http://127.0.0.1:${await listen(sluice)}`;
  provider = await startOidcTestProvider({ redirectUris: [`${base}/api/auth/sso/callback`], accounts });
  t = await createTestApp({ sso: settings(provider.issuer, provider.clientId, provider.clientSecret) });
  await t.db.workspace.create({ data: { id: ssoWorkspace, name: "Analysts" } });
  sluice.on("request", t.bareApp);
}, 60_000);

afterAll(async () => {
  await close(sluice);
  await provider?.stop();
  await t?.close();
});

interface Outcome {
  /** Where Sluice finally sent the browser: the page asked for, or /sign-in?error=… (path and query). */
  landed: string;
  browser: Browser;
  /** The authorization request Sluice sent the browser to. */
  authorize: URL;
}

/**
 * Follows redirects from `url` the way a browser does, until Sluice sends the browser to one of its pages (not
 * /api/) or a page answers. `atCallback` may replace the provider's answer before the browser delivers it.
 */
async function follow(browser: Browser, url: URL, sluiceAt: string, atCallback?: (u: URL) => URL): Promise<{ page: URL; res: Response }> {
  let current = url;
  for (let hop = 0; hop < 20; hop++) {
    const res = await browser.get(current);
    const location = res.headers.get("location");
    if (res.status < 300 || res.status >= 400 || !location) return { page: current, res };
    let next = new URL(location, current);
    if (next.origin === sluiceAt && next.pathname === "/api/auth/sso/callback" && atCallback) next = atCallback(next);
    if (next.origin === sluiceAt && !next.pathname.startsWith("/api/")) return { page: next, res };
    current = next;
  }
  throw new Error("too many redirects");
}

/** Signs in at the provider as `login` (or presses Cancel), starting from Sluice's start URL. */
async function ssoSignIn(login: string | "cancel", o: { returnTo?: string; browser?: Browser; atCallback?: (u: URL) => URL; at?: { sluice: string; provider: string } } = {}): Promise<Outcome> {
  const browser = o.browser ?? new Browser();
  const start = new URL("/api/auth/sso/start", o.at?.sluice ?? base);
  if (o.returnTo !== undefined) start.searchParams.set("returnTo", o.returnTo);
  const first = await browser.get(start);
  expect(first.status, await first.clone().text()).toBe(302);
  const authorize = new URL(first.headers.get("location")!);
  const sluiceAt = o.at?.sluice ?? base;
  const form = await follow(browser, authorize, sluiceAt);
  expect(form.res.status).toBe(200);
  expect(await form.res.text()).toContain('name="login"');
  const submit = new URL(login === "cancel" ? `${form.page.pathname}/abort` : `${form.page.pathname}/login`, o.at?.provider ?? provider.issuer);
  const posted = await browser.get(submit, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams({ login }).toString() });
  expect(posted.status).toBe(303);
  const end = await follow(browser, new URL(posted.headers.get("location")!, submit), sluiceAt, o.atCallback);
  return { landed: end.page.pathname + end.page.search, browser, authorize };
}

const me = (b: Browser) => b.get(`${base}/api/me`).then(async (r) => ({ status: r.status, body: (await r.json()) as { actor: { id: string; email: string; name: string }; workspace: { id: string; role: string } | null } }));

describe("SSO through a real OpenID Connect provider", () => {
  it("tells the sign-in page its name", async () => {
    const res = await new Browser().get(`${base}/api/auth/config`);
    expect(((await res.json()) as { sso: unknown }).sso).toEqual({ name: "Team SSO" });
  });

  it("creates the account on first sign-in, in the configured workspace with the default role, and signs in", async () => {
    const { landed, browser, authorize } = await ssoSignIn("alice-sub", { returnTo: "/pipelines?tab=recent" });
    expect(landed).toBe("/pipelines?tab=recent");
    // Authorization code flow with PKCE (S256), state and nonce.
    expect(authorize.origin).toBe(provider.issuer);
    expect(Object.fromEntries(["response_type", "code_challenge_method", "scope", "redirect_uri"].map((k) => [k, authorize.searchParams.get(k)]))).toEqual({
      response_type: "code", code_challenge_method: "S256", scope: "openid email profile", redirect_uri: `${base}/api/auth/sso/callback`,
    });
    for (const k of ["state", "nonce", "code_challenge"]) expect(authorize.searchParams.get(k)?.length).toBeGreaterThanOrEqual(32);
    // The attempt's cookie: HttpOnly, SameSite=Lax, 10 minutes; it does not hold the PKCE verifier in clear.
    const attemptCookie = browser.setCookies.find((c) => c.startsWith("sluice_sso=") && !/expires=Thu, 01 Jan 1970/i.test(c))!;
    expect(attemptCookie).toMatch(/HttpOnly/);
    expect(attemptCookie).toMatch(/SameSite=Lax/);
    expect(attemptCookie).toMatch(/Max-Age=600/);
    expect(attemptCookie).not.toContain(authorize.searchParams.get("state"));
    expect(browser.cookies.has("sluice_sso")).toBe(false);
    expect(browser.cookies.get("sluice_session")?.httpOnly).toBe(true);

    const who = await me(browser);
    expect(who.status).toBe(200);
    expect(who.body.actor).toMatchObject({ email: "alice@team.example", name: "Alice Example" });
    expect(who.body.workspace).toMatchObject({ id: ssoWorkspace, role: "editor" });
    const user = await t.db.user.findUniqueOrThrow({ where: { email: "alice@team.example" }, include: { identities: true, memberships: true } });
    expect(user.passwordHash).toBeNull();
    expect(user.identities.map((i) => [i.provider, i.subject])).toEqual([[provider.issuer, "alice-sub"]]);
    expect(user.memberships.map((m) => [m.workspaceId, m.role])).toEqual([[ssoWorkspace, "editor"]]);
    const audit = await t.db.auditEvent.findMany({ where: { actorId: user.id }, orderBy: { id: "asc" } });
    expect(audit.map((e) => [e.action, e.workspaceId, e.actorKind])).toEqual([["account.created", ssoWorkspace, "person"], ["sign_in.sso", null, "person"]]);
    expect(audit[0]!.details).toEqual({ role: "editor", how: "sso" });
    const session = await t.db.session.findFirstOrThrow({ where: { userId: user.id } });
    expect(session.method).toBe("sso");
  });

  it("signs the same identity in to the same account the second time, creating nothing", async () => {
    await ssoSignIn("alice-sub");
    const before = await t.db.user.count();
    const first = await t.db.user.findUniqueOrThrow({ where: { email: "alice@team.example" } });
    const signIns = await t.db.auditEvent.count({ where: { actorId: first.id, action: "sign_in.sso" } });
    const { landed, browser } = await ssoSignIn("alice@team.example");
    expect(landed).toBe("/");
    expect((await me(browser)).body.actor.id).toBe(first.id);
    expect(await t.db.user.count()).toBe(before);
    expect(await t.db.userIdentity.count({ where: { userId: first.id } })).toBe(1);
    expect(await t.db.auditEvent.count({ where: { actorId: first.id, action: "sign_in.sso" } })).toBe(signIns + 1);
    expect(await t.db.auditEvent.count({ where: { actorId: first.id, action: "account.created" } })).toBe(1);
  });

  it("links the identity to an existing account with the same verified email, keeping its roles; from then on it signs in through SSO only", async () => {
    const before = await t.db.user.count();
    const passwordSession = await request(t.bareApp).post("/api/auth/sign-in").set(SAME_ORIGIN).send({ email: t.owner.email, password: t.owner.password });
    expect(passwordSession.status).toBe(200);
    const { landed, browser } = await ssoSignIn("owner-sub");
    expect(landed).toBe("/");
    const who = await me(browser);
    expect(who.body.actor.id).toBe(t.owner.id);
    expect(who.body.workspace).toMatchObject({ id: DEFAULT_WORKSPACE_ID, role: "owner" });
    expect(await t.db.user.count()).toBe(before);
    expect(await t.db.userIdentity.findMany({ where: { userId: t.owner.id }, select: { subject: true } })).toEqual([{ subject: "owner-sub" }]);
    expect(await t.db.membership.count({ where: { userId: t.owner.id, workspaceId: ssoWorkspace } })).toBe(0);
    // The provider's proof of the email wins over the password nobody proved the address for.
    expect((await t.db.user.findUniqueOrThrow({ where: { id: t.owner.id } })).passwordHash).toBeNull();
    expect((await request(t.bareApp).get("/api/me").set({ cookie: sessionCookieOf(passwordSession)! })).status).toBe(401);
    expect((await request(t.bareApp).post("/api/auth/sign-in").set(SAME_ORIGIN).send({ email: t.owner.email, password: t.owner.password })).status).toBe(401);
    // The owner's API token is not a sign-in of the account, and keeps working.
    expect((await request(t.app).get("/api/me")).status).toBe(200);
  });

  it("an account someone made for another person's email is taken over by that person's first SSO sign-in: the maker's password and sessions stop working", async () => {
    // An invitation link accepted signed out creates an account with whatever email is typed (nobody checks it).
    const invited = await request(t.app).post("/api/invitations").send({ role: "viewer" });
    expect(invited.status).toBe(201);
    const attackerPassword = "the attacker's own password";
    const made = await request(t.bareApp).post("/api/invitations/accept").set(SAME_ORIGIN).send({ token: tokenOf(invited.body.link), email: "victim@team.example", name: "Not the victim", password: attackerPassword });
    expect(made.status, JSON.stringify(made.body)).toBe(200);
    const attackerCookie = sessionCookieOf(made)!;
    expect((await request(t.bareApp).get("/api/me").set({ cookie: attackerCookie })).status).toBe(200);

    // The owner of the address proves it at the provider.
    const { landed, browser } = await ssoSignIn("victim-sub");
    expect(landed).toBe("/");
    const account = await t.db.user.findUniqueOrThrow({ where: { email: "victim@team.example" } });
    expect((await me(browser)).body.actor.id).toBe(account.id);

    const signIn = await request(t.bareApp).post("/api/auth/sign-in").set(SAME_ORIGIN).send({ email: "victim@team.example", password: attackerPassword });
    expect([signIn.status, signIn.body.error?.code]).toEqual([401, "SIGN_IN_FAILED"]);
    const old = await request(t.bareApp).get("/api/me").set({ cookie: attackerCookie });
    expect([old.status, old.body.error?.code]).toEqual([401, "SIGN_IN_REQUIRED"]);
    expect(account.passwordHash).toBeNull();
    // Only the session the SSO sign-in started is left.
    expect(await t.db.session.findMany({ where: { userId: account.id }, select: { method: true } })).toEqual([{ method: "sso" }]);
    const linked = await t.db.auditEvent.findMany({ where: { action: "account.sso_linked", resourceId: account.id } });
    expect(linked).toMatchObject([{ actorKind: "person", actorId: account.id, resourceType: "user", resourceLabel: "victim@team.example", details: { passwordCleared: true, provider: provider.issuer } }]);
  });

  it("refuses an email whose domain is not allowed, creating nothing", async () => {
    const { landed, browser } = await ssoSignIn("mallory-sub");
    expect(landed).toBe("/sign-in?error=SSO_DOMAIN_NOT_ALLOWED");
    expect(browser.cookies.has("sluice_session")).toBe(false);
    expect(await t.db.user.count({ where: { email: "mallory@other.example" } })).toBe(0);
    expect(t.logs.some((l) => l.includes("SSO_DOMAIN_NOT_ALLOWED") && l.includes("other.example is not in OIDC_ALLOWED_DOMAINS"))).toBe(true);
  });

  it("refuses an email the provider says is not verified, or does not say is", async () => {
    for (const login of ["eve-sub", "nobody-sub"]) {
      const { landed, browser } = await ssoSignIn(login);
      expect(landed).toBe("/sign-in?error=SSO_EMAIL_UNVERIFIED");
      expect(browser.cookies.has("sluice_session")).toBe(false);
    }
    expect(await t.db.user.count({ where: { email: { in: ["eve@team.example", "nobody@team.example"] } } })).toBe(0);
  });

  it("refuses a callback whose state was changed, and one opened in a browser that did not start the sign-in", async () => {
    const tampered = await ssoSignIn("alice-sub", {
      atCallback: (u) => {
        u.searchParams.set("state", `${u.searchParams.get("state")}x`);
        return u;
      },
    });
    expect(tampered.landed).toBe("/sign-in?error=SSO_STATE_MISMATCH");
    expect(tampered.browser.cookies.has("sluice_session")).toBe(false);

    // An attacker's own callback (valid code and state) pushed into someone else's browser: no attempt there.
    let stolen: URL | undefined;
    await ssoSignIn("alice-sub", {
      atCallback: (u) => {
        stolen = new URL(u);
        return new URL("/nowhere", base);
      },
    });
    const victim = new Browser();
    const res = await victim.get(stolen!);
    expect(res.headers.get("location")).toBe("/sign-in?error=SSO_STATE_MISMATCH");
    expect(victim.cookies.has("sluice_session")).toBe(false);
  });

  it("refuses when the person cancels at the provider", async () => {
    const { landed } = await ssoSignIn("cancel");
    expect(landed).toBe("/sign-in?error=SSO_DENIED");
    expect(t.logs.some((l) => l.includes("SSO_DENIED") && l.includes("access_denied"))).toBe(true);
  });

  it("sends the person to / when returnTo points off the site", async () => {
    for (const returnTo of ["//evil.example/x", "/\\evil.example", "https://evil.example/", "/\t/evil.example", "javascript:alert(1)"]) {
      const { landed, browser } = await ssoSignIn("alice-sub", { returnTo });
      expect(landed, returnTo).toBe("/");
      expect((await me(browser)).status).toBe(200);
    }
  });

  it("logs no token, code or PKCE verifier", async () => {
    const { authorize } = await ssoSignIn("alice-sub");
    const logs = t.logs.join("\n");
    for (const secret of [authorize.searchParams.get("state")!, authorize.searchParams.get("nonce")!, authorize.searchParams.get("code_challenge")!]) expect(logs).not.toContain(secret);
    expect(logs).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}\./);
  });
});

describe("SSO when the provider is down, or not set up", () => {
  it("starts without the provider, answers 503 SSO_UNAVAILABLE, and works once the provider is up", async () => {
    // A port nobody listens on yet: the provider comes up there later.
    const probe = createServer();
    const providerPort = await listen(probe);
    await close(probe);
    const other = createServer();
    const otherBase = `http://127.0.0.1:${await listen(other)}`;
    const s = { ...settings(`http://127.0.0.1:${providerPort}`, "late-client", "late secret, long enough"), allowedDomains: [] };
    const logs: string[] = [];
    other.on("request", createApp({ ...t.deps, auth: { ...t.deps.auth, sso: ssoProvider(s, { secretKey: t.secretKey, publicUrl: undefined, log: (m) => logs.push(m) }) } }, { bodyLimit: "256kb", network: networkPolicy({ listenHost: "127.0.0.1" }) }));
    let late: OidcTestProvider | undefined;
    try {
      const down = await new Browser().get(`${otherBase}/api/auth/sso/start`);
      expect(down.status).toBe(503);
      expect(((await down.json()) as { error: { code: string; message: string } }).error).toMatchObject({ code: "SSO_UNAVAILABLE", message: expect.stringContaining("Team SSO") });
      expect(logs.some((l) => l.includes(`cannot read the discovery document of http://127.0.0.1:${providerPort}/`))).toBe(true);

      // This provider puts the email in the ID token itself, so no userinfo request is needed.
      late = await startOidcTestProvider({ port: providerPort, clientId: "late-client", clientSecret: "late secret, long enough", claimsInIdToken: true, redirectUris: [`${otherBase}/api/auth/sso/callback`], accounts: [{ id: "carol-sub", email: "carol@anywhere.example", emailVerified: true, name: "Carol" }] });
      const { landed, browser } = await ssoSignIn("carol-sub", { returnTo: "/runs", at: { sluice: otherBase, provider: late.issuer } });
      expect(landed).toBe("/runs");
      const who = await browser.get(`${otherBase}/api/me`);
      expect(((await who.json()) as { actor: { email: string } }).actor.email).toBe("carol@anywhere.example");
      const carol = await t.db.user.findUniqueOrThrow({ where: { email: "carol@anywhere.example" }, include: { identities: true } });
      expect(carol.identities.map((i) => i.provider)).toEqual([late.issuer]);
    } finally {
      await close(other);
      await late?.stop();
    }
  });

  it("answers 404 SSO_NOT_CONFIGURED when no provider is set up, and the sign-in page offers none", async () => {
    const plain = createServer(createApp({ ...t.deps, auth: { ...t.deps.auth, sso: null } }, { bodyLimit: "256kb", network: networkPolicy({ listenHost: "127.0.0.1" }) }));
    const plainBase = `http://127.0.0.1:${await listen(plain)}`;
    try {
      for (const path of ["/api/auth/sso/start", "/api/auth/sso/callback?code=x&state=y"]) {
        const res = await new Browser().get(`${plainBase}${path}`);
        expect(res.status, path).toBe(404);
        expect(((await res.json()) as { error: { code: string } }).error.code).toBe("SSO_NOT_CONFIGURED");
      }
      const config = await new Browser().get(`${plainBase}/api/auth/config`);
      expect(((await config.json()) as { sso: unknown }).sso).toBeNull();
    } finally {
      await close(plain);
    }
  });
});
