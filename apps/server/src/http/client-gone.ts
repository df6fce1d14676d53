import type { Response } from "express";
import type { RequestAuth } from "../auth/request-auth.ts";

/**
 * Aborted when the client goes away before its answer was sent (closed the tab, aborted the fetch, timed out), so
 * work nobody waits for any more is skipped or stopped rather than done to the end.
 */
export function clientGone(res: Pick<Response, "once" | "writableEnded">): AbortSignal {
  const gone = new AbortController();
  res.once("close", () => {
    if (!res.writableEnded) gone.abort();
  });
  return gone.signal;
}

/** Who is calling, for limits per caller: the person (across their sessions), the token, or else the address. */
export function callerKey(auth: RequestAuth): string {
  const c = auth.caller;
  if (c?.kind === "person") return `person:${c.userId}`;
  if (c?.kind === "token") return `token:${c.tokenId}`;
  return `address:${auth.address ?? "unknown"}`;
}
