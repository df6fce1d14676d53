import { describe, expect, it } from "vitest";
import { z } from "zod";
import { api, ApiError } from "./client.ts";

const respond = (status: number, body: string | null, headers: Record<string, string> = { "content-type": "application/json" }) =>
  (async () => new Response(body, { status, headers })) as unknown as typeof fetch;

describe("api client", () => {
  it("parses a successful answer with the shared schema", async () => {
    const out = await api("GET", "/x", z.object({ n: z.number() }), undefined, respond(200, '{"n":1}'));
    expect(out).toEqual({ n: 1 });
  });

  it("turns an error body into an ApiError with code, message, status and details", async () => {
    const err = await api("PUT", "/x", null, {}, respond(409, '{"error":{"code":"VERSION_CONFLICT","message":"changed","details":{"currentVersion":3}}}')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ status: 409, code: "VERSION_CONFLICT", message: "changed", details: { currentVersion: 3 } });
  });

  it("explains answers that are not JSON, the wrong shape, or no answer at all", async () => {
    await expect(api("GET", "/x", null, undefined, respond(502, "<html>bad gateway</html>", { "content-type": "text/html" }))).rejects.toMatchObject({ code: "BAD_RESPONSE" });
    await expect(api("GET", "/x", z.object({ n: z.number() }), undefined, respond(200, '{"n":"one"}'))).rejects.toMatchObject({ code: "BAD_RESPONSE" });
    const down = (async () => {
      throw new TypeError("fetch failed");
    }) as unknown as typeof fetch;
    await expect(api("GET", "/x", null, undefined, down)).rejects.toMatchObject({ code: "NETWORK" });
  });

  it("returns nothing for 204", async () => {
    expect(await api("DELETE", "/x", null, undefined, respond(204, null))).toBeUndefined();
  });
});
