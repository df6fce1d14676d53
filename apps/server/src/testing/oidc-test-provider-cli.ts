import { z } from "zod";
import { startOidcTestProvider } from "./oidc-test-provider.ts";

/**
 * The test OpenID Connect provider as a process, for Playwright's `webServer` list or trying SSO by hand:
 *
 *   OIDC_TEST_PORT=3998 OIDC_TEST_REDIRECT_URI=http://127.0.0.1:3000/api/auth/sso/callback \
 *   OIDC_TEST_ACCOUNTS='[{"id":"ada","email":"ada@example.com","emailVerified":true,"name":"Ada"}]' \
 *   npx tsx apps/server/src/testing/oidc-test-provider-cli.ts
 *
 * then start Sluice with OIDC_ISSUER=http://127.0.0.1:3998 OIDC_ALLOW_HTTP=true OIDC_CLIENT_ID=sluice-test
 * OIDC_CLIENT_SECRET=<OIDC_TEST_CLIENT_SECRET>. Ready when <issuer>/.well-known/openid-configuration answers.
 */
const env = z
  .object({
    OIDC_TEST_PORT: z.coerce.number().int().min(1).max(65535),
    OIDC_TEST_REDIRECT_URI: z.string().min(1),
    OIDC_TEST_CLIENT_ID: z.string().min(1).default("sluice-test"),
    OIDC_TEST_CLIENT_SECRET: z.string().min(1).default("sluice-test-secret"),
    OIDC_TEST_ACCOUNTS: z.string().min(1),
    OIDC_TEST_CLAIMS_IN_ID_TOKEN: z.enum(["true", "false"]).default("false"),
  })
  .parse(process.env);

const accounts = z
  .array(z.object({ id: z.string().min(1), email: z.string().min(1), emailVerified: z.union([z.boolean(), z.literal("absent")]), name: z.string().optional() }))
  .parse(JSON.parse(env.OIDC_TEST_ACCOUNTS));

const provider = await startOidcTestProvider({
  port: env.OIDC_TEST_PORT,
  redirectUris: env.OIDC_TEST_REDIRECT_URI.split(",").map((u) => u.trim()),
  clientId: env.OIDC_TEST_CLIENT_ID,
  clientSecret: env.OIDC_TEST_CLIENT_SECRET,
  claimsInIdToken: env.OIDC_TEST_CLAIMS_IN_ID_TOKEN === "true",
  accounts: accounts.map((a) => ({ id: a.id, email: a.email, emailVerified: a.emailVerified, ...(a.name ? { name: a.name } : {}) })),
});
console.log(`[oidc-test-provider] ready at ${provider.issuer} (client ${provider.clientId}; ${accounts.length} account(s))`);

const stop = () => void provider.stop().finally(() => process.exit(0));
process.once("SIGINT", stop);
process.once("SIGTERM", stop);
