import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { AddressPolicy } from "@sluice/engine";
import { createApp } from "../http/app.ts";
import type { TokenPolicy } from "../http/access.ts";
import { networkPolicy, type NetworkSettings } from "../http/network-policy.ts";
import { createPrisma, type Db } from "../db/prisma.ts";
import type { Deps } from "../http/deps.ts";
import { createRuntime, type RuntimeOptions } from "../runtime.ts";
import { createTestDatabase, type TestDatabase } from "./test-database.ts";
import { dropWarehouse } from "./test-warehouse.ts";
import { startBuiltInWarehouse } from "../warehouse/built-in-warehouse.ts";
import type { WarehouseState } from "../warehouse/warehouse-settings.ts";

export interface TestApp {
  app: ReturnType<typeof createApp>;
  deps: Deps;
  db: Db;
  database: TestDatabase;
  /** The built-in warehouse as set up at start; `url` logs in as its role, as pipelines do. */
  warehouse: WarehouseState & { url: string };
  secretKey: Buffer;
  dataDir: string;
  logs: string[];
  close(): Promise<void>;
}

/**
 * The real app on a fresh, migrated database with its own data folder; nothing is mocked. The built-in
 * warehouse is set up as at server start with an external DATABASE_URL: a database and a role of its own
 * (dropped again by close), or, with `metadataOwner: "unprivileged"`, turned off for want of rights.
 */
export async function createTestApp(
  options: { bodyLimit?: string; uploadBytes?: number; startWorker?: boolean; worker?: RuntimeOptions["worker"]; httpAllowlist?: string[]; secretKey?: Buffer; runTimeoutSeconds?: number; schedulerTickMs?: number; apiTokens?: TokenPolicy; network?: NetworkSettings; metadataOwner?: "admin" | "unprivileged"; warehouseUrl?: string; connectionPolicy?: AddressPolicy; connectionTestsPerMinute?: number } = {},
): Promise<TestApp> {
  const database = await createTestDatabase({ owner: options.metadataOwner ?? "admin" });
  const secretKey = options.secretKey ?? randomBytes(32);
  const db = createPrisma(database.url);
  const logs: string[] = [];
  const dataDir = mkdtempSync(path.join(tmpdir(), "sluice-test-data-"));
  const runtime = await createRuntime({
    db,
    databaseUrl: database.url,
    config: {
      dataDir,
      uploadBytes: options.uploadBytes ?? 50 * 1024 * 1024,
      runTimeoutSeconds: options.runTimeoutSeconds ?? 120,
      duckdbMemoryLimit: "1GB",
      duckdbThreads: 2,
      // Two at once, so every test with several sinks also proves they can write side by side.
      sinkParallelism: 2,
      httpAllowlist: options.httpAllowlist ?? [],
      ...(options.connectionPolicy ? { connectionPolicy: options.connectionPolicy } : {}),
      // Generous, so no test meets the limit by accident; the limit's own test lowers it.
      connectionTestsPerMinute: options.connectionTestsPerMinute ?? 1000,
    },
    secretKey,
    workerId: `test-${randomBytes(3).toString("hex")}`,
    startWorker: options.startWorker ?? false,
    version: "test",
    log: (m) => logs.push(m),
    ...(options.worker ? { worker: options.worker } : {}),
    ...(options.schedulerTickMs ? { schedulerTickMs: options.schedulerTickMs } : {}),
  });
  const state = await startBuiltInWarehouse({
    metadataUrl: database.url,
    warehouseUrl: options.warehouseUrl,
    secretKey,
    connections: runtime.deps.connections,
    log: (m) => logs.push(m),
  });
  const warehouse = { ...state, url: warehouseUrl(state) };
  const app = createApp(runtime.deps, {
    bodyLimit: options.bodyLimit ?? "256kb",
    // As the default install: loopback only, no token needed.
    network: networkPolicy(options.network ?? { listenHost: "127.0.0.1" }),
    apiTokens: options.apiTokens ?? { writes: false, reads: false },
  });
  return {
    app,
    deps: runtime.deps,
    db,
    database,
    warehouse,
    secretKey,
    dataDir,
    logs,
    close: async () => {
      await runtime.stop();
      await db.$disconnect();
      await dropWarehouse(database.name);
      await database.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

function warehouseUrl(state: WarehouseState): string {
  const s = state.settings;
  const u = new URL(`postgresql://${s.host}:${s.port}`);
  u.pathname = `/${encodeURIComponent(s.database)}`;
  u.username = encodeURIComponent(s.user);
  if (state.available) u.password = encodeURIComponent(state.password);
  return u.toString();
}
