import path from "node:path";
import type { Server } from "node:http";
import { loadConfig, repoRoot } from "./config.ts";
import { openDatabase } from "./db/database.ts";
import { migrate, migrationsDir } from "./db/migrator.ts";
import { createPrisma } from "./db/prisma.ts";
import { createApp } from "./http/app.ts";
import { listen } from "./http/listen.ts";
import { hostname } from "node:os";
import { createRuntime } from "./runtime.ts";
import { loadSecretKey } from "./connections/secret-box.ts";
import { seedDemo } from "./seed/seed-demo.ts";
import { moveHeaderSecrets } from "./pipelines/move-header-secrets.ts";
import { startBuiltInWarehouse } from "./warehouse/built-in-warehouse.ts";
import { appVersion } from "./version.ts";
import { accessSummary } from "./http/access-summary.ts";
import { provisionOwner, requireSetupCode } from "./auth/provision-owner.ts";
import { checkSsoWorkspace } from "./auth/sso/sso-provider.ts";

const log = (m: string) => console.log(`[sluice] ${m}`);

const config = loadConfig();
const database = await openDatabase(config, log);
let server: Server | undefined;
let stopRuntime: ((why: string) => Promise<void>) | undefined;
const prisma = createPrisma(database.url);

let stopping = false;
async function shutdown(signal: string, exitCode = 0) {
  if (stopping) return;
  stopping = true;
  // A failed start has said why already; a signal is news to whoever sent it.
  if (exitCode === 0) log(`${signal} received: stopping the current run (marked failed), then shutting down`);
  // Bounded: a step that ignores its stop switch must not keep the process alive; a later sweep removes what it left.
  setTimeout(() => {
    log("shutdown is taking too long; stopping PostgreSQL and exiting now");
    // An embedded PostgreSQL is a child process: it is stopped even now, for at most 5 s.
    const exit = () => process.exit(exitCode || 1);
    setTimeout(exit, 5000).unref();
    void database.close().catch(() => undefined).finally(exit);
  }, 30_000).unref();
  const closed = new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server?.closeIdleConnections();
  await stopRuntime?.(signal).catch((e: unknown) => log(`stopping the runtime failed: ${String(e)}`));
  // Run event streams never end by themselves; until now they could still report the stopped run's outcome.
  server?.closeAllConnections();
  await closed;
  await prisma.$disconnect().catch(() => undefined);
  await database.close().catch((e: unknown) => log(`stopping PostgreSQL failed: ${String(e)}`));
  log("stopped");
  process.exit(exitCode);
}
process.on("SIGINT", () => void shutdown("SIGINT"));
process.on("SIGTERM", () => void shutdown("SIGTERM"));

try {
  const { applied } = await migrate(database.url, migrationsDir, log);
  log(applied.length ? `database migrated (${applied.length} new)` : "database schema is up to date");
  const secretKey = loadSecretKey(config.secretKey, config.dataDir, log);
  const runtime = await createRuntime({
    db: prisma,
    databaseUrl: database.url,
    databaseKind: database.kind,
    config,
    secretKey,
    workerId: `${hostname()}:${process.pid}`,
    startWorker: config.runWorker,
    version: appVersion,
    log,
    worker: { staleSeconds: config.runStaleSeconds },
  });
  stopRuntime = runtime.stop;
  const { deps } = runtime;
  // Its own database and least-privilege role, never the metadata database, or off with the reason.
  await startBuiltInWarehouse({ metadataUrl: database.url, warehouseUrl: config.warehouseUrl, secretKey, connections: deps.connections, log });
  // Pipelines saved before HTTP credentials may keep secret headers in plain text: moved into credentials once.
  await moveHeaderSecrets(prisma, deps.connections, log);
  if (config.seedDemo) await seedDemo(prisma, deps, log);
  await provisionOwner(deps, config.owner, log);
  await requireSetupCode(deps, config.network.onNetwork, log);
  await checkSsoWorkspace(deps.auth.sso, deps.workspaces, log);
  const app = createApp(deps, {
    bodyLimit: config.bodyLimit, network: config.network, trustProxy: config.trustProxy, webDist: path.join(repoRoot, "apps/web/dist"),
  });
  for (const line of accessSummary(config, (await deps.auth.accounts.users.count()) > 0)) log(line);
  const listening = await listen(app, config.port, config.host);
  if (!listening.ok) {
    log(listening.message);
    // Stops what did start (the queue, an embedded PostgreSQL) and exits with 1.
    await shutdown("a refused port", 1);
  } else {
    server = listening.server;
    // Only once the port is ours: nothing can be ready before.
    log(`using ${database.kind} PostgreSQL`);
    log(`Sluice ${appVersion} is ready at http://${config.host === "0.0.0.0" ? "localhost" : config.host}:${config.port}`);
  }
} catch (e) {
  log(`startup failed: ${(e as Error).message}`);
  await prisma.$disconnect().catch(() => undefined);
  await database.close().catch(() => undefined);
  process.exit(1);
}
