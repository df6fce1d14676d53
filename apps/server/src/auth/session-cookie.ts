import type { Request, Response } from "express";
import { hostCookie } from "./host-cookie.ts";

/** The session cookie, `sluice_session` (`__Host-sluice_session` over HTTPS): see host-cookie.ts. */
const session = hostCookie("sluice_session");

export const readSessionToken = (req: Request, secure: boolean): string | undefined => session.read(req, secure);

/** A request that came with an ended session had it cleared already; the answer carries only the new one. */
export const setSessionCookie = (res: Response, token: string, expiresAt: Date, secure: boolean): void => session.set(res, token, secure, { expires: expiresAt });

export const clearSessionCookie = (res: Response, secure: boolean): void => session.clear(res, secure);
