import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import request from "supertest";
import { createTestApp, type FreshTestApp, type TestApp } from "../testing/test-app.ts";
import { provisionOwner } from "./provision-owner.ts";
import { DEFAULT_WORKSPACE_ID } from "../workspaces/workspace.repository.ts";

const owner = { email: "First@Example.com", name: "First Owner", password: "a long first password" };

describe("owner setup on first start", () => {
  let t: FreshTestApp;
  beforeEach(async () => {
    t = await createTestApp({ withOwner: false });
  }, 60_000);
  afterEach(async () => t?.close());

  it("a fresh install says setup is required; setup creates the owner of the Default workspace, signs in, and is refused afterwards", async () => {
    expect((await request(t.bareApp).get("/api/auth/config")).body).toEqual({ setupRequired: true, setupCodeRequired: false, sso: null });
    // Nothing but setup works yet.
    expect((await request(t.bareApp).get("/api/pipelines")).status).toBe(401);

    const res = await request(t.bareApp).post("/api/auth/setup").send(owner);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.actor).toMatchObject({ kind: "person", email: "first@example.com", name: "First Owner" });
    expect(res.body.workspace).toMatchObject({ id: DEFAULT_WORKSPACE_ID, role: "owner" });
    const cookie = ([] as string[]).concat(res.headers["set-cookie"] ?? []).find((c) => c.startsWith("sluice_session="))!.split(";")[0]!;
    expect((await request(t.bareApp).get("/api/pipelines").set("cookie", cookie)).status).toBe(200);
    expect((await request(t.bareApp).get("/api/auth/config")).body.setupRequired).toBe(false);

    const again = await request(t.bareApp).post("/api/auth/setup").send({ ...owner, email: "second@example.com" });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe("ALREADY_SET_UP");
    expect(await t.db.user.count()).toBe(1);
    expect(await t.db.auditEvent.count({ where: { action: "account.created" } })).toBe(1);
  });

  it("refuses a short password or a bad email, naming the field", async () => {
    const short = await request(t.bareApp).post("/api/auth/setup").send({ ...owner, password: "short" });
    expect(short.status).toBe(400);
    expect(short.body.error.details.problems[0].field).toBe("body.password");
    expect((await request(t.bareApp).post("/api/auth/setup").send({ ...owner, email: "not an email" })).status).toBe(400);
    expect(await t.db.user.count()).toBe(0);
  });

  it("ten setups at once create exactly one owner; the others get 409", async () => {
    const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => request(t.bareApp).post("/api/auth/setup").send({ ...owner, email: `owner${i}@example.com` })));
    expect(answers.map((a) => a.status).sort()).toEqual([201, ...Array(9).fill(409)]);
    expect(await t.db.user.count()).toBe(1);
    expect(await t.db.membership.count({ where: { role: "owner" } })).toBe(1);
  }, 60_000);
});

describe("owner setup on a new install served on a network", () => {
  let t: FreshTestApp;
  beforeAll(async () => {
    t = await createTestApp({ withOwner: false, network: { listenHost: "0.0.0.0" } });
  }, 60_000);
  afterAll(async () => t?.close());

  it("takes the one-time setup code the server logged, so whoever reaches it first over the network cannot claim it", async () => {
    expect((await request(t.bareApp).get("/api/auth/config")).body).toMatchObject({ setupRequired: true, setupCodeRequired: true });
    const line = t.logs.find((l) => l.includes("setup code"))!;
    const code = /setup code ([2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4})/.exec(line)![1]!;

    for (const setupCode of [undefined, "", "AAAA-BBBB-CCCC", `${code}X`]) {
      const res = await request(t.bareApp).post("/api/auth/setup").send({ ...owner, ...(setupCode === undefined ? {} : { setupCode }) });
      expect(res.status, String(setupCode)).toBe(403);
      expect(res.body.error.code).toBe("SETUP_CODE_WRONG");
      expect(res.body.error.message).toMatch(/printed in its log/);
    }
    expect(await t.db.user.count()).toBe(0);

    // Typed as people do: lower case, without the dashes.
    const res = await request(t.bareApp).post("/api/auth/setup").send({ ...owner, setupCode: code.toLowerCase().replaceAll("-", "") });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect((await request(t.bareApp).get("/api/auth/config")).body).toMatchObject({ setupRequired: false, setupCodeRequired: false });
    // The code is spent: a second setup is refused as already set up.
    expect((await request(t.bareApp).post("/api/auth/setup").send({ ...owner, email: "second@example.com", setupCode: code })).body.error.code).toBe("ALREADY_SET_UP");
  });
});

