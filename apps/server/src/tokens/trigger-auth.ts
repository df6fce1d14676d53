import type { RequestHandler } from "express";
import { AppError } from "../http/app-error.ts";
import type { TokenRepository } from "./token.repository.ts";

/** The browser marks its own page's requests; other systems send none of these headers. */
const fromOurPages = (origin: string | undefined, site: string | undefined) => origin !== undefined || site === "same-origin";

/**
 * Who may start a run. A request with `Authorization: Bearer <token>` must carry a live API token (else 401,
 * and no run starts). Without one, our own pages may (sameOriginOnly already refused other origins), and so may
 * scripts on this machine unless tokens are required (REQUIRE_API_TOKENS, on by default when Sluice listens
 * beyond loopback).
 */
export function triggerAuth(tokens: TokenRepository, requireTokens: boolean): RequestHandler {
  return (req, _res, next) => {
    const header = req.get("authorization");
    if (header !== undefined) {
      const m = /^Bearer\s+(\S+)$/i.exec(header.trim());
      if (!m) return next(new AppError(401, "INVALID_TOKEN", "Send the API token as `Authorization: Bearer <token>`."));
      tokens
        .verify(m[1]!)
        .then((t) => next(t ? undefined : new AppError(401, "INVALID_TOKEN", "This API token is not valid or has been revoked; create a new one under API tokens.")))
        .catch(next);
      return;
    }
    if (requireTokens && !fromOurPages(req.get("origin"), req.get("sec-fetch-site"))) {
      return next(new AppError(401, "TOKEN_REQUIRED", "Starting a run from another system needs an API token: send `Authorization: Bearer <token>` (create one under API tokens)."));
    }
    next();
  };
}

/** REQUIRE_API_TOKENS: "true", "false", or "auto" (required unless the server listens on loopback only). */
export function tokensRequired(setting: string, host: string): boolean {
  if (setting === "true" || setting === "false") return setting === "true";
  return !["127.0.0.1", "localhost", "::1"].includes(host);
}
