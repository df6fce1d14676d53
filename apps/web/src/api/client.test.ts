import { describe, expect, it } from "vitest";
import { z } from "zod";
import { api, apiNoContent, ApiError } from "./client.ts";

const json = { "content-type": "application/json" };

/** A fetch that answers once with the given status and body, and records what it was asked. */
function answering(status: number, body: string | null, headers: Record<string, string> = json) {
  const calls: { url: string; init: RequestInit | undefined }[] = [];
  const impl: typeof fetch = async (input, init) => {
    calls.push({ url: String(input), init });
    return new Response(body, { status, headers });
  };
  return { impl, calls };
}

const caught = (p: Promise<unknown>) => p.then(() => expect.fail("expected the call to fail"), (e: unknown) => e);

describe("api client", () => {
  it("parses a successful answer with the given schema and sends JSON bodies", async () => {
    const { impl, calls } = answering(200, '{"n":1}');
    expect(await api("PUT", "/x", z.object({ n: z.number() }), { body: { a: 1 }, fetch: impl })).toEqual({ n: 1 });
    expect(calls[0]?.url).toBe("/api/x");
    expect(calls[0]?.init?.method).toBe("PUT");
    expect(calls[0]?.init?.body).toBe('{"a":1}');
    expect(calls[0]?.init?.headers).toMatchObject({ "content-type": "application/json" });
  });

  it("turns an {error} body into an ApiError with code, message, status and details", async () => {
    const body = '{"error":{"code":"VERSION_CONFLICT","message":"changed since you opened it","details":{"currentVersion":3}}}';
    const err = await caught(api("PUT", "/x", z.unknown(), { body: {}, fetch: answering(409, body).impl }));
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ status: 409, code: "VERSION_CONFLICT", message: "changed since you opened it", details: { currentVersion: 3 } });
  });

  it("keeps a 409 PIPELINE_RUNNING message from a 204 endpoint", async () => {
    const body = '{"error":{"code":"PIPELINE_RUNNING","message":"This pipeline has a run in progress."}}';
    const err = await caught(apiNoContent("DELETE", "/pipelines/p", { fetch: answering(409, body).impl }));
    expect(err).toMatchObject({ status: 409, code: "PIPELINE_RUNNING", message: "This pipeline has a run in progress." });
  });

  it("reports a JSON error body of another shape as HTTP_ERROR with the status", async () => {
    const err = await caught(api("GET", "/x", z.unknown(), { fetch: answering(500, '{"oops":true}').impl }));
    expect(err).toMatchObject({ status: 500, code: "HTTP_ERROR", message: expect.stringContaining("500") });
  });

  it("reports a body that is not JSON as BAD_RESPONSE", async () => {
    const err = await caught(api("GET", "/x", z.unknown(), { fetch: answering(502, "<html>bad gateway</html>", { "content-type": "text/html" }).impl }));
    expect(err).toMatchObject({ status: 502, code: "BAD_RESPONSE" });
  });

  it("reports a successful answer of the wrong shape as BAD_RESPONSE", async () => {
    const err = await caught(api("GET", "/x", z.object({ n: z.number() }), { fetch: answering(200, '{"n":"one"}').impl }));
    expect(err).toMatchObject({ status: 200, code: "BAD_RESPONSE" });
  });

  it("reports no answer at all as NETWORK with status 0", async () => {
    const down: typeof fetch = async () => {
      throw new TypeError("fetch failed");
    };
    const err = await caught(api("GET", "/x", z.unknown(), { fetch: down }));
    expect(err).toMatchObject({ status: 0, code: "NETWORK" });
  });

  it("accepts 204 No Content", async () => {
    await expect(apiNoContent("DELETE", "/x", { fetch: answering(204, null).impl })).resolves.toBeUndefined();
  });
});
