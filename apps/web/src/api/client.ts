import { ApiFailureError, apiErrorSchema } from "@sluice/model";
import type { z } from "zod";
import { sessionEvents } from "./session-events.ts";
import { workspaceSelection } from "./workspace-selection.ts";

/**
 * An error the API answered with (or our stand-in when it could not answer): code, message for people, HTTP status,
 * details; the model's ApiFailure, the shape the server's AppError is sent as.
 */
export class ApiError extends ApiFailureError {
  override readonly name = "ApiError";
}

export type HttpMethod = "GET" | "POST" | "PUT" | "DELETE";

export interface RequestOptions {
  body?: unknown;
  /** Injected by tests; the browser's fetch otherwise. */
  fetch?: typeof fetch;
  /** Cancels the request, e.g. when a newer preview supersedes it. */
  signal?: AbortSignal | undefined;
}

/** Headers of every API request: what we accept, and the workspace once known. The session cookie goes by itself. */
export function requestHeaders(accept = "application/json"): Record<string, string> {
  return { accept, ...workspaceSelection.headers() };
}

/**
 * The one place an API refusal is read, for fetch, uploads and event streams alike: it becomes an ApiError, and a
 * lost session or workspace is reported to the app shell, which moves to the sign-in page or the first workspace.
 */
export function refusal(status: number, statusText: string, json: unknown): ApiError {
  const parsed = apiErrorSchema.safeParse(json);
  if (!parsed.success) return new ApiError(status, "HTTP_ERROR", `The server answered ${status} ${statusText}`.trim() + ".");
  const { code, message, details } = parsed.data.error;
  if (status === 401 && code === "SIGN_IN_REQUIRED") sessionEvents.emit("sign-in-required");
  // Only when we named a workspace: without one the server picks ours, so forgetting it cannot loop.
  if (status === 404 && code === "WORKSPACE_NOT_FOUND" && workspaceSelection.id() !== null) {
    workspaceSelection.choose(null);
    sessionEvents.emit("workspace-gone");
  }
  return new ApiError(status, code, message, details);
}

async function send(method: HttpMethod, path: string, options: RequestOptions): Promise<{ res: Response; json: unknown }> {
  const doFetch = options.fetch ?? fetch;
  const hasBody = options.body !== undefined;
  let res: Response;
  try {
    res = await doFetch(`/api${path}`, {
      method,
      headers: { ...requestHeaders(), ...(hasBody ? { "content-type": "application/json" } : {}) },
      credentials: "same-origin",
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
  if (!res.ok) throw refusal(res.status, res.statusText, json);
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
