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
  /**
   * For requests a proxy forwarded. A proxy in front of a loopback-only Sluice (nginx sends `Host: 127.0.0.1` by
   * default) would otherwise open it to the network with no token; such requests count as from the network,
   * whatever HOST says. A header can only make a request need more here, never less.
   */
  proxied?: { writes: boolean; reads: boolean };
}

/**
 * REQUIRE_API_TOKENS: "true" requires a token for every route that changes data, and for reads too when served on
 * a network; "auto" (the default) is "true" on a network and "false" on loopback, where the Host and Origin checks
 * keep browsers out and the local user works without one; "false" requires none.
 */
export function tokenPolicy(setting: "true" | "false" | "auto", onNetwork: boolean): TokenPolicy {
  const of = (network: boolean) => {
    const writes = setting === "true" || (setting === "auto" && network);
    return { writes, reads: writes && network };
  };
  return { ...of(onNetwork), proxied: of(true) };
}

const needsToken = (access: Access, policy: { writes: boolean; reads: boolean }) =>
  access === "write" ? policy.writes : access === "read" ? policy.reads : false;

/** Headers that reverse proxies add (RFC 7239's Forwarded, the de facto X-Forwarded-*, X-Real-IP, Via). */
const PROXY_HEADERS = ["forwarded", "x-forwarded-for", "x-forwarded-host", "x-forwarded-proto", "x-real-ip", "via"];
const viaProxy = (req: Request) => PROXY_HEADERS.some((h) => req.get(h) !== undefined);

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
      const proxied = viaProxy(req) && policy.proxied !== undefined;
      if (!needsToken(access, proxied ? policy.proxied! : policy)) return;
      res.set("WWW-Authenticate", 'Bearer realm="sluice"');
      const why = proxied && !needsToken(access, policy)
        ? " This request came through a proxy, so it counts as coming from the network; set PUBLIC_URL to the address people use, so that Sluice knows it is served there."
        : "";
      throw new AppError(
        401,
        "TOKEN_REQUIRED",
        `This Sluice requires an API token for this request: send \`Authorization: Bearer <token>\`. Anyone with a token can create more under API tokens; the admin creates the first with \`npm run token:create\`.${why}`,
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
