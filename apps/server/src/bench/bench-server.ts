import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import type { AddressInfo } from "node:net";
import { DEFAULT_WORKSPACE_ID } from "../workspaces/workspace.repository.ts";
import { createApp } from "../http/app.ts";
import { networkPolicy } from "../http/network-policy.ts";
import { createPrisma } from "../db/prisma.ts";
import { createRuntime } from "../runtime.ts";
import { adminUrl, createTestDatabase } from "../testing/test-database.ts";
import { dropWarehouse } from "../testing/test-warehouse.ts";
import { startSluiceProcess } from "../testing/sluice-process.ts";
import { startBuiltInWarehouse } from "../warehouse/built-in-warehouse.ts";
import { warehouseNames } from "../warehouse/warehouse-names.ts";
import type { Cleanup } from "./cleanup.ts";

export interface BenchServer {
  /** Calls the API as automation does, with an owner token of the Default workspace. */
  api<T>(method: string, url: string, body?: unknown): Promise<T>;
  /** The built-in warehouse's database, as PostgreSQL's admin user: where every contender writes. */
  warehouseUrl: string;
  /** The warehouse's role: the built-in connection's user, which the pipelines run as. */
  warehouseRole: string;
  /** Where uploaded files, run outputs and DuckDB's spill go. */
  dataDir: string;
  /** The databases it made (metadata and warehouse), dropped by the cleanup. */
  databases: string[];
  /** A `npm run worker` process that takes runs; stop() reports its peak resident memory (VmHWM). */
  startWorker(env?: Record<string, string>): Promise<{ pid: number; stop(): Promise<{ peakRssBytes: number | undefined }> }>;
}

/** Peak resident set size of a live process, from /proc (Linux); undefined elsewhere. */
export function peakRss(pid: number): number | undefined {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The API in this process (on a database of its own, with the built-in warehouse) and runs in a separate worker
 * process, as a deployment with `npm run worker` has them: the worker's memory is then the run's alone.
 * Everything it makes is registered with `cleanup`.
 */
export async function startBenchServer(
  workDir: string,
  cleanup: Cleanup,
  log: (m: string) => void,
  /** inProcessWorker: the API process also takes runs, as `npm start` does by default (latency.ts compares both). */
  options: { inProcessWorker?: boolean } = {},
): Promise<BenchServer> {
  const dataDir = path.join(workDir, "data");
  const database = await createTestDatabase();
  cleanup.add("the bench's databases", async () => {
    await dropWarehouse(database.name);
    await database.drop();
  });
  const secretKey = randomBytes(32);
  const db = createPrisma(database.url);
  cleanup.add("the metadata connection", () => db.$disconnect());
  const config = { dataDir, uploadBytes: 8 * 1024 ** 3, runTimeoutSeconds: 3600, duckdbMemoryLimit: undefined, duckdbThreads: undefined, sinkParallelism: 1, httpAllowlist: [] };
  const runtime = await createRuntime({ db, databaseUrl: database.url, config, secretKey, workerId: "bench-api", startWorker: options.inProcessWorker ?? false, version: "bench", log: () => {} });
  cleanup.add("the API's runtime", () => runtime.stop());
  // As at server start with an external DATABASE_URL: a warehouse database and role of its own.
  await startBuiltInWarehouse({ metadataUrl: database.url, secretKey, connections: runtime.deps.connections, log });
  const server = createApp(runtime.deps, { bodyLimit: "10mb", network: networkPolicy({ listenHost: "127.0.0.1" }) }).listen(0, "127.0.0.1");
  await new Promise((r) => server.once("listening", r));
  cleanup.add("the API server", () => {
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    // The bench's own client may still be polling a run over a kept-alive connection (on Ctrl+C, the worker is gone
    // and the run never ends): close() alone would wait for it forever.
    server.closeAllConnections();
    return closed;
  });
  const token = (await runtime.deps.tokens.create(db, { workspaceId: DEFAULT_WORKSPACE_ID, name: "bench", role: "owner", createdBy: null })).token;
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api`;
  const warehouse = new URL(adminUrl);
  warehouse.pathname = `/${warehouseNames(database.name).database}`;

  return {
    warehouseUrl: warehouse.toString(),
    warehouseRole: warehouseNames(database.name).role,
    dataDir,
    databases: [database.name, warehouseNames(database.name).database],
    async api<T>(method: string, url: string, body?: unknown): Promise<T> {
      const form = body instanceof FormData;
      const res = await fetch(base + url, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body !== undefined && !form ? { "content-type": "application/json" } : {}) },
        ...(form ? { body } : body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
      const json = (await res.json()) as T & { error?: { message: string } };
      if (!res.ok) throw new Error(`${method} ${url}: ${res.status} ${json.error?.message}`);
      return json;
    },
    async startWorker(env = {}) {
      const p = startSluiceProcess({ dataDir, database }, secretKey, "worker-main.ts", { SEED_DEMO: "false", ...env }, { processGroup: true });
      const pid = p.child.pid!;
      const kill = async () => {
        if (p.child.exitCode !== null || p.child.signalCode !== null) return;
        process.kill(-pid, "SIGTERM");
        const late = setTimeout(() => process.kill(-pid, "SIGKILL"), 20_000);
        await p.exited;
        clearTimeout(late);
      };
      const stopNow = cleanup.add(`worker ${pid}`, kill);
      // Taking runs once it says so; a process that dies first says why.
      const until = Date.now() + 60_000;
      while (!p.output().includes("is taking runs")) {
        if (p.child.exitCode !== null) throw new Error(`the worker exited (${p.child.exitCode}): ${p.output()}`);
        if (Date.now() > until) throw new Error(`the worker did not start in 60 s: ${p.output()}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      return {
        pid,
        async stop() {
          const peakRssBytes = peakRss(pid);
          await stopNow();
          return { peakRssBytes };
        },
      };
    },
  };
}
