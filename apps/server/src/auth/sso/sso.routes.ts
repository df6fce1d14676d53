import { z } from "zod";
import * as oidc from "openid-client";
import type { Request, Response } from "express";
import type { Deps } from "../../http/deps.ts";
import { AppError } from "../../http/app-error.ts";
import { defineRoute } from "../../http/route.ts";
import { signInAs } from "../accounts.ts";
import { safeReturnTo } from "./sso-attempt.ts";
import type { SsoProvider } from "./sso-provider.ts";
import { verifiedIdentity, SsoRefusal, type SsoErrorCode } from "./sso-identity.ts";
import { ssoAccount } from "./sso-account.ts";

const notConfigured = () => new AppError(404, "SSO_NOT_CONFIGURED", "Single sign-on is not set up on this Sluice: an administrator sets OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET (see docs/security.md).");

/** Provider answers that mean the person (or the provider's policy) said no, rather than something broke. */
const DENIALS = new Set(["access_denied", "login_required", "consent_required", "interaction_required", "account_selection_required", "unauthorized_client"]);

/** Single sign-on with the OpenID Connect provider of the OIDC_* settings: authorization code flow with PKCE. */
export const ssoRoutes = (deps: Pick<Deps, "auth" | "log">) => {
  const a = deps.auth.accounts;
  const sso = (): SsoProvider => {
    if (!deps.auth.sso) throw notConfigured();
    return deps.auth.sso;
  };
  return [
    defineRoute({
      method: "get",
      path: "/auth/sso/start",
      tag: "auth",
      action: "public",
      summary: "Sign in with the SSO provider: redirects the browser there; `returnTo` is the Sluice page to open afterwards",
      // Anything that is not a path on this site becomes "/" (safeReturnTo) rather than an error page.
      query: z.object({ returnTo: z.string().optional().catch(undefined) }),
      status: 302,
      errors: [404, 503],
      handler: async ({ query, req, res }) => {
        const p = sso();
        const config = await p.discovery.configuration();
        const attempt = { state: oidc.randomState(), nonce: oidc.randomNonce(), codeVerifier: oidc.randomPKCECodeVerifier(), returnTo: safeReturnTo(query.returnTo), redirectUri: p.callbackUrl(req) };
        const url = oidc.buildAuthorizationUrl(config, {
          redirect_uri: attempt.redirectUri,
          scope: p.settings.scopes,
          code_challenge: await oidc.calculatePKCECodeChallenge(attempt.codeVerifier),
          code_challenge_method: "S256",
          state: attempt.state,
          nonce: attempt.nonce,
        });
        p.attempts.begin(res, attempt, a.https(req));
        res.redirect(302, url.href);
        return undefined;
      },
    }),
    defineRoute({
      method: "get",
      path: "/auth/sso/callback",
      tag: "auth",
      action: "public",
      summary: "Where the SSO provider sends the browser back: signs in (creating the account on first sign-in) and redirects to the page asked for, or to /sign-in?error=<code>",
      status: 302,
      errors: [404],
      handler: async ({ req, res, auth }) => {
        const p = sso();
        try {
          const attempt = p.attempts.take(req, res, a.https(req));
          if (!attempt) throw new SsoRefusal("SSO_STATE_MISMATCH", "this browser has no sign-in attempt (it expired after 10 minutes, or the callback was opened in another browser)");
          // The provider's answer, at the callback URL it was sent to (the same one the code is redeemed with).
          const current = new URL(attempt.redirectUri);
          current.search = new URL(req.originalUrl, "http://callback").search;
          if (current.searchParams.get("state") !== attempt.state) throw new SsoRefusal("SSO_STATE_MISMATCH", "the state sent back differs from this browser's sign-in attempt");
          const config = await p.discovery.configuration().catch(() => {
            throw new SsoRefusal("SSO_FAILED", "the provider's discovery document cannot be read");
          });
          const tokens = await oidc
            .authorizationCodeGrant(config, current, { pkceCodeVerifier: attempt.codeVerifier, expectedState: attempt.state, expectedNonce: attempt.nonce, idTokenExpected: true })
            .catch((e: unknown) => {
              throw grantFailure(e);
            });
          const who = await verifiedIdentity(config, tokens, p.settings);
          const { user, created } = await ssoAccount(a, p.settings, who, auth.address);
          await signInAs(a, req, res, user, "sso");
          deps.log(`SSO: ${user.email} signed in${created ? ` (new account, ${p.settings.defaultRole} in workspace ${p.settings.workspaceId})` : ""}`);
          res.redirect(302, attempt.returnTo);
        } catch (e) {
          refuse(deps.log, res, req, e);
        }
        return undefined;
      },
    }),
  ];
};

/** What went wrong redeeming the code: the provider's own refusal, or a check openid-client made (state, nonce, PKCE, signature). */
function grantFailure(e: unknown): SsoRefusal {
  if (e instanceof oidc.AuthorizationResponseError) {
    const code: SsoErrorCode = DENIALS.has(e.error) ? "SSO_DENIED" : "SSO_FAILED";
    return new SsoRefusal(code, `the provider answered ${e.error}${e.error_description ? `: ${e.error_description}` : ""}`);
  }
  if (e instanceof oidc.ResponseBodyError) return new SsoRefusal("SSO_FAILED", `the provider's token endpoint answered ${e.status} ${e.error}${e.error_description ? `: ${e.error_description}` : ""}`);
  // openid-client's messages name the check that failed, never a token.
  const err = e instanceof Error ? e : new Error(String(e));
  return new SsoRefusal("SSO_FAILED", `${err.message}${(err as { code?: string }).code ? ` [${(err as { code?: string }).code}]` : ""}`);
}

/** Back to the sign-in page with the code; the reason goes to the log only (it may name internals, never tokens). */
function refuse(log: (m: string) => void, res: Response, req: Request, e: unknown): void {
  const r = e instanceof SsoRefusal ? e : new SsoRefusal("SSO_FAILED", e instanceof Error ? e.message : String(e));
  log(`SSO sign-in refused (${r.code}) from ${req.ip ?? "unknown address"}: ${r.reason}`);
  res.redirect(302, `/sign-in?error=${r.code}`);
}
