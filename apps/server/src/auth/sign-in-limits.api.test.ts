import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import { createTestApp, type TestApp } from "../testing/test-app.ts";

/**
 * Sign-in limits, per account and per address. The test app trusts its loopback proxy, so X-Forwarded-For sets
 * each request's address and the two limits can be met one at a time.
 */
describe("sign-in is rate-limited per account and per address", () => {
  let t: TestApp;
  let n = 0;
  beforeAll(async () => {
    t = await createTestApp({ trustProxy: "loopback", signInLimits: { perAccount: 3, perAddress: 5, windowMinutes: 15 } });
  }, 60_000);
  afterAll(async () => t?.close());

  /** A fresh address each call unless one is given, so only the account's count grows. */
  const signIn = (email: string, password: string, address = `198.51.100.${++n}`) =>
    request(t.bareApp).post("/api/auth/sign-in").set("x-forwarded-for", address).send({ email, password });

  const expectRefused = (res: request.Response) => {
    expect(res.status, JSON.stringify(res.body)).toBe(429);
    expect(res.body.error.code).toBe("TOO_MANY_SIGN_INS");
    expect(res.body.error.message).toMatch(/Too many failed sign-ins.*Wait \d+ minute/);
    expect(Number(res.headers["retry-after"])).toBeGreaterThan(0);
    expect(Number(res.headers["retry-after"])).toBeLessThanOrEqual(15 * 60);
    expect(([] as string[]).concat(res.headers["set-cookie"] ?? []).join()).not.toContain("sluice_session=");
  };

  it("after 3 failures for an account, even the right password is refused with 429 and Retry-After, from any address", async () => {
    const p = await t.person("viewer");
    for (let i = 0; i < 3; i++) expect((await signIn(p.email, `wrong password ${i}`)).status).toBe(401);
    expectRefused(await signIn(p.email, p.password));
    expectRefused(await signIn(p.email.toUpperCase(), p.password));
    // Another account is not affected.
    const other = await t.person("viewer");
    expect((await signIn(other.email, other.password)).status).toBe(200);
  });

  it("a burst of parallel guesses is counted as it arrives: no more than the limit are checked", async () => {
    const target = await t.person("viewer");
    const burst = await Promise.all(Array.from({ length: 12 }, () => signIn(target.email, "a wrong guess, in parallel")));
    const statuses = burst.map((r) => r.status);
    expect(statuses.filter((s) => s === 401)).toHaveLength(3);
    expect(statuses.filter((s) => s === 429)).toHaveLength(9);
    expect(await t.db.auditEvent.count({ where: { action: "sign_in.failed", resourceLabel: target.email } })).toBe(3);
  });

  it("an unknown email is limited like a real one, so the limit does not tell which accounts exist", async () => {
    for (let i = 0; i < 3; i++) expect((await signIn("ghost@sluice.test", "whatever it is")).status).toBe(401);
    expectRefused(await signIn("ghost@sluice.test", "whatever it is"));
  });

  it("a success clears the account's failures", async () => {
    const p = await t.person("viewer");
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 2; i++) expect((await signIn(p.email, "wrong password")).status).toBe(401);
      expect((await signIn(p.email, p.password)).status).toBe(200);
    }
  });

  it("after 5 failures from one address (across accounts), that address is refused for every account; others are not", async () => {
    const p = await t.person("viewer");
    const address = "203.0.113.9";
    for (let i = 0; i < 5; i++) expect((await signIn(`guess${i}@sluice.test`, "a guessed password", address)).status).toBe(401);
    expectRefused(await signIn(p.email, p.password, address));
    expect((await signIn(p.email, p.password, "203.0.113.10")).status).toBe(200);
  });

  it("failed sign-ins are audited with the address, refused ones are not checked at all", async () => {
    const failed = await t.db.auditEvent.findMany({ where: { action: "sign_in.failed", address: "203.0.113.9" } });
    expect(failed).toHaveLength(5);
  });
});
