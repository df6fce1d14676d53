import { qualityTrendRepository } from "./quality/quality-trend.repository.ts";
import path from "node:path";
import { mkdirSync } from "node:fs";
import type { Config } from "./config.ts";
import type { Db } from "./db/prisma.ts";
import type { Deps } from "./http/deps.ts";
import { pipelineRepository } from "./pipelines/pipeline.repository.ts";
import { DEFAULT_CONNECTION_POLICY } from "@sluice/engine";
import { connectionRepository } from "./connections/connection.repository.ts";
import { rateLimiter } from "./http/rate-limit.ts";
import { createSecretBox } from "./connections/secret-box.ts";
import { dataFileRepository } from "./files/data-file.repository.ts";
import { validationFacade } from "./pipelines/validation.facade.ts";
import { runRepository } from "./runs/run.repository.ts";
import { watermarkRepository } from "./watermarks/watermark.repository.ts";
import { startRunQueue } from "./runs/run-queue.ts";
import { runService } from "./runs/run.service.ts";
import { sinkRowsReader } from "./runs/sink-rows.ts";
import { startRunWorker } from "./runs/run-worker.ts";
import { startRunReaper } from "./runs/run-reaper.ts";
import { scratchSweeper } from "./scratch/scratch-sweeper.ts";
import { duckdbRunExecutor } from "./runs/duckdb-run-executor.ts";
import { previewFacade } from "./preview/preview.facade.ts";
import { scheduleRepository } from "./schedules/schedule.repository.ts";
import { backfillRepository } from "./backfills/backfill.repository.ts";
import { backfillService } from "./backfills/backfill.service.ts";
import { startScheduler } from "./schedules/scheduler.ts";
import { tokenRepository } from "./tokens/token.repository.ts";
import { triggerRepository } from "./triggers/trigger.repository.ts";
import { fileWatchRepository } from "./triggers/file-watch.repository.ts";
import { runHistoryRepository } from "./runs/run-history.repository.ts";
import { startDependents } from "./triggers/start-dependents.ts";
import { userRepository } from "./auth/user.repository.ts";
import { setupCode } from "./auth/setup-code.ts";
import { sessionRepository } from "./auth/session.repository.ts";
import { workspaceRepository } from "./workspaces/workspace.repository.ts";
import { memberRepository } from "./workspaces/member.repository.ts";
import { invitationRepository } from "./workspaces/invitation.repository.ts";
import { smtpInvitationMailer } from "./workspaces/invitation-mailer.ts";
import { auditLogRepository } from "./audit/audit-log.repository.ts";
import { signInLimits, DEFAULT_SIGN_IN_LIMITS } from "./auth/sign-in-limits.ts";
import { ssoProvider } from "./auth/sso/sso-provider.ts";
import { startOpenLineage } from "./openlineage/openlineage-runtime.ts";
import type { DeliveryLimits } from "./openlineage/openlineage-delivery.ts";
import { appVersion } from "./version.ts";
import { notificationChannelRepository } from "./notifications/notification-channel.repository.ts";
import { notificationRunRepository } from "./notifications/notification-run.repository.ts";
import { notificationSenders } from "./notifications/notification-senders.ts";
import { startNotifier } from "./notifications/notifier.ts";
import { DEFAULT_NODE_OUTPUTS, sweepNodeOutputs } from "./runs/node-outputs.ts";

export type RuntimeConfig = Pick<
  Config,
  "dataDir" | "uploadBytes" | "runTimeoutSeconds" | "duckdbMemoryLimit" | "duckdbThreads" | "sinkParallelism" | "httpAllowlist"
