import { describe, expect, it } from "vitest";
import request from "supertest";
import { createApp } from "./app.ts";
import type { Deps } from "./deps.ts";
import { networkPolicy } from "./network-policy.ts";

// No database: only routes that read none are called (the format schema, an unknown route, refusals).
const app = createApp({ log: () => undefined, version: "test", tokens: { verify: async () => null } } as unknown as Deps, {
  bodyLimit: "16kb",
  network: networkPolicy({ listenHost: "127.0.0.1" }),
  apiTokens: { writes: true, reads: false },
});

describe("API answers are never cached", () => {
  it.each([
    ["a route's answer", () => request(app).get("/api/pipeline-format.json"), 200],
    ["an unknown route", () => request(app).get("/api/no-such-route"), 404],
    ["a cross-origin refusal", () => request(app).post("/api/tokens").set("Origin", "http://evil.example").send({}), 403],
    ["a request without a token", () => request(app).post("/api/tokens").send({ name: "x" }), 401],
    ["an output download that is not there", () => request(app).get("/api/runs/not-a-run/outputs/out.csv"), 400],
  ])("%s: Cache-Control: no-store", async (_what, send, status) => {
    const res = await send();
    expect(res.status).toBe(status);
    expect(res.headers["cache-control"]).toBe("no-store");
  });
});
