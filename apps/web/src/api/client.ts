import { apiErrorSchema } from "@sluice/model";
import type { z } from "zod";

/** An error the API answered with: its code, message for people, HTTP status and details. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

/** Calls the API and parses the answer with the shared schema, so a contract drift fails loudly here. */
export async function api<T>(method: string, path: string, schema: z.ZodType<T> | null, body?: unknown, fetchImpl: typeof fetch = fetch): Promise<T> {
  let res: Response;
  try {
    res = await fetchImpl(`/api${path}`, {
      method,
      headers: body === undefined ? {} : { "content-type": "application/json" },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  } catch {
    throw new ApiError(0, "NETWORK", "Cannot reach the Sluice server. Is it running?");
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    throw new ApiError(res.status, "BAD_RESPONSE", `The server answered ${res.status} with something that is not JSON.`);
  }
  if (!res.ok) {
    const parsed = apiErrorSchema.safeParse(json);
    if (parsed.success) throw new ApiError(res.status, parsed.data.error.code, parsed.data.error.message, parsed.data.error.details);
    throw new ApiError(res.status, "HTTP_ERROR", `The server answered ${res.status}.`);
  }
  if (!schema) return json as T;
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw new ApiError(res.status, "BAD_RESPONSE", "The server's answer did not have the expected shape.");
  return parsed.data;
}
