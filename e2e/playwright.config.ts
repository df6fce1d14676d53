import { randomBytes } from "node:crypto";
import { chmodSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig } from "@playwright/test";
import { cleanUpRunSync, createDatabase, databaseUrl } from "./e2e-database.ts";
import { freePort } from "../apps/server/src/testing/free-port.ts";
import { ownerState, SSO_ACCOUNTS } from "./owner.ts";

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, "..");
// Free ports unless given, picked on the first load; the workers inherit them, as the names below.
// A fixed default failed the whole run at once ("is already used") when anything else held it, such as a server left
// over from another run.
if (!process.env.SLUICE_E2E_PORT) {
  process.env.SLUICE_E2E_PORT = String(await freePort());
  let oidc = await freePort();
  while (String(oidc) === process.env.SLUICE_E2E_PORT) oidc = await freePort();
  process.env.SLUICE_E2E_OIDC_PORT ??= String(oidc);
}
const port = Number(process.env.SLUICE_E2E_PORT);
const oidcPort = Number(process.env.SLUICE_E2E_OIDC_PORT ?? port - 1);
const oidcIssuer = `http://127.0.0.1:${oidcPort}`;
process.env.SLUICE_E2E_OIDC_SECRET ??= randomBytes(16).toString("hex");
const oidcSecret = process.env.SLUICE_E2E_OIDC_SECRET;

// The runner loads this file, and so does every worker; the first load picks the names and the workers inherit them.
process.env.SLUICE_E2E_DB ??= `sluice_e2e_${randomBytes(5).toString("hex")}`;
if (!process.env.SLUICE_E2E_DATA) {
  process.env.SLUICE_E2E_DATA = mkdtempSync(path.join(tmpdir(), "sluice-e2e-"));
  // The server may hand this directory to a postgres user.
  chmodSync(process.env.SLUICE_E2E_DATA, 0o755);
}

// The owner API token the server is provisioned with (SLUICE_OWNER_TOKEN): specs set up their data through the
// API with it, as automation would, while the browser signs in as a person (auth.setup.ts).
process.env.SLUICE_E2E_OWNER_TOKEN ??= `slc_e2e_${randomBytes(24).toString("hex")}`;

// Playwright starts webServer *before* globalSetup (plugin setup comes first in 1.65), and the server needs its
// database to exist, so the database is created here, once, rather than in a globalSetup. globalTeardown drops it;
// the exit handler covers runs where Playwright never gets to globalTeardown (e.g. the server failed to start).
if (!process.env.SLUICE_E2E_DB_CREATED) {
  process.env.SLUICE_E2E_DB_CREATED = "1";
  process.once("exit", () => cleanUpRunSync(repoRoot));
  await createDatabase(process.env.SLUICE_E2E_DB);
}

export default defineConfig({
  testDir: here,
  // "setup" creates the owner account on the first visit, as a new user does, and keeps its signed-in browser state
  // for the other specs; teams.spec.ts signs in its own people.
  projects: [
    { name: "setup", testMatch: "auth.setup.ts" },
    { name: "app", testMatch: "**/*.spec.ts", dependencies: ["setup"], use: { storageState: ownerState() } },
  ],
  // Separate folders let two Playwright runs share a checkout without deleting each other's traces.
  outputDir: process.env.SLUICE_E2E_OUTPUT ?? path.join(repoRoot, "test-results"),
  timeout: 60_000,
  expect: { timeout: 10_000 },
  // One server, one database: the specs share it, so they run one at a time, in file order.
  workers: 1,
  fullyParallel: false,
  forbidOnly: Boolean(process.env.CI),
  reporter: [["list"], ["html", { outputFolder: path.join(repoRoot, "playwright-report"), open: "never" }]],
  globalTeardown: "./global-teardown.ts",
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    viewport: { width: 1280, height: 800 },
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: "/usr/bin/chromium",
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
    },
  },
  webServer: [
    // A real OpenID Connect provider (oidc-provider) for the single sign-on spec; its accounts are sso.spec.ts's.
    {
      command: "npx tsx apps/server/src/testing/oidc-test-provider-cli.ts",
      cwd: repoRoot,
      url: `${oidcIssuer}/.well-known/openid-configuration`,
      reuseExistingServer: false,
      timeout: 60_000,
      env: {
        OIDC_TEST_PORT: String(oidcPort),
        OIDC_TEST_REDIRECT_URI: `http://127.0.0.1:${port}/api/auth/sso/callback`,
        OIDC_TEST_CLIENT_SECRET: oidcSecret,
        OIDC_TEST_ACCOUNTS: JSON.stringify(SSO_ACCOUNTS),
      },
    },
    {
      command: "npx tsx apps/server/src/main.ts",
      cwd: repoRoot,
      url: `http://127.0.0.1:${port}/api/health`,
      reuseExistingServer: false,
      timeout: 120_000,
      stdout: "pipe",
      env: {
        DATABASE_URL: databaseUrl(process.env.SLUICE_E2E_DB),
        PORT: String(port),
        HOST: "127.0.0.1",
        SEED_DEMO: "false",
        // notifications.spec.ts's webhook receiver listens on this machine; an administrator allows such a host so.
        HTTP_SOURCE_ALLOWLIST: "127.0.0.1",
        SLUICE_OWNER_TOKEN: process.env.SLUICE_E2E_OWNER_TOKEN,
        DATA_DIR: path.join(process.env.SLUICE_E2E_DATA, "data"),
        OIDC_ISSUER: oidcIssuer,
        // Only because the test provider listens on plain http on this machine.
        OIDC_ALLOW_HTTP: "true",
        OIDC_CLIENT_ID: "sluice-test",
        OIDC_CLIENT_SECRET: oidcSecret,
        OIDC_NAME: "Test SSO",
        OIDC_ALLOWED_DOMAINS: "sso.sluice.test",
        OIDC_DEFAULT_ROLE: "runner",
      },
    },
  ],
});
