import type { Request, Response } from "express";
import { parse } from "cookie";

/**
 * The session cookie. Over HTTPS it is `__Host-` prefixed, which browsers only accept when Secure, for path /
 * and without a Domain: a neighbouring subdomain cannot plant or overwrite it.
 */
const PLAIN = "sluice_session";
const HOST_ONLY = "__Host-sluice_session";

/** Whether the browser reached Sluice over HTTPS: directly, or through a proxy at the HTTPS PUBLIC_URL. */
export const servedOverHttps = (req: Request, publicUrlIsHttps: boolean) => req.secure || publicUrlIsHttps;

/**
 * Over HTTPS only the `__Host-` name counts: a plain-named cookie could have been planted by a neighbouring
 * subdomain or over plain HTTP, and would sign the browser in to someone else's session.
 */
export function readSessionToken(req: Request, secure: boolean): string | undefined {
  const header = req.get("cookie");
  if (!header) return undefined;
  const jar = parse(header);
  return secure ? jar[HOST_ONLY] : jar[PLAIN];
}

export function setSessionCookie(res: Response, token: string, expiresAt: Date, secure: boolean): void {
  // A request that came with an ended session had it cleared already; one Set-Cookie per name, the new session's.
  const earlier = res.getHeader("set-cookie");
  if (Array.isArray(earlier)) res.setHeader("set-cookie", earlier.filter((c) => !c.startsWith(`${PLAIN}=`) && !c.startsWith(`${HOST_ONLY}=`)));
  res.cookie(secure ? HOST_ONLY : PLAIN, token, { httpOnly: true, sameSite: "lax", secure, path: "/", expires: expiresAt });
}

export function clearSessionCookie(res: Response, secure: boolean): void {
  res.clearCookie(secure ? HOST_ONLY : PLAIN, { httpOnly: true, sameSite: "lax", secure, path: "/" });
}
