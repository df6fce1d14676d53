import * as oidc from "openid-client";
import { emailSchema } from "@sluice/model";
import type { SsoSettings } from "./sso-settings.ts";
import { displayableName, type SsoIdentity } from "./sso-account.ts";

/** The codes /sign-in?error= can carry; the web app says what each means. */
export type SsoErrorCode = "SSO_DENIED" | "SSO_DOMAIN_NOT_ALLOWED" | "SSO_EMAIL_UNVERIFIED" | "SSO_FAILED" | "SSO_STATE_MISMATCH";

/** A sign-in through the provider that ends on the sign-in page: `code` for the person, `reason` for the log. */
export class SsoRefusal extends Error {
  constructor(
    readonly code: SsoErrorCode,
    readonly reason: string,
  ) {
    super(`${code}: ${reason}`);
  }
}

type Tokens = Awaited<ReturnType<typeof oidc.authorizationCodeGrant>>;

/** Some providers (Cognito among them) send the boolean as a string. */
const isTrue = (v: unknown) => v === true || v === "true";

/**
 * Who signed in, from the ID token openid-client has checked (signature, issuer, audience, nonce), with the
 * email and whether the provider verified it. A provider that keeps those out of the ID token (oidc-provider
 * does, when an access token can fetch them) is asked at its userinfo endpoint, for the same subject.
 * An email the provider has not verified is refused: anyone could otherwise claim an existing person's address
 * at a provider that lets people type one, and take over that person's Sluice account.
 */
export async function verifiedIdentity(config: oidc.Configuration, tokens: Tokens, s: SsoSettings): Promise<SsoIdentity> {
  const idToken = tokens.claims();
  if (!idToken) throw new SsoRefusal("SSO_FAILED", "the provider sent no ID token (is the openid scope in OIDC_SCOPES?)");
  let claims: Record<string, unknown> = idToken;
  if (idToken.email === undefined && tokens.access_token) {
    const info = await oidc.fetchUserInfo(config, tokens.access_token, idToken.sub).catch((e: Error) => {
      throw new SsoRefusal("SSO_FAILED", `the provider's userinfo endpoint failed: ${e.message}`);
    });
    claims = { ...info, ...idToken, email: info.email, email_verified: info.email_verified };
  }
  if (typeof claims.email !== "string") throw new SsoRefusal("SSO_EMAIL_UNVERIFIED", `the provider sent no email for subject ${idToken.sub} (add "email" to OIDC_SCOPES, or give the account an email at the provider)`);
  const email = emailSchema.safeParse(claims.email);
  if (!email.success) throw new SsoRefusal("SSO_EMAIL_UNVERIFIED", `the provider's email for subject ${idToken.sub} is not an email address`);
  if (!isTrue(claims.email_verified)) {
    const sent = claims.email_verified === undefined ? "sent no email_verified claim" : `sent email_verified=${JSON.stringify(claims.email_verified)}`;
    throw new SsoRefusal("SSO_EMAIL_UNVERIFIED", `the provider ${sent} for ${email.data}`);
  }
  const domain = email.data.slice(email.data.lastIndexOf("@") + 1);
  if (s.allowedDomains.length && !s.allowedDomains.includes(domain)) {
    throw new SsoRefusal("SSO_DOMAIN_NOT_ALLOWED", `${email.data}: the domain ${domain} is not in OIDC_ALLOWED_DOMAINS`);
  }
  return { issuer: config.serverMetadata().issuer, subject: idToken.sub, email: email.data, name: displayableName(claims.name) };
}
