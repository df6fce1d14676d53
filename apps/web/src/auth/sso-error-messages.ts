/**
 * The codes `/sign-in?error=` carries after single sign-on (apps/server/src/auth/sso), in plain words: a redirect
 * brings only the code. Refusals answered to a
 * request bring the server's own message, shown as it is.
 */
const ssoMessages: Record<string, string> = {
  SSO_DENIED: "Single sign-on was cancelled or refused at the provider. Try again, or sign in with your email and password.",
  SSO_DOMAIN_NOT_ALLOWED: "Accounts of your email's domain may not sign in to this Sluice. Ask an owner for an invitation link.",
  SSO_EMAIL_UNVERIFIED: "Your identity provider has not verified your email address, so Sluice cannot use it. Verify it there, then try again.",
  SSO_FAILED: "Single sign-on did not complete. Try again, or sign in with your email and password.",
  SSO_STATE_MISMATCH: "That single sign-on attempt expired or was started in another tab. Try again.",
  SSO_NOT_CONFIGURED: "Single sign-on is not set up on this Sluice. Sign in with your email and password.",
  SSO_UNAVAILABLE: "The sign-in provider cannot be reached right now. Try again in a minute, or sign in with your password.",
};

/** A `?error=` code in words; an unknown code is still shown, so it can be reported. */
export const ssoErrorMessage = (code: string): string => ssoMessages[code] ?? `Signing in did not work (${code}). Try again, or ask an owner of this Sluice.`;
