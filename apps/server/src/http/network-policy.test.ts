import { describe, expect, it } from "vitest";
import { hostAllowed, isLoopbackName, networkPolicy, originAllowed, parseHost } from "./network-policy.ts";

const loopbackOnly = networkPolicy({ listenHost: "127.0.0.1" });

describe("the Host allow-list", () => {
  it("answers to loopback names on any port, in every spelling the URL parser brings to one form", () => {
    for (const host of ["localhost", "localhost:3000", "LOCALHOST:5173", "127.0.0.1:3000", "127.1:3000", "0x7f.0.0.1", "127.9.9.9", "[::1]:3000", "[0:0:0:0:0:0:0:1]"]) {
      expect(hostAllowed(loopbackOnly, host), host).toBe(true);
    }
  });

  it("refuses every other name, rebinding names first, and anything that is more than host[:port]", () => {
    for (const host of [
      "rebind.evil.example:3000",
      "localhost.evil.example",
      "evil.localhost",
      "localhost.",
      "127.0.0.1.nip.io",
      "0.0.0.0:3000",
      "[::]:3000",
      "192.168.1.10:3000",
      "evil.example@localhost",
      "localhost/evil",
      "localhost:3000#x",
      "localhost\\evil",
      "local host",
      "",
    ]) {
      expect(hostAllowed(loopbackOnly, host), host).toBe(false);
    }
    expect(hostAllowed(loopbackOnly, undefined)).toBe(false);
  });

  it("adds ALLOWED_HOSTS (any port unless one is given), PUBLIC_URL's host and a specific HOST", () => {
    const p = networkPolicy({
      listenHost: "10.0.0.5",
      publicUrl: "https://sluice.example.com",
      allowedHosts: ["sluice.lan", "Other.Example:8443"],
    });
    expect(hostAllowed(p, "10.0.0.5:3000")).toBe(true);
    expect(hostAllowed(p, "sluice.example.com")).toBe(true);
    expect(hostAllowed(p, "sluice.example.com:8080")).toBe(true);
    expect(hostAllowed(p, "sluice.lan:3000")).toBe(true);
    expect(hostAllowed(p, "other.example:8443")).toBe(true);
    expect(hostAllowed(p, "other.example:3000")).toBe(false);
    expect(hostAllowed(p, "10.0.0.6:3000")).toBe(false);
    expect(p.onNetwork).toBe(true);
  });

  it("HOST=0.0.0.0 names no host: the network names must be listed", () => {
    const p = networkPolicy({ listenHost: "0.0.0.0" });
    expect(p.hosts).toEqual([]);
    expect(p.onNetwork).toBe(true);
    expect(networkPolicy({ listenHost: "::" }).onNetwork).toBe(true);
    expect(networkPolicy({ listenHost: "::1" }).onNetwork).toBe(false);
    expect(networkPolicy({ listenHost: "localhost" }).onNetwork).toBe(false);
  });

  it("a loopback HOST behind a proxy that serves it by a network name is on the network (tokens apply)", () => {
    expect(networkPolicy({ listenHost: "127.0.0.1", publicUrl: "https://sluice.example.com" }).onNetwork).toBe(true);
    expect(networkPolicy({ listenHost: "127.0.0.1", allowedHosts: ["sluice.lan"] }).onNetwork).toBe(true);
    expect(networkPolicy({ listenHost: "127.0.0.1", publicUrl: "http://localhost:8080", allowedHosts: ["127.0.0.2"] }).onNetwork).toBe(false);
  });

  it("refuses settings that are not host names or URLs, naming the variable", () => {
    expect(() => networkPolicy({ listenHost: "0.0.0.0", allowedHosts: ["https://x.example"] })).toThrow(/ALLOWED_HOSTS/);
    expect(() => networkPolicy({ listenHost: "0.0.0.0", allowedHosts: ["*"] })).toThrow(/ALLOWED_HOSTS/);
    expect(() => networkPolicy({ listenHost: "0.0.0.0", publicUrl: "sluice.example.com" })).toThrow(/PUBLIC_URL/);
    expect(() => networkPolicy({ listenHost: "0.0.0.0", allowedOrigins: ["ftp://x.example"] })).toThrow(/ALLOWED_ORIGINS/);
  });

  it("parses Host headers, and knows loopback addresses from lookalikes", () => {
    expect(parseHost("Example.COM:80")).toEqual({ hostname: "example.com", port: "" });
    expect(parseHost("[::1]:3000")).toEqual({ hostname: "[::1]", port: "3000" });
    expect(isLoopbackName("[::ffff:127.0.0.1]")).toBe(true);
    expect(isLoopbackName("[::2]")).toBe(false);
    expect(isLoopbackName("128.0.0.1")).toBe(false);
  });
});

describe("origins that may change data", () => {
  it("are this server's own names on the port the request arrived at, not another local port", () => {
    expect(originAllowed(loopbackOnly, "http://localhost:3000", 3000)).toBe(true);
    expect(originAllowed(loopbackOnly, "http://127.0.0.1:3000", 3000)).toBe(true);
    expect(originAllowed(loopbackOnly, "http://[::1]:3000", 3000)).toBe(true);
    expect(originAllowed(loopbackOnly, "http://localhost:8080", 3000)).toBe(false);
    expect(originAllowed(loopbackOnly, "http://localhost", 3000)).toBe(false);
  });

  it("never a rebinding name, even when the request's Host says the same", () => {
    expect(originAllowed(loopbackOnly, "http://rebind.evil.example:3000", 3000)).toBe(false);
    expect(originAllowed(loopbackOnly, "null", 3000)).toBe(false);
    expect(originAllowed(loopbackOnly, "file://", 3000)).toBe(false);
  });

  it("include ALLOWED_ORIGINS and PUBLIC_URL exactly", () => {
    const p = networkPolicy({ listenHost: "0.0.0.0", publicUrl: "https://sluice.example.com/", allowedOrigins: ["http://localhost:5173"], allowedHosts: ["sluice.lan:8443"] });
    expect(originAllowed(p, "http://localhost:5173", 3000)).toBe(true);
    expect(originAllowed(p, "https://sluice.example.com", 3000)).toBe(true);
    expect(originAllowed(p, "http://sluice.example.com", 3000)).toBe(false);
    expect(originAllowed(p, "https://sluice.lan:8443", 3000)).toBe(true);
    expect(originAllowed(p, "https://sluice.lan", 3000)).toBe(false);
  });
});
