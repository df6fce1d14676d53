import { randomBytes } from "node:crypto";
import { chmodSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig } from "@playwright/test";
import pg from "pg";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const adminUrl = process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";

// The config is loaded by the runner and by every worker; the first load picks the names, the rest reuse them.
process.env.SLUICE_E2E_DB ??= `sluice_e2e_${randomBytes(5).toString("hex")}`;
if (!process.env.SLUICE_E2E_DATA) {
  process.env.SLUICE_E2E_DATA = mkdtempSync(path.join(tmpdir(), "sluice-e2e-"));
  chmodSync(process.env.SLUICE_E2E_DATA, 0o755);
}
const dbUrl = new URL(adminUrl);
dbUrl.pathname = `/${process.env.SLUICE_E2E_DB}`;
const port = Number(process.env.SLUICE_E2E_PORT ?? 3999);

// Playwright starts the web server before global setup runs, so the database is made here, once.
if (!process.env.SLUICE_E2E_DB_CREATED) {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${process.env.SLUICE_E2E_DB}`);
  } finally {
    await admin.end();
  }
  process.env.SLUICE_E2E_DB_CREATED = "1";
}

export default defineConfig({
  testDir: ".",
  outputDir: path.join(repoRoot, "test-results"),
  timeout: 60_000,
  workers: 1,
  reporter: [["list"]],
  globalTeardown: "./global-teardown.ts",
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    viewport: { width: 1280, height: 800 },
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
    },
  },
  webServer: {
    command: "npx tsx apps/server/src/main.ts",
    cwd: repoRoot,
    url: `http://127.0.0.1:${port}/api/health`,
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: "pipe",
    env: {
      DATABASE_URL: dbUrl.toString(),
      PORT: String(port),
      HOST: "127.0.0.1",
      SEED_DEMO: "false",
      DATA_DIR: path.join(process.env.SLUICE_E2E_DATA, "data"),
    },
  },
});
