import { randomBytes } from "node:crypto";
import type { Request, Response } from "express";
import { describe, expect, it } from "vitest";
import { ATTEMPT_MS, safeReturnTo, ssoAttempts, type SsoAttempt } from "./sso-attempt.ts";

const attempt: SsoAttempt = { state: "state-1", nonce: "nonce-1", codeVerifier: "verifier-1", returnTo: "/runs", redirectUri: "http://127.0.0.1:3000/api/auth/sso/callback" };

/** Sets the cookie through a stand-in Response and hands it back the way a browser would. */
function roundTrip(set: (res: Response) => void) {
  const cookies: Array<{ name: string; value: string; options: Record<string, unknown> }> = [];
  const res = { cookie: (name: string, value: string, options: Record<string, unknown>) => cookies.push({ name, value, options }), clearCookie: () => undefined, getHeader: () => undefined } as unknown as Response;
  set(res);
  const c = cookies[0]!;
  const req = (value = c.value) => ({ get: (h: string) => (h === "cookie" ? `${c.name}=${value}` : undefined) }) as unknown as Request;
  return { cookie: c, req, res };
}

describe("the SSO attempt cookie", () => {
  it("is HttpOnly, SameSite=Lax, lives 10 minutes, is __Host- and Secure over HTTPS, and does not show its contents", () => {
    const key = randomBytes(32);
    for (const secure of [false, true]) {
      const { cookie, req, res } = roundTrip((r) => ssoAttempts(key).begin(r, attempt, secure));
      expect(cookie.name).toBe(secure ? "__Host-sluice_sso" : "sluice_sso");
      expect(cookie.options).toMatchObject({ httpOnly: true, sameSite: "lax", secure, path: "/", maxAge: ATTEMPT_MS });
      for (const secret of Object.values(attempt)) expect(cookie.value).not.toContain(secret);
      expect(ssoAttempts(key).take(req(), res, secure)).toEqual(attempt);
    }
  });

  it("is refused when expired, edited, or sealed with another key", () => {
    const key = randomBytes(32);
    let now = 1_000_000;
    const { cookie, req, res } = roundTrip((r) => ssoAttempts(key, () => now).begin(r, attempt, false));
    now += ATTEMPT_MS + 1;
    expect(ssoAttempts(key, () => now).take(req(), res, false)).toBeNull();
    const edited = cookie.value.slice(0, -4) + (cookie.value.endsWith("AAAA") ? "BBBB" : "AAAA");
    expect(ssoAttempts(key).take(req(edited), res, false)).toBeNull();
    expect(ssoAttempts(randomBytes(32)).take(req(), res, false)).toBeNull();
    expect(ssoAttempts(key).take(req("not-sealed"), res, false)).toBeNull();
  });
});

describe("safeReturnTo", () => {
  it("keeps paths on this site", () => {
    for (const p of ["/", "/pipelines/abc?tab=runs#x", "/a//b"]) expect(safeReturnTo(p)).toBe(p);
  });

  it("turns anything that could leave the site into /", () => {
    for (const p of [undefined, 42, "", "pipelines", "//evil.example", "/\\evil.example", "/\t/evil.example", "/\n/evil.example", "https://evil.example", "javascript:alert(1)", "/a\\b", `/${"x".repeat(2001)}`]) {
      expect(safeReturnTo(p), JSON.stringify(p)).toBe("/");
    }
  });
});
