import { describe, expect, it } from "vitest";
import request from "supertest";
import { createApp } from "./app.ts";
import type { Deps } from "./deps.ts";
import { networkPolicy } from "./network-policy.ts";

// No database: only answers that read none are asked for (the format schema, an unknown route, refusals). Routes
// may take what they need from deps when the app is built, so any dependency not named here is an inert stand-in.
const nobody = async () => null;
const inert = (named: Record<string, unknown> = {}): unknown =>
  new Proxy(Object.assign(() => undefined, named), {
    get: (target, key) => (key in named ? named[key as string] : key === "then" ? undefined : inert()),
  });
const deps = inert({
  log: () => undefined,
  version: "test",
  tokens: { verify: nobody },
  auth: inert({ accounts: inert({ sessions: { resolve: nobody }, https: () => false }) }),
}) as Deps;
const app = createApp(deps, { bodyLimit: "16kb", network: networkPolicy({ listenHost: "127.0.0.1" }) });

describe("API answers are never cached", () => {
  it.each([
    ["a route's answer", () => request(app).get("/api/pipeline-format.json"), 200],
    ["an unknown route", () => request(app).get("/api/no-such-route"), 404],
    ["a cross-origin refusal", () => request(app).post("/api/tokens").set("Origin", "http://evil.example").send({}), 403],
    ["a request without a session or token", () => request(app).post("/api/tokens").send({ name: "x" }), 401],
    ["a token that is not valid", () => request(app).get("/api/runs/not-a-run/outputs/out.csv").set("Authorization", "Bearer slc_nothing"), 401],
  ])("%s: Cache-Control: no-store", async (_what, send, status) => {
    const res = await send();
    expect(res.status).toBe(status);
    expect(res.headers["cache-control"]).toBe("no-store");
  });
});
