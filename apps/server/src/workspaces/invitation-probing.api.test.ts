import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import { createTestApp, type TestApp } from "../testing/test-app.ts";
import { tokenOf } from "../testing/sign-in.ts";

/**
 * Accepting an invitation signed out answers 409 EMAIL_TAKEN for an email that has an account, which tells who
 * has one. Those answers count as failed sign-ins of the address tried, from the address asking, so probing
 * emails through a link is limited like guessing passwords. The test app trusts its loopback proxy, so
 * X-Forwarded-For sets each request's address.
 */
describe("probing which emails have accounts through an invitation link is rate-limited", () => {
  let t: TestApp;
  let link: string;
  let n = 0;
  beforeAll(async () => {
    t = await createTestApp({ trustProxy: "loopback", signInLimits: { perAccount: 3, perAddress: 3, windowMinutes: 15 } });
    link = tokenOf((await request(t.app).post("/api/invitations").send({ role: "viewer" })).body.link);
  }, 60_000);
  afterAll(async () => t?.close());

  /** A fresh address each call unless one is given. */
  const accept = (email: string, address = `198.51.100.${++n}`) =>
    request(t.bareApp).post("/api/invitations/accept").set("x-forwarded-for", address).send({ token: link, email, name: "Prober", password: "a long enough password" });

  const expectRefused = (res: request.Response) => {
    expect(res.status, JSON.stringify(res.body)).toBe(429);
    expect(res.body.error.code).toBe("TOO_MANY_SIGN_INS");
    expect(res.body.error.message).toMatch(/Too many failed sign-ins.*Wait \d+ minute/);
    expect(Number(res.headers["retry-after"])).toBeGreaterThan(0);
    expect(Number(res.headers["retry-after"])).toBeLessThanOrEqual(15 * 60);
  };

  it("after 3 EMAIL_TAKEN answers for one email, it is refused with 429 from any address, and its password sign-in too", async () => {
    const p = await t.person("viewer");
    for (let i = 0; i < 3; i++) expect((await accept(p.email)).body.error.code).toBe("EMAIL_TAKEN");
    expectRefused(await accept(p.email));
    expectRefused(await accept(p.email.toUpperCase()));
    expectRefused(await request(t.bareApp).post("/api/auth/sign-in").set("x-forwarded-for", "198.51.100.250").send({ email: p.email, password: p.password }));
  });

  it("a burst of parallel probes of one email gets at most 3 answers; the rest are refused", async () => {
    const p = await t.person("viewer");
    const answers = await Promise.all(Array.from({ length: 8 }, () => accept(p.email)));
    const statuses = answers.map((r) => r.status);
    expect(statuses.filter((x) => x === 409).length).toBeLessThanOrEqual(3);
    expect(statuses.filter((x) => x === 429).length).toBeGreaterThanOrEqual(5);
  });

  it("after 3 EMAIL_TAKEN answers to one address, it may not create an account either; another address may", async () => {
    const people = [await t.person("viewer"), await t.person("viewer"), await t.person("viewer")];
    for (const p of people) expect((await accept(p.email, "203.0.113.7")).status).toBe(409);
    expectRefused(await accept("someone.new@sluice.test", "203.0.113.7"));
    expect(await t.db.user.count({ where: { email: "someone.new@sluice.test" } })).toBe(0);
    // The link was not used up by the refusals.
    const joined = await accept("someone.new@sluice.test", "203.0.113.8");
    expect(joined.status, JSON.stringify(joined.body)).toBe(200);
  });
});
