import { describe, expect, it } from "vitest";
import { loadConfig } from "../config.ts";
import { trustProxySetting } from "./trust-proxy.ts";

describe("TRUST_PROXY", () => {
  it("takes a number of proxies, or addresses, ranges and proxy-addr's names", () => {
    expect(trustProxySetting("1")).toBe(1);
    expect(trustProxySetting("loopback, 10.0.0.0/8")).toEqual(["loopback", "10.0.0.0/8"]);
  });

  it("refuses at start what Express would throw on, and 'true', with a message saying what to give", () => {
    expect(() => loadConfig({ TRUST_PROXY: "true" })).toThrow(/number of proxies/);
    expect(() => loadConfig({ TRUST_PROXY: "not-an-address" })).toThrow(/TRUST_PROXY/);
    expect(loadConfig({ TRUST_PROXY: "" }).trustProxy).toBeUndefined();
  });
});
