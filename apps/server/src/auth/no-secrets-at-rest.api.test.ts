import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import { createTestApp, type FreshTestApp } from "../testing/test-app.ts";
import { provisionOwner } from "./provision-owner.ts";

const run = promisify(execFile);

/** "name=value" of the session cookie a response set (the last one, as the browser keeps). */
const cookieOf = (res: request.Response) => ([] as string[]).concat(res.headers["set-cookie"] ?? []).findLast((c) => c.startsWith("sluice_session="))!.split(";")[0]!;

/**
 * The "a dump of the database and the logs contain no password, session token or API token in clear":
 * everything that makes or uses one is done through the API, then the whole metadata database is dumped with
 * pg_dump and searched, with the server's log, for each secret.
 */
describe("no password, session token, API token or invitation token is kept in clear", () => {
  let t: FreshTestApp;
  const secrets = new Map<string, string>();
  const keep = (what: string, value: string) => {
    expect(value.length, what).toBeGreaterThanOrEqual(10);
    secrets.set(what, value);
    return value;
  };

  beforeAll(async () => {
    t = await createTestApp({ withOwner: false });
    const app = t.bareApp;
    const owner = { email: "owner@example.com", name: "Owner", password: keep("owner's first password", "owner first passphrase 4711") };
    const setup = await request(app).post("/api/auth/setup").send(owner);
    expect(setup.status).toBe(201);
    keep("setup's session", cookieOf(setup).split("=")[1]!);

    const signIn = await request(app).post("/api/auth/sign-in").send({ email: owner.email, password: owner.password });
    const cookie = cookieOf(signIn);
    keep("sign-in's session", cookie.split("=")[1]!);
    const asOwner = { cookie, "sec-fetch-site": "same-origin" };
    // A failed attempt's password is not kept either (the audit log records the attempt).
    keep("a mistyped password", "owner furst passphrase 4711");
    expect((await request(app).post("/api/auth/sign-in").send({ email: owner.email, password: "owner furst passphrase 4711" })).status).toBe(401);

    for (const role of ["owner", "runner", "viewer"]) {
      const created = await request(app).post("/api/tokens").set(asOwner).send({ name: `${role} token`, role });
      expect(created.status).toBe(201);
      keep(`${role} API token`, created.body.token);
      expect((await request(app).get("/api/pipelines").set("authorization", `Bearer ${created.body.token}`)).status).toBe(200);
    }
    const provisioned = keep("SLUICE_OWNER_TOKEN", `provisioned-owner-token-${"x".repeat(32)}`);
    await provisionOwner(t.deps, { email: undefined, password: undefined, token: provisioned }, (m) => t.logs.push(m));
    expect((await request(app).get("/api/me").set("authorization", `Bearer ${provisioned}`)).status).toBe(200);

    const invite = await request(app).post("/api/invitations").set(asOwner).send({ role: "editor", email: "editor@example.com" });
    expect(invite.status, JSON.stringify(invite.body)).toBe(201);
    const inviteToken = keep("used invitation token", new URL(invite.body.link).hash.slice(1));
    const pending = await request(app).post("/api/invitations").set(asOwner).send({ role: "viewer" });
    keep("pending invitation token", new URL(pending.body.link).hash.slice(1));
    const editorPassword = keep("editor's password", "editor joins with this passphrase");
    const accepted = await request(app).post("/api/invitations/accept").send({ token: inviteToken, email: "editor@example.com", name: "Editor", password: editorPassword });
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(200);
    keep("editor's session", cookieOf(accepted).split("=")[1]!);

    const changed = await request(app).post("/api/auth/password").set(asOwner).send({ currentPassword: owner.password, newPassword: keep("owner's new password", "owner second passphrase 0815") });
    expect(changed.status).toBe(204);
    keep("session the change renewed", cookieOf(changed).split("=")[1]!);
    const again = await request(app).post("/api/auth/sign-in").send({ email: owner.email, password: "owner second passphrase 0815" });
    keep("session after the change", cookieOf(again).split("=")[1]!);
    const asOwnerNow = { cookie: cookieOf(again), "sec-fetch-site": "same-origin" };

    // A stored connection's password is a secret too (kept encrypted).
    const connection = await request(app).post("/api/connections").set(asOwnerNow).send({ name: "Warehouse", settings: { host: "127.0.0.1", port: 5432, database: "x", user: "x", sslMode: "disable" }, password: keep("connection password", "connection password 31337") });
    expect(connection.status, JSON.stringify(connection.body)).toBe(201);

    // A webhook's signing secret and a Slack incoming webhook's URL (its own password) are kept encrypted too.
    // Public address literals, so no DNS and no allowlist is needed to add them; nothing is sent.
    const hook = await request(app).post("/api/notification-channels").set(asOwnerNow).send({ kind: "webhook", name: "Hook", url: "https://93.184.215.14/hook", events: ["run.failed"] });
    expect(hook.status, JSON.stringify(hook.body)).toBe(201);
    keep("webhook signing secret", hook.body.secret);
    const slackUrl = keep("Slack webhook URL", "https://93.184.215.14/services/T0SECRET/B0SECRET/slackpathsecret");
    expect((await request(app).post("/api/notification-channels").set(asOwnerNow).send({ kind: "slack", name: "Slack", url: slackUrl, events: ["run.failed"] })).status).toBe(201);
  }, 120_000);
  afterAll(async () => t?.close());

  it("pg_dump of the database holds none of them, though it holds the accounts, sessions, tokens and invitations", async () => {
    const { stdout: dump } = await run("pg_dump", ["--no-owner", "--dbname", t.database.url], { maxBuffer: 256 * 1024 * 1024 });
    // The dump is of the right database and has the rows (so the absence below means something).
    expect(dump).toContain("owner@example.com");
    expect(dump).toContain("editor@example.com");
    expect(dump).toMatch(/COPY public\.sessions /);
    expect(dump).toContain(secrets.get("owner API token")!.slice(0, 8));
    for (const [what, value] of secrets) expect(dump.includes(value), `${what} is in the dump`).toBe(false);
  });

  it("the server's log holds none of them", () => {
    const logs = t.logs.join("\n");
    expect(logs.length).toBeGreaterThan(0);
    for (const [what, value] of secrets) expect(logs.includes(value), `${what} is in the log`).toBe(false);
  });
});
