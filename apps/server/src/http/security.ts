import type { RequestHandler } from "express";
import { AppError } from "./app-error.ts";
import { hostAllowed, originAllowed, type NetworkPolicy } from "./network-policy.ts";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

const shown = (value: string) => (value.length > 100 ? `${value.slice(0, 100)}…` : value);

/**
 * Every request, pages and API alike, must name this server in `Host`. This is what stops DNS rebinding: a page
 * whose name now resolves to this machine still sends its own name, and a GET is enough to read data.
 */
export function allowedHostsOnly(policy: NetworkPolicy): RequestHandler {
  return (req, _res, next) => {
    const host = req.get("host");
    if (hostAllowed(policy, host)) return next();
    const named = host === undefined ? "a request without a Host header" : `the host name "${shown(host)}"`;
    next(
      new AppError(
        421,
        "HOST_NOT_ALLOWED",
        `This Sluice does not answer to ${named}. If people reach it by that name, add the name to ALLOWED_HOSTS (or set PUBLIC_URL to the address they use) and restart the server.`,
      ),
    );
  };
}

/**
 * Until Sluice has accounts, any page the user visits could otherwise script requests to the local API.
 * State-changing requests from a browser must come from an origin this server answers to, or one the admin
 * allowed (ALLOWED_ORIGINS, PUBLIC_URL). This is a defence against cross-site requests, not a credential: it
 * never lets a request skip the API token (see access.ts).
 */
export function sameOriginOnly(policy: NetworkPolicy): RequestHandler {
  return (req, _res, next) => {
    if (SAFE_METHODS.has(req.method)) return next();
    const origin = req.get("origin");
    if (origin !== undefined ? !originAllowed(policy, origin, req.socket.localPort) : req.get("sec-fetch-site") === "cross-site") {
      const from = origin !== undefined ? `, not ${shown(origin)}` : "";
      return next(
        new AppError(
          403,
          "CROSS_ORIGIN_REFUSED",
          `Requests that change data must come from this server's own pages${from}. A page served elsewhere (a dev server, a proxy) needs its origin in ALLOWED_ORIGINS or PUBLIC_URL.`,
        ),
      );
    }
    next();
  };
}
