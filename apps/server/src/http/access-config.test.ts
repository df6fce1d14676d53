import { describe, expect, it } from "vitest";
import { loadConfig } from "../config.ts";
import { accessSummary } from "./access-summary.ts";

const config = (env: Record<string, string>) => loadConfig({ ...env });

describe("who needs a token, from the environment", () => {
  it("the default install needs none; HOST=0.0.0.0 needs one for everything", () => {
    expect(config({}).apiTokens).toEqual({ writes: false, reads: false, proxied: { writes: true, reads: true } });
    expect(config({ HOST: "0.0.0.0" }).apiTokens).toMatchObject({ writes: true, reads: true });
    expect(config({ HOST: "::" }).apiTokens).toMatchObject({ writes: true, reads: true });
  });

  it("REQUIRE_API_TOKENS=true on loopback guards changes; false turns tokens off even on a network, with a warning", () => {
    expect(config({ REQUIRE_API_TOKENS: "true" }).apiTokens).toEqual({ writes: true, reads: false, proxied: { writes: true, reads: true } });
    const open = config({ HOST: "0.0.0.0", REQUIRE_API_TOKENS: "false" });
    expect(open.apiTokens).toEqual({ writes: false, reads: false, proxied: { writes: false, reads: false } });
    expect(accessSummary(open).join("\n")).toMatch(/WARNING.*REQUIRE_API_TOKENS=false/);
  });

  it("behind a proxy named by PUBLIC_URL, tokens are required although HOST is loopback", () => {
    const c = config({ PUBLIC_URL: "https://sluice.example.com" });
    expect(c.apiTokens).toMatchObject({ writes: true, reads: true });
    expect(accessSummary(c).join("\n")).toContain("sluice.example.com");
  });

  it("refuses host and origin settings it cannot read, naming them", () => {
    expect(() => config({ ALLOWED_HOSTS: "http://x.example/" })).toThrow(/Invalid environment: ALLOWED_HOSTS/);
    expect(() => config({ PUBLIC_URL: "x.example" })).toThrow(/Invalid environment: PUBLIC_URL/);
    expect(() => config({ REQUIRE_API_TOKENS: "yes" })).toThrow(/REQUIRE_API_TOKENS/);
  });
});
