import { describe, expect, it } from "vitest";
import { loadConfig } from "../../config.ts";
import { DEFAULT_WORKSPACE_ID } from "../../workspaces/workspace.repository.ts";

const base = { OIDC_ISSUER: "https://login.example.com/realms/acme", OIDC_CLIENT_ID: "sluice", OIDC_CLIENT_SECRET: "s3cret" };

describe("OIDC_* settings", () => {
  it("are off without OIDC_ISSUER (blank counts as unset)", () => {
    expect(loadConfig({}).sso).toBeUndefined();
    expect(loadConfig({ OIDC_ISSUER: " ", OIDC_ALLOW_HTTP: "true" }).sso).toBeUndefined();
  });

  it("default to the SSO label, any domain, viewers of the Default workspace, openid email profile", () => {
    expect(loadConfig(base).sso).toEqual({
      issuer: new URL(base.OIDC_ISSUER), clientId: "sluice", clientSecret: "s3cret", name: "SSO", allowedDomains: [], defaultRole: "viewer",
      workspaceId: DEFAULT_WORKSPACE_ID, scopes: "openid email profile", allowHttp: false,
    });
  });

  it("read the label, domains (lower case, a leading @ dropped), role, workspace and scopes", () => {
    const sso = loadConfig({ ...base, OIDC_NAME: "Keycloak", OIDC_ALLOWED_DOMAINS: " Example.com, @example.org ,", OIDC_DEFAULT_ROLE: "runner", OIDC_WORKSPACE: "11111111-1111-4111-8111-111111111111", OIDC_SCOPES: "openid email" }).sso;
    expect(sso).toMatchObject({ name: "Keycloak", allowedDomains: ["example.com", "example.org"], defaultRole: "runner", workspaceId: "11111111-1111-4111-8111-111111111111", scopes: "openid email" });
  });

  it("accept an http:// issuer only with OIDC_ALLOW_HTTP=true", () => {
    const local = { ...base, OIDC_ISSUER: "http://127.0.0.1:8080/realms/dev" };
    expect(() => loadConfig(local)).toThrow(/OIDC_ISSUER: must be an https:\/\/ URL; .*OIDC_ALLOW_HTTP=true/);
    expect(loadConfig({ ...local, OIDC_ALLOW_HTTP: "true" }).sso?.allowHttp).toBe(true);
  });

  it("say every problem at once, naming the variable and what to write", () => {
    const attempt = () => loadConfig({ OIDC_ISSUER: "https://login.example.com", OIDC_ALLOWED_DOMAINS: "example.com,https://x", OIDC_DEFAULT_ROLE: "admin", OIDC_WORKSPACE: "default" });
    expect(attempt).toThrow(/OIDC_DEFAULT_ROLE: .*OIDC_WORKSPACE: a workspace id/);
    expect(() => loadConfig({ OIDC_ISSUER: "https://login.example.com", OIDC_ALLOWED_DOMAINS: "example.com,https://x" })).toThrow(
      /OIDC_CLIENT_ID: required with OIDC_ISSUER.*OIDC_CLIENT_SECRET: required.*OIDC_ALLOWED_DOMAINS: "https:\/\/x" is not an email domain/,
    );
    expect(() => loadConfig({ ...base, OIDC_ISSUER: "login.example.com" })).toThrow(/OIDC_ISSUER: an http\(s\):\/\/ URL/);
    expect(() => loadConfig({ ...base, OIDC_SCOPES: "email profile" })).toThrow(/OIDC_SCOPES: must include "openid"/);
    expect(() => loadConfig({ OIDC_CLIENT_ID: "sluice" })).toThrow(/OIDC_ISSUER: required when OIDC_CLIENT_ID is set/);
  });
});
