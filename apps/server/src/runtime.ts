import { qualityTrendRepository } from "./quality/quality-trend.repository.ts";
import path from "node:path";
import { mkdirSync } from "node:fs";
import type { Config } from "./config.ts";
import type { Db } from "./db/prisma.ts";
import type { Deps } from "./http/deps.ts";
import { pipelineRepository } from "./pipelines/pipeline.repository.ts";
import { connectionRepository } from "./connections/connection.repository.ts";
import { createSecretBox } from "./connections/secret-box.ts";
import { dataFileRepository } from "./files/data-file.repository.ts";
import { validationFacade } from "./pipelines/validation.facade.ts";
import { runRepository } from "./runs/run.repository.ts";
import { startRunQueue } from "./runs/run-queue.ts";
import { runService } from "./runs/run.service.ts";
import { startRunWorker } from "./runs/run-worker.ts";
import { startRunReaper } from "./runs/run-reaper.ts";
import { duckdbRunExecutor } from "./runs/duckdb-run-executor.ts";
import { previewFacade } from "./preview/preview.facade.ts";
import { scheduleRepository } from "./schedules/schedule.repository.ts";
import { startScheduler } from "./schedules/scheduler.ts";
import { tokenRepository } from "./tokens/token.repository.ts";
import { triggerRepository } from "./triggers/trigger.repository.ts";
import { startDependents } from "./triggers/start-dependents.ts";

export type RuntimeConfig = Pick<
  Config,
  "dataDir" | "uploadBytes" | "runTimeoutSeconds" | "duckdbMemoryLimit" | "duckdbThreads" | "sinkParallelism" | "httpAllowlist"
>;

export interface RuntimeOptions {
  db: Db;
  databaseUrl: string;
  databaseKind?: "embedded" | "external";
  config: RuntimeConfig;
  secretKey: Buffer;
  workerId: string;
  startWorker: boolean;
  version?: string;
  log: (m: string) => void;
  /** Tests shorten liveness timings to see a lost worker within seconds. */
  worker?: { heartbeatMs?: number; staleSeconds?: number };
  /** How often worker processes check schedules (default 5 s); tests shorten it. */
  schedulerTickMs?: number;
}

/** Data folders under DATA_DIR; DuckDB is only ever allowed to touch these. */
export function dataFolders(dataDir: string) {
  const folders = {
    files: path.join(dataDir, "files"),
    outputs: path.join(dataDir, "outputs"),
    work: path.join(dataDir, "work"),
    spill: path.join(dataDir, "spill"),
  };
  for (const dir of Object.values(folders)) mkdirSync(dir, { recursive: true });
  return folders;
}

/** Builds everything the server and workers use, in one place, for production and tests alike. */
export async function createRuntime(o: RuntimeOptions): Promise<{ deps: Deps; stop(): Promise<void> }> {
  const folders = dataFolders(o.config.dataDir);
  const pipelines = pipelineRepository(o.db);
  const connections = connectionRepository(o.db, createSecretBox(o.secretKey));
  const files = dataFileRepository(o.db, folders.files);
  const httpGuard = { allowlist: o.config.httpAllowlist };
  const validation = validationFacade({ pipelines, files, connections, httpGuard });
  const engineOptions = {
    allowedDirectories: [folders.files, folders.outputs, folders.work],
    spillDirectory: folders.spill,
    memoryLimit: o.config.duckdbMemoryLimit,
    threads: o.config.duckdbThreads,
    sinkParallelism: o.config.sinkParallelism,
  };
  const previews = previewFacade({ validation, connections, httpGuard, workDir: folders.work, engine: engineOptions });
  const repository = runRepository(o.db);
  const queue = await startRunQueue(o.databaseUrl, { runTimeoutSeconds: o.config.runTimeoutSeconds, log: o.log });
  const reaper = startRunReaper({ repository, queue, staleSeconds: o.worker?.staleSeconds ?? 30, log: o.log });
  const runs = runService({ repository, queue, outputsDir: folders.outputs, checkRunnable: validation.checkRunnable });
  const triggers = triggerRepository(o.db);
  const worker = o.startWorker
    ? await startRunWorker({
        db: o.db,
        queue,
        repository,
        executor: duckdbRunExecutor({ validation, connections, httpGuard, folders, engine: engineOptions }),
        workerId: o.workerId,
        log: o.log,
        runTimeoutMs: o.config.runTimeoutSeconds * 1000,
        onSucceeded: (run) => startDependents({ run, triggers, runs, pipelines, repository }),
        ...(o.worker?.heartbeatMs ? { heartbeatMs: o.worker.heartbeatMs } : {}),
      })
    : undefined;
  const schedules = scheduleRepository(o.db);
  // Every worker process checks schedules; the slot claim makes each slot fire once across them.
  const scheduler = o.startWorker ? startScheduler({ schedules, runs, log: o.log, tickMs: o.schedulerTickMs ?? 5000 }) : undefined;
  const deps: Deps = {
    pipelines,
    connections,
    files,
    runs,
    previews,
    validation,
    schedules,
    tokens: tokenRepository(o.db),
    triggers,
    quality: qualityTrendRepository(o.db),
    limits: { uploadBytes: o.config.uploadBytes },
    database: { kind: o.databaseKind ?? "external" },
    version: o.version ?? "dev",
    log: o.log,
  };
  return {
    deps,
    async stop() {
      reaper.stop();
      await scheduler?.stop();
      await worker?.stop();
      await previews.close();
      await queue.stop();
    },
  };
}
