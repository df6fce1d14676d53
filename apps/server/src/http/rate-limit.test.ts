import { describe, expect, it } from "vitest";
import { rateLimiter } from "./rate-limit.ts";

describe("rateLimiter", () => {
  it("lets a burst through, then one request per refill interval, per client", () => {
    let t = 1_000_000;
    const limit = rateLimiter(10, () => t);
    for (let i = 0; i < 10; i++) expect(limit.take("a"), `request ${i + 1}`).toEqual({ ok: true });
    expect(limit.take("a")).toEqual({ ok: false, retryAfterSeconds: 6 });
    expect(limit.take("b")).toEqual({ ok: true });
    t += 3000;
    expect(limit.take("a")).toEqual({ ok: false, retryAfterSeconds: 3 });
    t += 3000;
    expect(limit.take("a")).toEqual({ ok: true });
    expect(limit.take("a")).toMatchObject({ ok: false });
    // A client that waits a whole minute has its burst back, never more.
    t += 10 * 60_000;
    for (let i = 0; i < 10; i++) expect(limit.take("a")).toEqual({ ok: true });
    expect(limit.take("a")).toMatchObject({ ok: false });
  });

  it("does not count refused requests against a client, and answers in whole seconds", () => {
    let t = 0;
    const limit = rateLimiter(1, () => t);
    expect(limit.take("a").ok).toBe(true);
    for (let i = 0; i < 5; i++) expect(limit.take("a")).toEqual({ ok: false, retryAfterSeconds: 60 });
    t += 59_500;
    expect(limit.take("a")).toEqual({ ok: false, retryAfterSeconds: 1 });
    t += 500;
    expect(limit.take("a").ok).toBe(true);
  });

  it("forgets clients whose bucket is full again once it remembers many, and only those", () => {
    let t = 0;
    const limit = rateLimiter(2, () => t);
    limit.take("busy");
    limit.take("busy");
    for (let i = 0; i < 9_998; i++) limit.take(`client-${i}`);
    t += 30_000; // every client's bucket is full again; busy's holds one token
    limit.take("newcomer");
    expect(limit.size()).toBe(10_000);
    limit.take("another");
    expect(limit.size()).toBe(3);
    expect(limit.take("busy")).toEqual({ ok: true });
    expect(limit.take("busy")).toMatchObject({ ok: false });
  });
});
