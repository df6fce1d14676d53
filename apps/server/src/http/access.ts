import type { Request, Response } from "express";
import type { ApiTokenInfo } from "@sluice/model";
import { AppError } from "./app-error.ts";

/**
 * Who may call a route; every route declares one, and mountRoutes enforces it before anything else runs.
 * - public: anyone who reaches the server (health, the API description).
 * - read: reads data; needs a token when tokens are required and Sluice is served on a network.
 * - write: changes data, or acts with the server's credentials (runs, previews, connection tests); needs a token
 *   whenever tokens are required.
 */
export type Access = "public" | "read" | "write";

/** Which kinds of route need `Authorization: Bearer <token>` (accounts and roles will replace this). */
export interface TokenPolicy {
  writes: boolean;
  reads: boolean;
}

/**
 * REQUIRE_API_TOKENS: "true" requires a token for every route that changes data, and for reads too when served on
 * a network; "auto" (the default) is "true" on a network and "false" on loopback, where the Host and Origin checks
 * keep browsers out and the local user works without one; "false" requires none.
 */
export function tokenPolicy(setting: "true" | "false" | "auto", onNetwork: boolean): TokenPolicy {
  const writes = setting === "true" || (setting === "auto" && onNetwork);
  return { writes, reads: writes && onNetwork };
}

const needsToken = (access: Access, policy: TokenPolicy) => (access === "write" ? policy.writes : access === "read" ? policy.reads : false);

const BEARER = /^Bearer +([A-Za-z0-9._~+/-]+=*)$/i;

/**
 * A request that sends `Authorization` must send a live token, whatever the route; one that sends none is let
 * through only where the policy needs no token. No other header (Origin, Sec-Fetch-Site, a forwarded address)
 * counts: any HTTP client can send those.
 */
export function accessGuard(verify: (token: string) => Promise<ApiTokenInfo | null>, policy: TokenPolicy) {
  return async (req: Request, res: Response, access: Access): Promise<void> => {
    const header = req.get("authorization");
    if (header === undefined) {
      if (!needsToken(access, policy)) return;
      res.set("WWW-Authenticate", 'Bearer realm="sluice"');
      throw new AppError(
        401,
        "TOKEN_REQUIRED",
        "This Sluice requires an API token for this request: send `Authorization: Bearer <token>`. Anyone with a token can create more under API tokens; the admin creates the first with `npm run token:create`.",
      );
    }
    const m = BEARER.exec(header.trim());
    res.set("WWW-Authenticate", 'Bearer realm="sluice", error="invalid_token"');
    if (!m) throw new AppError(401, "INVALID_TOKEN", "Send the API token as `Authorization: Bearer <token>`.");
    const token = await verify(m[1]!);
    if (!token) throw new AppError(401, "INVALID_TOKEN", "This API token is not valid or has been revoked; use another one, or create a new one under API tokens.");
    res.removeHeader("WWW-Authenticate");
  };
}