> &
  // Defaults as in config.ts: private networks but not link-local or metadata addresses; 10 tests a minute.
  Partial<Pick<Config, "connectionPolicy" | "connectionTestsPerMinute" | "publicUrl" | "sessions" | "signInLimits" | "sso" | "invitations" | "openLineage" | "host" | "port" | "nodeOutputs">>;

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
  /**
   * Tests shorten liveness timings to see a lost worker within seconds. processStaleSeconds: how long another
   * process's preview and spill folders may go untouched before a sweep takes them as dead (default 300).
   * stopGraceMs: how long stop() waits for an in-flight run to wind down (default 8 s). pollingIntervalSeconds:
   * how often the worker polls the queue besides being woken by each queued run (default 0.5).
   */
  worker?: { heartbeatMs?: number; staleSeconds?: number; processStaleSeconds?: number; stopGraceMs?: number; pollingIntervalSeconds?: number };
  /** Notification retry waits (default 2, 10, 60 s) and how often worker processes look for long runs (default 30 s); tests shorten them. */
  notifications?: { retryDelaysMs?: number[]; longRunningCheckMs?: number };
  /** OpenLineage delivery's retry delays and limits (see openlineage-delivery.ts); tests shorten them. */
  openLineageDelivery?: Partial<DeliveryLimits>;
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
export async function createRuntime(o: RuntimeOptions): Promise<{ deps: Deps; stop(why?: string): Promise<void> }> {
  const folders = dataFolders(o.config.dataDir);
  const repository = runRepository(o.db);
  const watermarks = watermarkRepository(o.db);
  // Previews and DuckDB spill go to this process's own folders, so a sweep can tell when their owner is gone.
  const scratch = scratchSweeper({
    folders,
    runningAttempts: repository.runningAttempts,
    processStaleMs: (o.worker?.processStaleSeconds ?? 300) * 1000,
    log: o.log,
  });
  // Not awaited by the reaper or the worker: a long first sweep must delay neither a verdict nor the next run.
  const sweepSoon = (outputsOf?: string[] | "all") => void scratch.sweep(outputsOf).catch((e: Error) => o.log(`sweeping scratch failed: ${e.message}`));
  const pipelines = pipelineRepository(o.db);
  // Every database connection is opened with settings from resolve(), which carry this policy to connectPostgres.
  const connections = connectionRepository(o.db, createSecretBox(o.secretKey), o.config.connectionPolicy ?? DEFAULT_CONNECTION_POLICY);
  const files = dataFileRepository(o.db, folders.files);
  const httpGuard = { allowlist: o.config.httpAllowlist };
  const validation = validationFacade({ pipelines, files, connections, httpGuard });
  const engineOptions = {
    allowedDirectories: [folders.files, folders.outputs, folders.work],
    spillDirectory: scratch.own.spill,
    memoryLimit: o.config.duckdbMemoryLimit,
    threads: o.config.duckdbThreads,
    sinkParallelism: o.config.sinkParallelism,
  };
  const previews = previewFacade({ validation, connections, httpGuard, workDir: scratch.own.work, engine: engineOptions });
  const queue = await startRunQueue(o.databaseUrl, { runTimeoutSeconds: o.config.runTimeoutSeconds, log: o.log });
  const notificationChannels = notificationChannelRepository(o.db, createSecretBox(o.secretKey));
  const senders = notificationSenders({ httpGuard, smtp: o.config.invitations?.smtp });
  const notifier = startNotifier({
    channels: notificationChannels,
    runs: notificationRunRepository(o.db),
    senders,
    // The run's link: PUBLIC_URL, else the address this server listens on.
    appUrl: o.config.publicUrl ?? `http://${!o.config.host || o.config.host === "0.0.0.0" || o.config.host === "::" ? "localhost" : o.config.host}:${o.config.port ?? 3000}`,
    log: o.log,
    ...(o.notifications?.retryDelaysMs ? { retryDelaysMs: o.notifications.retryDelaysMs } : {}),
    // Worker processes look for long runs; a claimed delivery makes each go out once across them.
    longRunningCheckMs: o.startWorker ? (o.notifications?.longRunningCheckMs ?? 30_000) : 0,
  });
  const workspaces = workspaceRepository(o.db);
  // Workers send their runs' events; any process's reaper sends the FAIL of a run whose worker was lost.
  const openLineage = o.config.openLineage
    ? startOpenLineage({ settings: o.config.openLineage, runs: repository, workspaces, connections, version: o.version ?? appVersion, log: o.log, limits: o.openLineageDelivery })
    : undefined;
  const reaper = startRunReaper({
    repository,
    queue,
    staleSeconds: o.worker?.staleSeconds ?? 30,
    log: o.log,
    // Each tick also sweeps dead scratch: at start everything a killed process left, later the reaped runs' too.
    afterTick: async (reaped, first) => {
      for (const id of reaped) openLineage?.observer.lost(id);
      for (const id of reaped) notifier.runEnded(id);
      scratch.touch();
      sweepSoon(first ? "all" : reaped);
    },
  });
  const sinkRows = sinkRowsReader({ repository, connections, outputsDir: folders.outputs, engine: engineOptions });
  const nodeOutputs = o.config.nodeOutputs ?? DEFAULT_NODE_OUTPUTS;
  const runs = runService({ db: o.db, repository, queue, outputsDir: folders.outputs, nodeOutputs, sinkRows, checkRunnable: validation.checkRunnable });
  const triggers = triggerRepository(o.db);
  const worker = o.startWorker
    ? await startRunWorker({
        queue,
        repository,
        executor: duckdbRunExecutor({ validation, connections, httpGuard, folders, engine: engineOptions, watermarks, nodeOutputs }),
        workerId: o.workerId,
        log: o.log,
        runTimeoutMs: o.config.runTimeoutSeconds * 1000,
        onSucceeded: (run) => startDependents({ run, triggers, runs, pipelines, repository }),
        onEnded: (runId) => notifier.runEnded(runId),
        afterRun: async () => {
          sweepSoon();
          // Node outputs past their retention go after any run; runs executing now keep theirs.
          const live = new Set((await repository.runningAttempts()).map((r) => r.id));
          const removed = await sweepNodeOutputs(folders.outputs, nodeOutputs.retentionMs, live);
          if (removed.length) o.log(`removed the node outputs of ${removed.length} run(s) kept longer than ${nodeOutputs.retentionMs / 86_400_000} days`);
        },
        ...(openLineage ? { observer: openLineage.observer } : {}),
        ...(o.worker?.heartbeatMs ? { heartbeatMs: o.worker.heartbeatMs } : {}),
        ...(o.worker?.stopGraceMs ? { stopGraceMs: o.worker.stopGraceMs } : {}),
        ...(o.worker?.pollingIntervalSeconds ? { pollingIntervalSeconds: o.worker.pollingIntervalSeconds } : {}),
      })
    : undefined;
  const schedules = scheduleRepository(o.db);
  const backfills = backfillRepository(o.db);
  // Every worker process checks schedules; the slot claim makes each slot fire once across them.
  const scheduler = o.startWorker ? startScheduler({ schedules, runs, log: o.log, tickMs: o.schedulerTickMs ?? 5000 }) : undefined;
  const publicHttps = o.config.publicUrl !== undefined && o.config.publicUrl.startsWith("https:");
  const sessions = sessionRepository(o.db, o.config.sessions ?? { idleMs: 7 * 24 * 3_600_000, maxMs: 30 * 24 * 3_600_000 });
  // Ended sessions are refused when presented; this only keeps the table from growing with them.
  const sessionSweep = setInterval(() => void sessions.sweep().catch((e: Error) => o.log(`removing ended sessions failed: ${e.message}`)), 3_600_000);
  sessionSweep.unref();
  const deps: Deps = {
    transaction: (change) => o.db.$transaction(change),
    auth: {
      accounts: {
        db: o.db,
        users: userRepository(o.db),
        sessions,
        workspaces,
        https: (req) => req.secure || publicHttps,
      },
      limits: signInLimits(o.config.signInLimits ?? DEFAULT_SIGN_IN_LIMITS),
      setupCode: setupCode(),
      sso: o.config.sso ? ssoProvider(o.config.sso, { secretKey: o.secretKey, publicUrl: o.config.publicUrl, log: o.log }) : null,
    },
    workspaces,
    members: memberRepository(o.db),
    invitations: {
      repository: invitationRepository(o.db),
      days: o.config.invitations?.days ?? 7,
      mailer: o.config.invitations?.smtp ? smtpInvitationMailer(o.config.invitations.smtp) : null,
      publicUrl: o.config.publicUrl,
    },
    audit: auditLogRepository(o.db),
    pipelines,
    connections,
    files,
    runs,
    previews,
    validation,
    schedules,
    backfills: { repository: backfills, service: backfillService({ backfills, runs, checkRunnable: validation.checkRunnable }) },
    tokens: tokenRepository(o.db),
    triggers,
    fileWatches: fileWatchRepository(o.db),
    runHistory: runHistoryRepository(o.db),
    quality: qualityTrendRepository(o.db),
    watermarks,
    notifications: { channels: notificationChannels, notifier, senders, httpGuard },
    limits: { uploadBytes: o.config.uploadBytes, connectionTests: rateLimiter(o.config.connectionTestsPerMinute ?? 10) },
    database: { kind: o.databaseKind ?? "external" },
    version: o.version ?? "dev",
    log: o.log,
  };
  return {
    deps,
    /** Stops the in-flight run (marked failed, saying `why`, e.g. "SIGTERM"), then everything else, then removes this process's scratch. */
    async stop(why?: string) {
      clearInterval(sessionSweep);
      await reaper.stop();
      await scheduler?.stop();
      await worker?.stop(why);
      // Up to 5 s for the last runs' events (each needs a few queries, then a POST). With the run's 8 s grace, the
      // notifier's 5 s and the queue's 10 s, a worker still exits within the 30 s worker-main gives it.
      await openLineage?.stop(5000);
      await notifier.stop();
      await previews.close();
      await queue.stop();
      await scratch.sweep().catch((e: Error) => o.log(`sweeping scratch at stop failed: ${e.message}`));
      scratch.removeOwn();
    },
  };
}
