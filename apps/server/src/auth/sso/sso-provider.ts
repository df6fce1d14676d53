import type { Request } from "express";
import { oidcDiscovery, type OidcDiscovery } from "./oidc-discovery.ts";
import { ssoAttempts, type SsoAttempts } from "./sso-attempt.ts";
import type { SsoSettings } from "./sso-settings.ts";

/** The configured OpenID Connect provider, as the SSO routes use it (Deps.auth.sso). */
export interface SsoProvider {
  /** The sign-in button's label. */
  name: string;
  settings: SsoSettings;
  discovery: OidcDiscovery;
  attempts: SsoAttempts;
  /** The URL the provider sends the browser back to; register exactly this one at the provider. */
  callbackUrl(req: Request): string;
}

export const SSO_CALLBACK_PATH = "/api/auth/sso/callback";

export function ssoProvider(settings: SsoSettings, o: { secretKey: Buffer; publicUrl: string | undefined; log: (m: string) => void }): SsoProvider {
  return {
    name: settings.name,
    settings,
    discovery: oidcDiscovery(settings, o.log),
    attempts: ssoAttempts(o.secretKey),
    // Behind a proxy PUBLIC_URL is what the browser sees. Without it, the address of the request: its Host has
    // passed the allowed-hosts check (allowedHostsOnly) before any route runs.
    callbackUrl: (req) => new URL(SSO_CALLBACK_PATH, o.publicUrl ?? `${req.protocol}://${req.get("host")}`).href,
  };
}

/** At startup: new SSO accounts must have a workspace to join, or every first sign-in would fail later. */
export async function checkSsoWorkspace(sso: SsoProvider | null, workspaces: { get(id: string): Promise<{ name: string } | null> }, log: (m: string) => void): Promise<void> {
  if (!sso) return;
  const ws = await workspaces.get(sso.settings.workspaceId);
  if (!ws) throw new Error(`OIDC_WORKSPACE: no workspace has the id ${sso.settings.workspaceId}; use the id of an existing workspace (unset: the Default workspace)`);
  log(`SSO: "Sign in with ${sso.name}" via ${sso.settings.issuer.href}; new accounts join "${ws.name}" as ${sso.settings.defaultRole}`);
  // A shared provider (Google, Entra ID's "common") knows everyone: without a domain list, anyone may join.
  if (sso.settings.allowedDomains.length === 0) {
    log(`WARNING: OIDC_ALLOWED_DOMAINS is empty: anyone with a verified email at ${sso.settings.issuer.host} can sign in and join "${ws.name}" as ${sso.settings.defaultRole}; set it to your email domains`);
  }
}
