import http from "node:http";
import https from "node:https";
import type { LookupFunction } from "node:net";
import type { Readable } from "node:stream";
import zlib from "node:zlib";
import { error, fail, ok, type Result } from "@sluice/model";
import { parseIp } from "../../network/address-class.ts";
import { checkHost, httpPolicy, type HttpGuardOptions } from "./address-guard.ts";
import { resolveAllowed } from "../../network/address-policy.ts";

export interface HttpRequest {
  url: string;
  method: "GET" | "POST";
  headers: { name: string; value: string }[];
  body?: string | undefined;
}

export interface JsonResponse {
  /** The URL that answered, after redirects. */
  url: string;
  json: unknown;
  bytes: number;
}

const DEFAULTS = { timeoutMs: 30_000, maxResponseBytes: 50 * 1024 * 1024, maxRedirects: 5 };

type RawResponse = { status: number; statusText: string; location: string | undefined; body: Buffer };

class FetchProblem extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

function decoded(res: http.IncomingMessage): Readable {
  switch ((res.headers["content-encoding"] ?? "").toLowerCase()) {
    case "gzip":
    case "x-gzip":
      return res.pipe(zlib.createGunzip());
    case "deflate":
      return res.pipe(zlib.createInflate());
    case "br":
      return res.pipe(zlib.createBrotliDecompress());
    default:
      return res;
  }
}

/** One request to a checked, pinned address; the body is capped after decompression. */
function requestOnce(
  url: URL,
  address: string,
  family: 4 | 6,
  req: { method: string; body: string | undefined; headers: Record<string, string> },
  o: typeof DEFAULTS,
  signal: AbortSignal,
) {
  return new Promise<RawResponse>((resolve, reject) => {
    let settled = false;
    const timer = setTimeout(() => stop(new FetchProblem("HTTP_TIMEOUT", `No complete answer from ${url.host} within ${o.timeoutMs / 1000} s.`)), o.timeoutMs);
    const stop = (e: unknown) => {
      if (!settled) {
        settled = true;
        clearTimeout(timer);
        reject(e);
      }
      outgoing.destroy();
    };
    const pinned: LookupFunction = (_host, options, callback) => {
      if (options.all) callback(null, [{ address, family }]);
      else callback(null, address, family);
    };
    const client = url.protocol === "https:" ? https : http;
    const outgoing = client.request(url, { method: req.method, headers: req.headers, lookup: pinned, agent: false, signal }, (res) => {
      const declared = Number(res.headers["content-length"] ?? 0);
      if (declared > o.maxResponseBytes) {
        stop(new FetchProblem("HTTP_TOO_LARGE", `The response is ${declared} bytes, over the limit of ${o.maxResponseBytes}.`));
        return;
      }
      const body: Buffer[] = [];
      let size = 0;
      const stream = decoded(res);
      stream.on("data", (chunk: Buffer) => {
        size += chunk.length;
        if (size > o.maxResponseBytes) stop(new FetchProblem("HTTP_TOO_LARGE", `The response is over the limit of ${o.maxResponseBytes} bytes.`));
        else body.push(chunk);
      });
      stream.on("error", (e) => stop(new FetchProblem("HTTP_FAILED", `The response could not be read: ${e.message}`)));
      res.on("error", stop);
      stream.on("end", () => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve({ status: res.statusCode ?? 0, statusText: res.statusMessage ?? "", location: res.headers.location, body: Buffer.concat(body) });
      });
    });
    outgoing.on("error", stop);
    // The pinned lookup decides where a name goes, and an IP literal was checked as parsed; this makes sure.
    outgoing.on("socket", (socket) =>
      socket.once("connect", () => {
        const peer = parseIp(socket.remoteAddress ?? "");
        if (peer?.toNormalizedString() !== parseIp(address)?.toNormalizedString()) {
          stop(new FetchProblem("HTTP_ADDRESS_BLOCKED", `The connection to ${url.host} went to ${socket.remoteAddress ?? "an unknown address"}, not to the checked ${address}.`));
        }
      }),
    );
    if (req.body !== undefined && req.method === "POST") outgoing.write(req.body);
    outgoing.end();
  });
}

/**
 * Fetches JSON from an API without letting it reach private networks: the host is resolved and checked
 * before connecting, the connection goes to the checked address, and every redirect (followed by hand,
 * at most 5) is checked again. Headers are dropped when a redirect leaves the original origin.
 */