describe("headless first start: SLUICE_OWNER_EMAIL, SLUICE_OWNER_PASSWORD, SLUICE_OWNER_TOKEN", () => {
  let t: FreshTestApp;
  const logs: string[] = [];
  const log = (m: string) => logs.push(m);
  const tokenA = `provisioned-${"a".repeat(40)}`;
  const tokenB = `provisioned-${"b".repeat(40)}`;
  beforeAll(async () => {
    t = await createTestApp({ withOwner: false });
  }, 60_000);
  afterAll(async () => t?.close());

  const asToken = (token: string) => request(t.bareApp).get("/api/me").set("authorization", `Bearer ${token}`);

  it("creates the owner once, and the token is an owner token of the Default workspace", async () => {
    await provisionOwner(t.deps, { email: owner.email, password: owner.password, token: tokenA }, log);
    expect(await t.db.user.count()).toBe(1);
    const me = await asToken(tokenA);
    expect(me.status).toBe(200);
    expect(me.body.workspace).toMatchObject({ id: DEFAULT_WORKSPACE_ID, role: "owner" });
    expect(me.body.permissions).toContain("member.manage");
    expect((await request(t.bareApp).post("/api/pipelines").set("authorization", `Bearer ${tokenA}`).send({ name: "Provisioned" })).status).toBe(201);
    const signIn = await request(t.bareApp).post("/api/auth/sign-in").send({ email: owner.email, password: owner.password });
    expect(signIn.status).toBe(200);
    expect(signIn.body.workspace.role).toBe("owner");
    // Stored hashed, like any token.
    expect(JSON.stringify(await t.db.apiToken.findMany())).not.toContain(tokenA);
    expect(logs.join("\n")).not.toContain(tokenA);
    expect(logs.join("\n")).not.toContain(owner.password);
  });

  it("a second start with other values changes no one's password and makes no second owner", async () => {
    await provisionOwner(t.deps, { email: "other@example.com", password: "another long password", token: tokenA }, log);
    expect(await t.db.user.count()).toBe(1);
    expect((await request(t.bareApp).post("/api/auth/sign-in").send({ email: owner.email, password: owner.password })).status).toBe(200);
    expect((await request(t.bareApp).post("/api/auth/sign-in").send({ email: "other@example.com", password: "another long password" })).status).toBe(401);
    expect(await t.db.apiToken.count()).toBe(1);
  });

  it("a changed token value retires the old one; unsetting it retires it too", async () => {
    await provisionOwner(t.deps, { email: undefined, password: undefined, token: tokenB }, log);
    expect((await asToken(tokenA)).status).toBe(401);
    expect((await asToken(tokenB)).body.workspace.role).toBe("owner");
    await provisionOwner(t.deps, { email: undefined, password: undefined, token: undefined }, log);
    expect((await asToken(tokenB)).status).toBe(401);
    await provisionOwner(t.deps, { email: undefined, password: undefined, token: tokenB }, log);
    expect((await asToken(tokenB)).status).toBe(200);
  });

  it("refuses an email without a password, or a password too short, with the setting's name", async () => {
    const fresh = await createTestApp({ withOwner: false });
    try {
      await expect(provisionOwner(fresh.deps, { email: "a@example.com", password: undefined, token: undefined }, log)).rejects.toThrow(/SLUICE_OWNER_EMAIL and SLUICE_OWNER_PASSWORD/);
      await expect(provisionOwner(fresh.deps, { email: "a@example.com", password: "short", token: undefined }, log)).rejects.toThrow(/SLUICE_OWNER_PASSWORD.*password/);
      expect(await fresh.db.user.count()).toBe(0);
    } finally {
      await fresh.close();
    }
  }, 60_000);
});

describe("an install that already has an owner", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  }, 60_000);
  afterAll(async () => t?.close());

  it("does not offer setup and refuses it", async () => {
    expect((await request(t.bareApp).get("/api/auth/config")).body.setupRequired).toBe(false);
    expect((await request(t.bareApp).post("/api/auth/setup").send(owner)).status).toBe(409);
  });
});
