import * as oidc from "openid-client";
import { AppError } from "../../http/app-error.ts";
import type { SsoSettings } from "./sso-settings.ts";

export interface OidcDiscovery {
  /** The provider's endpoints and keys with this client's credentials; 503 SSO_UNAVAILABLE while it cannot be reached. */
  configuration(): Promise<oidc.Configuration>;
}

/**
 * Reads the provider's discovery document on first use rather than at startup, so a provider that is down does
 * not stop Sluice starting (password sign-in keeps working). A failure is not kept: the next sign-in tries again.
 */
export function oidcDiscovery(s: SsoSettings, log: (m: string) => void, timeoutSeconds = 10): OidcDiscovery {
  let pending: Promise<oidc.Configuration> | undefined;
  const discover = async () => {
    try {
      // Client authentication by HTTP Basic: the method every provider must support (RFC 6749 section 2.3.1)
      // and the registration default of OpenID Connect, so a client set up with the defaults just works.
      const config = await oidc.discovery(s.issuer, s.clientId, undefined, oidc.ClientSecretBasic(s.clientSecret), {
        // Only with OIDC_ALLOW_HTTP=true: plain-HTTP requests to the provider (discovery, token, keys, userinfo).
        execute: s.allowHttp ? [oidc.allowInsecureRequests] : [],
        timeout: timeoutSeconds,
      });
      log(`SSO: using the OpenID Connect provider ${config.serverMetadata().issuer}`);
      return config;
    } catch (e) {
      pending = undefined;
      const why = e instanceof Error ? `${e.message}${e.cause instanceof Error ? ` (${e.cause.message})` : ""}` : String(e);
      log(`SSO: cannot read the discovery document of ${s.issuer.href}: ${why}`);
      throw new AppError(503, "SSO_UNAVAILABLE", `The sign-in provider (${s.name}) cannot be reached right now. Try again in a minute, or sign in with your password.`);
    }
  };
  return {
    configuration: () => (pending ??= discover()),
  };
}