export async function fetchJson(request: HttpRequest, guard: HttpGuardOptions, signal: AbortSignal): Promise<Result<JsonResponse>> {
  const o = {
    timeoutMs: guard.timeoutMs ?? DEFAULTS.timeoutMs,
    maxResponseBytes: guard.maxResponseBytes ?? DEFAULTS.maxResponseBytes,
    maxRedirects: guard.maxRedirects ?? DEFAULTS.maxRedirects,
  };
  let policy: ReturnType<typeof httpPolicy>;
  try {
    policy = httpPolicy(guard);
  } catch (e) {
    return fail(error("HTTP_ALLOWLIST_INVALID", `HTTP_SOURCE_ALLOWLIST cannot be used: ${(e as Error).message}.`));
  }
  const origin = new URL(request.url).origin;
  let url = new URL(request.url);
  let method = request.method;
  let body = request.body;
  try {
    for (let hop = 0; ; hop++) {
      if (url.protocol !== "http:" && url.protocol !== "https:") throw new FetchProblem("HTTP_ADDRESS_BLOCKED", `A redirect led to ${url.protocol} URL, which the HTTP source may not read.`);
      const verdict = await checkHost(url, guard, policy);
      if (!verdict.ok) throw new FetchProblem(verdict.code, hop ? `A redirect led to ${url.host}: ${verdict.message}` : verdict.message);
      const headers: Record<string, string> = { accept: "application/json", "accept-encoding": "gzip, deflate, br", "user-agent": "Sluice" };
      if (url.origin === origin) for (const h of request.headers) headers[h.name.toLowerCase()] = h.value;
      if (method === "POST" && body !== undefined) headers["content-type"] ??= "application/json";
      const res = await requestOnce(url, verdict.address, verdict.family, { method, body, headers }, o, signal);
      if ([301, 302, 303, 307, 308].includes(res.status) && res.location) {
        if (hop >= o.maxRedirects) throw new FetchProblem("HTTP_TOO_MANY_REDIRECTS", `More than ${o.maxRedirects} redirects, starting at ${request.url}.`);
        url = new URL(res.location, url);
        if (res.status === 303 || ((res.status === 301 || res.status === 302) && method === "POST")) {
          method = "GET";
          body = undefined;
        }
        continue;
      }
      const text = res.body.toString("utf8");
      if (res.status < 200 || res.status >= 300) {
        const snippet = text.length > 200 ? `${text.slice(0, 200)}...` : text;
        throw new FetchProblem("HTTP_STATUS", `${url.host} answered ${res.status} ${res.statusText}${snippet ? `: ${snippet}` : ""}`);
      }
      try {
        return ok({ url: url.toString(), json: JSON.parse(text) as unknown, bytes: res.body.length });
      } catch {
        throw new FetchProblem("HTTP_NOT_JSON", `${url.host} did not answer with JSON; it began: ${text.slice(0, 80)}`);
      }
    }
  } catch (e) {
    if (signal.aborted) return fail(error("LOAD_CANCELLED", "The request was cancelled."));
    if (e instanceof FetchProblem) return fail(error(e.code, e.message));
    const err = e as NodeJS.ErrnoException;
    return fail(error("HTTP_FAILED", `The request to ${url.host} failed: ${err.code ? `${err.code} ` : ""}${err.message}`));
  }
}

/**
 * Whether postGuarded may call this URL's host now: the HTTP source's rule (public addresses only, unless
 * HTTP_SOURCE_ALLOWLIST lets a host or range through), with a message that says so for notifications.
 */
export async function checkPostTarget(url: URL, guard: HttpGuardOptions) {
  const verdict = await resolveAllowed(url.hostname, httpPolicy(guard));
  if (verdict.ok) return { ok: true as const, ...verdict.addresses[0]! };
  if (verdict.code === "ADDRESS_NOT_FOUND") return { ok: false as const, code: "HTTP_DNS_FAILED", message: verdict.message };
  return {
    ok: false as const,
    code: "HTTP_ADDRESS_BLOCKED",
    message: `${verdict.message}; Sluice only calls public addresses for notifications. An administrator can allow a host or range with HTTP_SOURCE_ALLOWLIST.`,
  };
}

export interface PostedResponse {
  status: number;
  /** The first 200 characters of the answer, for the delivery's status. */
  snippet: string;
}

/**
 * Posts a body to a URL under the same address rules as fetchJson (resolved, checked, connected to the checked
 * address), for notifications to webhooks a workspace member typed in. Redirects are not followed: a webhook that
 * answers one is reported, so a public URL cannot bounce the request to an internal one. Answers other than 2xx
 * are errors with the status and the start of the body.
 */
export async function postGuarded(request: { url: string; headers: Record<string, string>; body: string }, guard: HttpGuardOptions, signal: AbortSignal): Promise<Result<PostedResponse>> {
  const o = { timeoutMs: guard.timeoutMs ?? 10_000, maxResponseBytes: guard.maxResponseBytes ?? 64 * 1024, maxRedirects: 0 };
  let url: URL;
  try {
    url = new URL(request.url);
  } catch {
    return fail(error("HTTP_URL_INVALID", `"${request.url}" is not a URL.`));
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return fail(error("HTTP_URL_INVALID", `Only http:// and https:// URLs can be called, not ${url.protocol}.`));
  try {
    const verdict = await checkPostTarget(url, guard);
    if (!verdict.ok) throw new FetchProblem(verdict.code, verdict.message);
    const headers = { "user-agent": "Sluice", ...request.headers, "content-length": String(Buffer.byteLength(request.body)) };
    const res = await requestOnce(url, verdict.address, verdict.family, { method: "POST", body: request.body, headers }, o, signal);
    const text = res.body.toString("utf8");
    const snippet = text.length > 200 ? `${text.slice(0, 200)}...` : text;
    if (res.status >= 300 && res.status < 400) throw new FetchProblem("HTTP_REDIRECT", `${url.host} answered ${res.status} ${res.statusText} (a redirect); redirects are not followed, use the final URL.`);
    if (res.status < 200 || res.status >= 300) throw new FetchProblem("HTTP_STATUS", `${url.host} answered ${res.status} ${res.statusText}${snippet ? `: ${snippet}` : ""}`);
    return ok({ status: res.status, snippet });
  } catch (e) {
    if (signal.aborted) return fail(error("LOAD_CANCELLED", "The request was cancelled."));
    if (e instanceof FetchProblem) return fail(error(e.code, e.message));
    const err = e as NodeJS.ErrnoException;
    return fail(error("HTTP_FAILED", `The request to ${url.host} failed: ${err.code ? `${err.code} ` : ""}${err.message}`));
  }
}
