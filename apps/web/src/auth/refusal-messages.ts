import { ApiError } from "../api/client.ts";

/**
 * Codes of the sign-in, setup and invitation refusals (and of `?error=` after single sign-on), in plain words. The
 * server's own message is used for any code not here.
 */
const messages: Record<string, string> = {
  SIGN_IN_FAILED: "That email and password do not match an account. Check them and try again.",
  TOO_MANY_SIGN_INS: "Too many sign-in attempts. Wait a few minutes, then try again.",
  ALREADY_SET_UP: "This Sluice already has an owner account. Sign in instead.",
  INVITATION_NOT_FOUND: "This invitation link is not valid. Ask the person who invited you for a new one.",
  INVITATION_USED: "This invitation link has already been used. Ask the person who invited you for a new one.",
  INVITATION_EXPIRED: "This invitation link has expired. Ask the person who invited you for a new one.",
  EMAIL_TAKEN: "An account with this email already exists. Sign in first, then open the invitation link again.",
  SSO_NOT_CONFIGURED: "Single sign-on is not set up on this Sluice. Sign in with your email and password.",
  SSO_FAILED: "Single sign-on did not complete. Try again, or sign in with your email and password.",
  SSO_CANCELLED: "Single sign-on was cancelled.",
  SSO_STATE_MISMATCH: "The single sign-on attempt expired or was started in another tab. Try again.",
  SSO_EMAIL_NOT_ALLOWED: "Your email's domain may not sign in to this Sluice. Ask an owner for an invitation.",
  SSO_EMAIL_NOT_VERIFIED: "Your identity provider has not verified your email, so it cannot be used here.",
  SSO_NO_EMAIL: "Your identity provider did not tell Sluice your email address.",
  SIGN_IN_REQUIRED: "Your session has ended. Sign in again.",
};

/** A refusal code in words, e.g. from `?error=` after single sign-on. */
export const refusalMessage = (code: string, fallback?: string): string =>
  messages[code] ?? fallback ?? `Signing in did not work (${code}). Try again, or ask an owner of this Sluice.`;

/** An error of a sign-in page's request, in words. */
export const errorMessage = (error: unknown): string => (error instanceof ApiError ? refusalMessage(error.code, error.message) : String(error));
