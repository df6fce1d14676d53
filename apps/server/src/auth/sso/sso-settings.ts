import { z } from "zod";
import { roleSchema, type Role } from "@sluice/model";
import { DEFAULT_WORKSPACE_ID } from "../../workspaces/workspace.repository.ts";

/** Single sign-on with one OpenID Connect provider, from the OIDC_* variables (see docs/security.md). */
export interface SsoSettings {
  /** The provider's issuer identifier; its discovery document is read from <issuer>/.well-known/openid-configuration. */
  issuer: URL;
  clientId: string;
  clientSecret: string;
  /** The sign-in button's label: "Sign in with <name>". */
  name: string;
  /** Lower-case email domains whose people may sign in; empty: any. */
  allowedDomains: string[];
  /** The role a new account gets in `workspaceId`. */
  defaultRole: Role;
  workspaceId: string;
  scopes: string;
  /** An http:// issuer was allowed explicitly (a provider on this machine, tests). */
  allowHttp: boolean;
}

const blankAsUnset = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);
const optional = <T extends z.ZodType>(schema: T) => z.preprocess(blankAsUnset, schema.optional());

const oidcEnvSchema = z.object({
  OIDC_ISSUER: optional(z.url({ protocol: /^https?$/, error: "an http(s):// URL, e.g. https://keycloak.example.com/realms/acme" })),
  OIDC_CLIENT_ID: optional(z.string().trim().min(1)),
  OIDC_CLIENT_SECRET: optional(z.string().min(1)),
  OIDC_NAME: optional(z.string().trim().min(1).max(60)),
  OIDC_ALLOWED_DOMAINS: optional(z.string()),
  OIDC_DEFAULT_ROLE: optional(roleSchema),
  OIDC_WORKSPACE: optional(z.uuid("a workspace id, e.g. 00000000-0000-4000-8000-0000000000d1 (the Default workspace)")),
  OIDC_SCOPES: optional(z.string().trim().min(1)),
  OIDC_ALLOW_HTTP: optional(z.enum(["true", "false"])),
});

/** A domain as people write it after the @ (no scheme, no @, no port). */
const DOMAIN = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * The SSO settings, or undefined when OIDC_ISSUER is unset. Every problem comes back as a list of
 * "VARIABLE: what to fix", so startup can say them all at once.
 */
export function readSsoSettings(env: NodeJS.ProcessEnv): { settings: SsoSettings | undefined; problems: string[] } {
  const parsed = oidcEnvSchema.safeParse(env);
  if (!parsed.success) return { settings: undefined, problems: parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`) };
  const e = parsed.data;
  if (!e.OIDC_ISSUER) {
    const stray = Object.keys(oidcEnvSchema.shape).filter((k) => k !== "OIDC_ISSUER" && k !== "OIDC_ALLOW_HTTP" && e[k as keyof typeof e] !== undefined);
    return { settings: undefined, problems: stray.length ? [`OIDC_ISSUER: required when ${stray.join(", ")} ${stray.length > 1 ? "are" : "is"} set (the provider's issuer URL)`] : [] };
  }
  const problems: string[] = [];
  const issuer = new URL(e.OIDC_ISSUER);
  const allowHttp = e.OIDC_ALLOW_HTTP === "true";
  if (issuer.protocol === "http:" && !allowHttp) {
    problems.push("OIDC_ISSUER: must be an https:// URL; an http:// issuer is accepted only with OIDC_ALLOW_HTTP=true (a provider on this machine or in tests)");
  }
  if (!e.OIDC_CLIENT_ID) problems.push("OIDC_CLIENT_ID: required with OIDC_ISSUER (the client id Sluice is registered under at the provider)");
  if (!e.OIDC_CLIENT_SECRET) problems.push("OIDC_CLIENT_SECRET: required with OIDC_ISSUER (the client's secret at the provider)");
  const allowedDomains = (e.OIDC_ALLOWED_DOMAINS ?? "").split(",").map((d) => d.trim().toLowerCase().replace(/^@/, "")).filter(Boolean);
  for (const d of allowedDomains) if (!DOMAIN.test(d)) problems.push(`OIDC_ALLOWED_DOMAINS: "${d}" is not an email domain (write e.g. example.com,example.org)`);
  const scopes = e.OIDC_SCOPES ?? "openid email profile";
  if (!scopes.split(/\s+/).includes("openid")) problems.push('OIDC_SCOPES: must include "openid" (and "email", so the provider sends the address)');
  if (problems.length || !e.OIDC_CLIENT_ID || !e.OIDC_CLIENT_SECRET) return { settings: undefined, problems };
  return {
    settings: {
      issuer,
      clientId: e.OIDC_CLIENT_ID,
      clientSecret: e.OIDC_CLIENT_SECRET,
      name: e.OIDC_NAME ?? "SSO",
      allowedDomains,
      defaultRole: e.OIDC_DEFAULT_ROLE ?? "viewer",
      workspaceId: e.OIDC_WORKSPACE ?? DEFAULT_WORKSPACE_ID,
      scopes,
      allowHttp,
    },
    problems: [],
  };
}
