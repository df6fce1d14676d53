import type { RequestHandler } from "express";
import { AppError } from "./app-error.ts";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Until Sluice has accounts, any page the user visits could otherwise script requests to the local API.
 * State-changing requests must come from our own origin (or one the admin allowed).
 */
export function sameOriginOnly(allowedOrigins: string[]): RequestHandler {
  return (req, _res, next) => {
    if (SAFE_METHODS.has(req.method)) return next();
    const origin = req.get("origin");
    const site = req.get("sec-fetch-site");
    if (origin) {
      let host: string | undefined;
      try {
        host = new URL(origin).host;
      } catch {
        host = undefined;
      }
      if (host !== req.get("host") && !allowedOrigins.includes(origin)) {
        return next(new AppError(403, "CROSS_ORIGIN_REFUSED", `Requests that change data must come from this server's own pages, not ${origin}.`));
      }
    } else if (site === "cross-site") {
      return next(new AppError(403, "CROSS_ORIGIN_REFUSED", "Requests that change data must come from this server's own pages."));
    }
    next();
  };
}
