import { hkdfSync } from "node:crypto";
import type { Request, Response } from "express";
import { z } from "zod";
import { createSecretBox } from "../../connections/secret-box.ts";
import { hostCookie } from "../host-cookie.ts";

/**
 * One sign-in through the provider, from /api/auth/sso/start to its callback: the PKCE code verifier, the state
 * and nonce the provider must echo, and where to go afterwards. It rides in the browser's cookie, sealed
 * (AES-GCM with a key of its own derived from the secret key), so any Sluice process behind a load balancer can
 * finish the sign-in, scripts cannot read it (HttpOnly) and nobody can forge or edit one.
 */
export interface SsoAttempt {
  state: string;
  nonce: string;
  codeVerifier: string;
  /** A same-site path (see safeReturnTo). */
  returnTo: string;
  /** The callback URL sent to the provider; the code is redeemed with the same one. */
  redirectUri: string;
}

const attemptSchema = z.object({
  state: z.string().min(1),
  nonce: z.string().min(1),
  codeVerifier: z.string().min(1),
  returnTo: z.string(),
  redirectUri: z.string(),
  expiresAt: z.number(),
});

/** Long enough to sign in at the provider, perhaps with a second factor; short enough not to linger. */
export const ATTEMPT_MS = 10 * 60_000;

/** `sluice_sso`, or `__Host-sluice_sso` over HTTPS, like the session cookie (host-cookie.ts). */
const cookie = hostCookie("sluice_sso");

export interface SsoAttempts {
  /** Sets the attempt's cookie, replacing an earlier attempt of the same browser. */
  begin(res: Response, attempt: SsoAttempt, secure: boolean): void;
  /** The browser's current attempt, if it has one, sealed by this server and not expired; the cookie is cleared. */
  take(req: Request, res: Response, secure: boolean): SsoAttempt | null;
}

export function ssoAttempts(secretKey: Buffer, now: () => number = Date.now): SsoAttempts {
  // A key for this purpose only: a sealed connection password can never pass for an attempt, or the other way.
  const box = createSecretBox(Buffer.from(hkdfSync("sha256", secretKey, "", "sluice sso attempt cookie", 32)));
  return {
    begin(res, attempt, secure) {
      const sealed = box.seal(JSON.stringify({ ...attempt, expiresAt: now() + ATTEMPT_MS }));
      // Lax: the provider sends the browser back with a top-level GET from its own site, which Lax lets through.
      cookie.set(res, sealed, secure, { maxAge: ATTEMPT_MS });
    },
    take(req, res, secure) {
      const sealed = cookie.read(req, secure);
      if (!sealed) return null;
      cookie.clear(res, secure);
      let value: unknown;
      try {
        value = JSON.parse(box.open(sealed));
      } catch {
        return null;
      }
      const parsed = attemptSchema.safeParse(value);
      if (!parsed.success || parsed.data.expiresAt < now()) return null;
      const { expiresAt: _expiresAt, ...attempt } = parsed.data;
      return attempt;
    },
  };
}

/**
 * Where to send the person after signing in: a path on this site, else "/". "//host" and "/\host" are other
 * sites to a browser, and browsers drop tabs and line breaks from URLs ("/\t/host" becomes "//host"), so
 * backslashes and control characters are refused anywhere.
 */
export function safeReturnTo(value: unknown): string {
  if (typeof value !== "string" || value.length > 2000) return "/";
  if (!value.startsWith("/") || value.startsWith("//")) return "/";
  if (/[\\\u0000-\u001f\u007f]/.test(value)) return "/";
  return value;
}
