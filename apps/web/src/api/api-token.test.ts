import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { apiToken } from "./api-token.ts";
import { api, ApiError } from "./client.ts";

const answering = (status: number, body: unknown) => {
  const headers: Record<string, string>[] = [];
  const impl: typeof fetch = async (_input, init) => {
    headers.push((init?.headers ?? {}) as Record<string, string>);
    return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
  };
  return { impl, headers };
};
const refusal = (code: string) => ({ error: { code, message: "This Sluice requires an API token for this request." } });

afterEach(() => {
  apiToken.forget();
  apiToken.dismiss();
});

describe("the API token this browser sends", () => {
  it("is sent as a Bearer header on every call once given, and not before", async () => {
    const before = answering(200, {});
    await api("GET", "/pipelines", z.unknown(), { fetch: before.impl });
    expect(before.headers[0]).not.toHaveProperty("authorization");
    apiToken.use("slc_abc", false);
    const after = answering(200, {});
    await api("POST", "/pipelines", z.unknown(), { body: {}, fetch: after.impl });
    expect(after.headers[0]).toMatchObject({ authorization: "Bearer slc_abc", "content-type": "application/json" });
  });

  it("a 401 TOKEN_REQUIRED asks for a token; other refusals do not", async () => {
    const seen: (string | null)[] = [];
    const stop = apiToken.subscribe(() => seen.push(apiToken.state().refused));
    await expect(api("GET", "/runs", z.unknown(), { fetch: answering(403, refusal("CROSS_ORIGIN_REFUSED")).impl })).rejects.toBeInstanceOf(ApiError);
    expect(apiToken.state().refused).toBeNull();
    await expect(api("GET", "/runs", z.unknown(), { fetch: answering(401, refusal("TOKEN_REQUIRED")).impl })).rejects.toMatchObject({ status: 401, code: "TOKEN_REQUIRED" });
    expect(apiToken.state().refused).toBe("TOKEN_REQUIRED");
    expect(seen).toContain("TOKEN_REQUIRED");
    stop();
  });

  it("a token the server calls invalid is dropped, so it is not sent again", async () => {
    apiToken.use("slc_revoked", true);
    await expect(api("GET", "/runs", z.unknown(), { fetch: answering(401, refusal("INVALID_TOKEN")).impl })).rejects.toMatchObject({ code: "INVALID_TOKEN" });
    expect(apiToken.state()).toEqual({ token: null, refused: "INVALID_TOKEN" });
    expect(apiToken.headers()).toEqual({});
  });
});
