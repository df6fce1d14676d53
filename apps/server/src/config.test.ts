import { describe, expect, it } from "vitest";
import { loadConfig } from "./config.ts";

describe("loadConfig: address policies", () => {
  it("defaults database connections to private networks, with no lists, and 10 tests a minute", () => {
    const c = loadConfig({});
    expect(c.connectionPolicy).toEqual({ reach: "private", allowlist: [], denylist: [] });
    expect(c.connectionTestsPerMinute).toBe(10);
    expect(c.httpAllowlist).toEqual([]);
  });

  it("reads the policy, its lists (names, addresses, CIDR ranges) and the test limit", () => {
    const c = loadConfig({
      CONNECTION_ADDRESS_POLICY: "public",
      CONNECTION_ALLOWLIST: " warehouse.corp , 10.0.0.0/8,fd00::/8",
      CONNECTION_DENYLIST: "10.66.0.0/16",
      CONNECTION_TESTS_PER_MINUTE: "3",
      HTTP_SOURCE_ALLOWLIST: "api.internal,127.0.0.1,[fd12::]/16",
    });
    expect(c.connectionPolicy).toEqual({ reach: "public", allowlist: ["warehouse.corp", "10.0.0.0/8", "fd00::/8"], denylist: ["10.66.0.0/16"] });
    expect(c.connectionTestsPerMinute).toBe(3);
    expect(c.httpAllowlist).toEqual(["api.internal", "127.0.0.1", "[fd12::]/16"]);
  });

  it("refuses entries that are neither names, addresses nor CIDR ranges, saying which", () => {
    expect(() => loadConfig({ HTTP_SOURCE_ALLOWLIST: "10.0.0.0/33" })).toThrow(/HTTP_SOURCE_ALLOWLIST: "10.0.0.0\/33" is not a CIDR range/);
    expect(() => loadConfig({ CONNECTION_DENYLIST: "http://metadata/" })).toThrow(/CONNECTION_DENYLIST: .*"http:\/\/metadata\/"/);
    expect(() => loadConfig({ CONNECTION_ADDRESS_POLICY: "off" })).toThrow(/CONNECTION_ADDRESS_POLICY/);
    expect(() => loadConfig({ CONNECTION_TESTS_PER_MINUTE: "0" })).toThrow(/CONNECTION_TESTS_PER_MINUTE/);
  });
});

describe("loadConfig: WAREHOUSE_URL", () => {
  it("must be a postgresql:// URL", () => {
    expect(loadConfig({ WAREHOUSE_URL: "postgresql://w:pw@h/wh" }).warehouseUrl).toBe("postgresql://w:pw@h/wh");
    expect(loadConfig({}).warehouseUrl).toBeUndefined();
    expect(() => loadConfig({ WAREHOUSE_URL: "mysql://h/wh" })).toThrow(/WAREHOUSE_URL: a postgresql:\/\/ URL/);
  });
});
