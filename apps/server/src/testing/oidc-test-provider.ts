// A reference, not an import: the declarations travel with this file, so e2e (another tsconfig) can import it.
// eslint-disable-next-line @typescript-eslint/triple-slash-reference
/// <reference path="./oidc-provider.d.ts" />
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import Provider, { type Account } from "oidc-provider";

/**
 * A real OpenID Connect provider (oidc-provider) on 127.0.0.1 over plain HTTP, for the SSO tests and Playwright's
 * global setup: no vitest in here, just start and stop. Its sign-in page is one form, "login", taking an
 * account's id or email (no password: the tests are about Sluice's side); consent for Sluice's client is
 * granted without asking, as a company provider does for its own apps. "Cancel" answers access_denied.
 */
export interface OidcTestAccount {
  /** The subject (`sub`). */
  id: string;
  email: string;
  /** The email_verified claim; "absent" sends none. */
  emailVerified: boolean | "absent";
  name?: string;
}

export interface OidcTestProviderOptions {
  /** Sluice's callback URL(s), e.g. http://127.0.0.1:3000/api/auth/sso/callback. */
  redirectUris: string[];
  accounts: OidcTestAccount[];
  clientId?: string;
  clientSecret?: string;
  /** 0 (default): any free port. */
  port?: number;
  /**
   * Put email and name in the ID token itself (as Keycloak and Google do). By default oidc-provider keeps them
   * for the userinfo endpoint when an access token is issued, so the client has to ask there.
   */
  claimsInIdToken?: boolean;
}

export interface OidcTestProvider {
  /** OIDC_ISSUER, e.g. http://127.0.0.1:41234 */
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Adds or replaces an account (by id). */
  setAccount(account: OidcTestAccount): void;
  /** Closes the server and every connection; the provider keeps its state in memory only, so nothing stays. */
  stop(): Promise<void>;
}

const INTERACTION = /^\/interaction\/([A-Za-z0-9_-]+)(\/login|\/abort)?$/;

export async function startOidcTestProvider(o: OidcTestProviderOptions): Promise<OidcTestProvider> {
  const clientId = o.clientId ?? "sluice-test";
  const clientSecret = o.clientSecret ?? randomBytes(24).toString("base64url");
  const accounts = new Map(o.accounts.map((a) => [a.id, a]));
  const byLogin = (login: string) => accounts.get(login) ?? [...accounts.values()].find((a) => a.email.toLowerCase() === login.toLowerCase());

  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(o.port ?? 0, "127.0.0.1", () => resolve());
  });
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const signingKey = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ format: "jwk" });
  const provider = new Provider(issuer, {
    clients: [{ client_id: clientId, client_secret: clientSecret, redirect_uris: o.redirectUris, grant_types: ["authorization_code"], response_types: ["code"], token_endpoint_auth_method: "client_secret_basic" }],
    findAccount: (_ctx, id): Account | undefined => {
      const a = accounts.get(id);
      if (!a) return undefined;
      return {
        accountId: a.id,
        claims: () => ({ sub: a.id, email: a.email, ...(a.emailVerified === "absent" ? {} : { email_verified: a.emailVerified }), ...(a.name ? { name: a.name } : {}) }),
      };
    },
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"] },
    conformIdTokenClaims: !o.claimsInIdToken,
    features: { devInteractions: { enabled: false } },
    // Sluice's client has a secret, for which oidc-provider would not insist on PKCE; this provider does.
    pkce: { required: () => true },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    jwks: { keys: [{ ...signingKey, kid: "test-signing-key", use: "sig", alg: "RS256" }] },
    cookies: { keys: [randomBytes(32).toString("hex")] },
    // Seconds; set, so oidc-provider does not log a notice for each default it uses.
    ttl: { AccessToken: 600, AuthorizationCode: 60, IdToken: 600, Interaction: 600, Session: 3600, Grant: 3600 },
    renderError: (ctx, out) => {
      ctx.type = "text";
      ctx.body = `oidc test provider error: ${JSON.stringify(out)}`;
    },
  });
  const handle = provider.callback();

  async function interaction(req: IncomingMessage, res: ServerResponse, uid: string, step: string | undefined) {
    const details = await provider.interactionDetails(req, res);
    if (details.uid !== uid) throw new Error("interaction cookie and URL differ");
    if (step === "/abort") return provider.interactionFinished(req, res, { error: "access_denied", error_description: "The person cancelled the sign-in." }, { mergeWithLastSubmission: false });
    if (details.prompt.name === "login") {
      if (req.method !== "POST" || step !== "/login") return page(res, uid);
      const login = new URLSearchParams(await body(req)).get("login") ?? "";
      const account = byLogin(login);
      if (!account) return page(res, uid, `No account "${login}" at this provider.`);
      return provider.interactionFinished(req, res, { login: { accountId: account.id } }, { mergeWithLastSubmission: false });
    }
    if (details.prompt.name === "consent") {
      const grant = new provider.Grant({ accountId: details.session?.accountId ?? "", clientId: String(details.params.client_id) });
      const missingScope = details.prompt.details.missingOIDCScope;
      if (Array.isArray(missingScope)) grant.addOIDCScope(missingScope.join(" "));
      const missingClaims = details.prompt.details.missingOIDCClaims;
      if (Array.isArray(missingClaims)) grant.addOIDCClaims(missingClaims.map(String));
      return provider.interactionFinished(req, res, { consent: { grantId: await grant.save() } }, { mergeWithLastSubmission: true });
    }
    res.writeHead(501, { "content-type": "text/plain" }).end(`prompt ${details.prompt.name} is not supported by the test provider`);
  }

  server.on("request", (req: IncomingMessage, res: ServerResponse) => {
    const m = INTERACTION.exec(new URL(req.url ?? "/", issuer).pathname);
    if (!m?.[1]) return handle(req, res);
    interaction(req, res, m[1], m[2]).catch((e: Error) => {
      if (!res.headersSent) res.writeHead(400, { "content-type": "text/plain" });
      res.end(`oidc test provider: ${e.message}`);
    });
  });

  return {
    issuer,
    clientId,
    clientSecret,
    setAccount: (a) => void accounts.set(a.id, a),
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.close((e) => (e ? reject(e) : resolve()));
        server.closeAllConnections();
      }),
  };
}

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(res: ServerResponse, uid: string, problem?: string) {
  res.writeHead(problem ? 401 : 200, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" });
  res.end(`<!doctype html><title>Test provider sign-in</title><h1>Test provider</h1>${problem ? `<p role="alert">${escape(problem)}</p>` : ""}
<form method="post" action="/interaction/${uid}/login"><label>Login <input name="login" autofocus></label> <button type="submit">Sign in</button></form>
<form method="post" action="/interaction/${uid}/abort"><button type="submit">Cancel</button></form>`);
}

function body(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = "";
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => {
      text += chunk;
      if (text.length > 10_000) req.destroy(new Error("body too large"));
    });
    req.on("end", () => resolve(text));
    req.on("error", reject);
  });
}
