import { apiErrorSchema } from "@sluice/model";
import type { z } from "zod";
import { apiToken } from "./api-token.ts";

/** An error the API answered with (or our stand-in when it could not answer): code, message for people, HTTP status, details. */
export class ApiError extends Error {
  override readonly name = "ApiError";
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export type HttpMethod = "GET" | "POST" | "PUT" | "DELETE";

export interface RequestOptions {
  body?: unknown;
  /** Injected by tests; the browser's fetch otherwise. */
  fetch?: typeof fetch;
  /** Cancels the request, e.g. when a newer preview supersedes it. */
  signal?: AbortSignal | undefined;
}

async function send(method: HttpMethod, path: string, options: RequestOptions): Promise<{ res: Response; json: unknown }> {
  const doFetch = options.fetch ?? fetch;
  const hasBody = options.body !== undefined;
  let res: Response;
  try {
    res = await doFetch(`/api${path}`, {
      method,
      headers: { accept: "application/json", ...(hasBody ? { "content-type": "application/json" } : {}), ...apiToken.headers() },
      ...(hasBody ? { body: JSON.stringify(options.body) } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
  } catch (e) {
    if (options.signal?.aborted) throw e;
    throw new ApiError(0, "NETWORK", "Cannot reach the Sluice server. Check that it is running, then try again.");
  }
  const text = res.status === 204 ? "" : await res.text();
  let json: unknown;
  try {
    json = text === "" ? undefined : JSON.parse(text);
  } catch {
    throw new ApiError(res.status, "BAD_RESPONSE", `The server answered ${res.status} with something that is not JSON.`);
  }
  if (!res.ok) {
    const parsed = apiErrorSchema.safeParse(json);
    if (parsed.success) {
      if (res.status === 401) apiToken.refusedWith(parsed.data.error.code);
      throw new ApiError(res.status, parsed.data.error.code, parsed.data.error.message, parsed.data.error.details);
    }
    throw new ApiError(res.status, "HTTP_ERROR", `The server answered ${res.status} ${res.statusText}`.trim() + ".");
  }
  return { res, json };
}

/** Calls the API and parses the answer with the shared schema, so a contract drift fails loudly here, not deep in a page. */
export async function api<T>(method: HttpMethod, path: string, schema: z.ZodType<T>, options: RequestOptions = {}): Promise<T> {
  const { res, json } = await send(method, path, options);
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw new ApiError(res.status, "BAD_RESPONSE", "The server's answer did not have the expected shape.", parsed.error.issues);
  return parsed.data;
}

/** For endpoints that answer 204 No Content. */
export async function apiNoContent(method: HttpMethod, path: string, options: RequestOptions = {}): Promise<void> {
  await send(method, path, options);
}
