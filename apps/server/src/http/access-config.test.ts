import { describe, expect, it } from "vitest";
import { loadConfig } from "../config.ts";
import { accessSummary } from "./access-summary.ts";

const config = (env: Record<string, string | undefined>) => loadConfig({ ...env });

describe("who may call the API, as the server says at start", () => {
  it("says that every API request but the public ones needs a session or a token, on any bind address", () => {
    for (const env of [{}, { HOST: "0.0.0.0" }, { PUBLIC_URL: "https://sluice.example.com" }]) {
      expect(accessSummary(config(env), true).join("\n"), JSON.stringify(env)).toContain("needs a signed-in session or an API token");
    }
  });

  it("tells how to create the owner on an install without accounts, and not once one exists", () => {
    expect(accessSummary(config({}), false).join("\n")).toMatch(/create the owner account.*SLUICE_OWNER_EMAIL/);
    expect(accessSummary(config({}), true).join("\n")).not.toContain("create the owner");
  });

  it("warns when served on a network without an https PUBLIC_URL (passwords and cookies in clear), not behind HTTPS", () => {
    expect(accessSummary(config({ HOST: "0.0.0.0" }), true).join("\n")).toMatch(/WARNING.*HTTPS/);
    expect(accessSummary(config({ HOST: "0.0.0.0", PUBLIC_URL: "http://sluice.example.com" }), true).join("\n")).toMatch(/WARNING/);
    const behindHttps = accessSummary(config({ HOST: "0.0.0.0", PUBLIC_URL: "https://sluice.example.com" }), true).join("\n");
    expect(behindHttps).not.toMatch(/WARNING/);
    expect(behindHttps).toContain("sluice.example.com");
    expect(accessSummary(config({}), true).join("\n")).not.toMatch(/WARNING/);
  });

  it("the old token switch is gone: REQUIRE_API_TOKENS no longer turns anything off", () => {
    const c = config({ HOST: "0.0.0.0", REQUIRE_API_TOKENS: "false" });
    expect(c).not.toHaveProperty("apiTokens");
    expect(accessSummary(c, true).join("\n")).toContain("needs a signed-in session or an API token");
  });

  it("reads the sign-in, session and owner settings, and refuses ones it cannot use, naming them", () => {
    const c = config({ SIGN_IN_FAILURES_PER_ACCOUNT: "3", SIGN_IN_FAILURES_PER_ADDRESS: "7", SIGN_IN_WINDOW_MINUTES: "5", SESSION_IDLE_HOURS: "2", SESSION_MAX_HOURS: "24" });
    expect(c.signInLimits).toEqual({ perAccount: 3, perAddress: 7, windowMinutes: 5 });
    expect(c.sessions).toEqual({ idleMs: 2 * 3_600_000, maxMs: 24 * 3_600_000 });
    expect(config({}).signInLimits).toEqual({ perAccount: 10, perAddress: 50, windowMinutes: 15 });
    expect(() => config({ SLUICE_OWNER_TOKEN: "short" })).toThrow(/SLUICE_OWNER_TOKEN/);
    expect(() => config({ SLUICE_OWNER_TOKEN: `${"a".repeat(40)} b` })).toThrow(/SLUICE_OWNER_TOKEN/);
    expect(() => config({ SIGN_IN_FAILURES_PER_ACCOUNT: "0" })).toThrow(/SIGN_IN_FAILURES_PER_ACCOUNT/);
    expect(() => config({ ALLOWED_HOSTS: "http://x.example/" })).toThrow(/Invalid environment: ALLOWED_HOSTS/);
    expect(() => config({ PUBLIC_URL: "x.example" })).toThrow(/Invalid environment: PUBLIC_URL/);
  });
});
