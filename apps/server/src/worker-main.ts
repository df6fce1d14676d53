import { hostname } from "node:os";
import { loadConfig } from "./config.ts";
import { openDatabase } from "./db/database.ts";
import { migrate, migrationsDir } from "./db/migrator.ts";
import { createPrisma } from "./db/prisma.ts";
import { loadSecretKey } from "./connections/secret-box.ts";
import { createRuntime } from "./runtime.ts";

/**
 * `npm run worker`: a process that only executes runs, for more throughput on this or other machines.
 * It needs the same DATABASE_URL and the same DATA_DIR contents (uploaded files) as the server.
 */
const log = (m: string) => console.log(`[sluice-worker] ${m}`);
const config = loadConfig();
if (!config.databaseUrl) {
  log("DATABASE_URL is not set: a separate worker must share the server's PostgreSQL. Set DATABASE_URL and start again.");
  process.exit(2);
}
const database = await openDatabase(config, log);
await migrate(database.url, migrationsDir, log);
const db = createPrisma(database.url);
const runtime = await createRuntime({
  db,
  databaseUrl: database.url,
  config,
  secretKey: loadSecretKey(config.secretKey, config.dataDir, log),
  workerId: `${hostname()}:${process.pid}`,
  startWorker: true,
  log,
  worker: { staleSeconds: config.runStaleSeconds },
});
log(`worker ${hostname()}:${process.pid} is taking runs`);

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  log(`${signal}: stopping the current run (marked failed), then exiting`);
  // Bounded: a step that ignores its stop switch must not keep the process alive; a later sweep removes what it left.
  setTimeout(() => {
    log("shutdown is taking too long; exiting now");
    process.exit(1);
  }, 30_000).unref();
  await runtime.stop(signal).catch((e: unknown) => log(`stopping failed: ${String(e)}`));
  await db.$disconnect().catch(() => undefined);
  log("stopped");
  process.exit(0);
}
process.on("SIGINT", () => void shutdown("SIGINT"));
process.on("SIGTERM", () => void shutdown("SIGTERM"));
