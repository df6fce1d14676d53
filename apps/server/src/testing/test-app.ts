import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { AddressPolicy } from "@sluice/engine";
import { createApp } from "../http/app.ts";
import express from "express";
import type { Role } from "@sluice/model";
import { createOwner } from "../auth/accounts.ts";
import { requireSetupCode } from "../auth/provision-owner.ts";
import type { SsoSettings } from "../auth/sso/sso-settings.ts";
import { hashPassword } from "../auth/passwords.ts";
import { DEFAULT_WORKSPACE_ID } from "../workspaces/workspace.repository.ts";
import type { InvitationSettings } from "../workspaces/invitation-settings.ts";
import type { OpenLineageSettings } from "../openlineage/openlineage-settings.ts";
import { networkPolicy, type NetworkSettings } from "../http/network-policy.ts";
import { createPrisma, type Db } from "../db/prisma.ts";
import type { Deps } from "../http/deps.ts";
import { createRuntime, type RuntimeOptions } from "../runtime.ts";
import { createTestDatabase, type TestDatabase } from "./test-database.ts";
import { dropWarehouse } from "./test-warehouse.ts";
import { startBuiltInWarehouse } from "../warehouse/built-in-warehouse.ts";
import type { SignInLimitSettings } from "../auth/sign-in-limits.ts";
import type { WarehouseState } from "../warehouse/warehouse-settings.ts";

export interface TestApp {
  /**
   * The app as the owner's API token sees it: a request that brings no Authorization and no Cookie of its own is
   * sent with the owner token of the Default workspace, so tests of features need not sign in each time. Tests of
   * who may do what use `bareApp` (nothing added) with `tokenFor` or `signIn`.
   */
  app: express.Express;
  /** The real app, with nothing added to requests. */
  bareApp: ReturnType<typeof createApp>;
  /** The owner account of the Default workspace, created as on first start. */
  owner: { id: string; email: string; password: string; token: string };
  /** A new API token with `role` in `workspaceId` (Default unless said). */
  tokenFor(role: Role, workspaceId?: string): Promise<string>;
  /** A new person with `role` in `workspaceId` (Default unless said); the password is "correct horse battery". */
  person(role: Role, workspaceId?: string): Promise<{ id: string; email: string; password: string }>;
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

export interface TestAppOptions {
  bodyLimit?: string;
  uploadBytes?: number;
  startWorker?: boolean;
  worker?: RuntimeOptions["worker"];
  /** Notification retry waits and the long-run check's period (see runtime.ts). */
  notifications?: RuntimeOptions["notifications"];
  httpAllowlist?: string[];
  secretKey?: Buffer;
  runTimeoutSeconds?: number;
  /** RUN_OUTPUTS_RETENTION_DAYS and RUN_OUTPUTS_MAX_MB, as ms and bytes (7 days and 10 GiB unless said). */
  nodeOutputs?: { retentionMs: number; maxBytes: number };
  schedulerTickMs?: number;
  trustProxy?: string;
  /** HOST, PUBLIC_URL (an https one also makes the session cookie Secure), ALLOWED_HOSTS, ALLOWED_ORIGINS. */
  network?: NetworkSettings;
  metadataOwner?: "admin" | "unprivileged";
  warehouseUrl?: string;
  connectionPolicy?: AddressPolicy;
  connectionTestsPerMinute?: number;
  /** Sign-in failures allowed (generous unless said, so no test meets the limit by accident). */
  signInLimits?: SignInLimitSettings;
  /** false: a fresh install with no account yet (no owner, no owner token; `app` adds nothing). */
  withOwner?: boolean;
  /** Single sign-on settings (OIDC_*), e.g. pointing at startOidcTestProvider's issuer; none unless said. */
  sso?: SsoSettings;
  /** INVITATION_DAYS (7 unless said) and SMTP_URL/SMTP_FROM (none unless said: links are only copied). */
  invitations?: Partial<InvitationSettings>;
  /** OPENLINEAGE_*: where the worker sends run events (e.g. a receiver from lineage-receiver.ts); none unless said. */
  openLineage?: OpenLineageSettings;
  /** Shorter OpenLineage retry delays (see runtime.ts). */
  openLineageDelivery?: RuntimeOptions["openLineageDelivery"];
}

/** An install before its first account: what owner setup and first-start provisioning see. */
export type FreshTestApp = Omit<TestApp, "owner">;

/**
 * The real app on a fresh, migrated database with its own data folder; nothing is mocked. The built-in
 * warehouse is set up as at server start with an external DATABASE_URL: a database and a role of its own
 * (dropped again by close), or, with `metadataOwner: "unprivileged"`, turned off for want of rights.
 */
export async function createTestApp(options: TestAppOptions & { withOwner: false }): Promise<FreshTestApp>;
export async function createTestApp(options?: TestAppOptions): Promise<TestApp>;
export async function createTestApp(options: TestAppOptions = {}): Promise<TestApp | FreshTestApp> {
  const database = await createTestDatabase({ owner: options.metadataOwner ?? "admin" });
  const secretKey = options.secretKey ?? randomBytes(32);
  const db = createPrisma(database.url);
  const logs: string[] = [];
  const dataDir = mkdtempSync(path.join(tmpdir(), "sluice-test-data-"));
  /** Everything but the runtime, also when setting up failed part way (a busy machine): no folder or database is left. */
  const cleanUp = async () => {
    try {
      await db.$disconnect();
      await dropWarehouse(database.name);
      await database.drop();
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  };
  let stop: (() => Promise<void>) | undefined;
  try {
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
        publicUrl: options.network?.publicUrl,
        signInLimits: options.signInLimits ?? { perAccount: 1000, perAddress: 10_000, windowMinutes: 15 },
        ...(options.sso ? { sso: options.sso } : {}),
        invitations: { days: options.invitations?.days ?? 7, smtp: options.invitations?.smtp },
        ...(options.openLineage ? { openLineage: options.openLineage } : {}),
        ...(options.nodeOutputs ? { nodeOutputs: options.nodeOutputs } : {}),
      },
      secretKey,
      workerId: `test-${randomBytes(3).toString("hex")}`,
      startWorker: options.startWorker ?? false,
      version: "test",
      log: (m) => logs.push(m),
      ...(options.worker ? { worker: options.worker } : {}),
      ...(options.notifications ? { notifications: options.notifications } : {}),
      ...(options.schedulerTickMs ? { schedulerTickMs: options.schedulerTickMs } : {}),
      ...(options.openLineageDelivery ? { openLineageDelivery: options.openLineageDelivery } : {}),
    });
    stop = () => runtime.stop();
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
      // As the default install: loopback only.
      network: networkPolicy(options.network ?? { listenHost: "127.0.0.1" }),
      ...(options.trustProxy ? { trustProxy: options.trustProxy } : {}),
    });
    let people = 0;
    const common = {
      bareApp: app,
      tokenFor: async (role: Role, workspaceId = DEFAULT_WORKSPACE_ID) =>
        (await runtime.deps.tokens.create(db, { workspaceId, name: `test ${role} ${++people}`, role, createdBy: null })).token,
      person: async (role: Role, workspaceId = DEFAULT_WORKSPACE_ID) => {
        const password = "correct horse battery";
        const user = await db.user.create({ data: { email: `${role}${++people}@sluice.test`, name: `${role} ${people}`, passwordHash: await hashPassword(password) } });
        await db.membership.create({ data: { workspaceId, userId: user.id, role } });
        return { id: user.id, email: user.email, password };
      },
      deps: runtime.deps,
      db,
      database,
      warehouse,
      secretKey,
      dataDir,
      logs,
      close: async () => {
        try {
          await runtime.stop();
        } finally {
          await cleanUp();
        }
      },
    };
    if (options.withOwner === false) {
      // As at server start: a fresh install served on a network asks for the setup code from its log.
      await requireSetupCode(runtime.deps, networkPolicy(options.network ?? { listenHost: "127.0.0.1" }).onNetwork, (m) => logs.push(m));
      return { ...common, app: express().use(app) };
    }
    const ownerPassword = "owner password, long enough";
    const ownerUser = await createOwner(runtime.deps.auth.accounts, { email: "owner@sluice.test", name: "Owner", password: ownerPassword }, null);
    // Made by no person, like SLUICE_OWNER_TOKEN: a test that demotes or removes the owner must not revoke the
    // token `app` sends on its behalf.
    const ownerToken = (await runtime.deps.tokens.create(db, { workspaceId: DEFAULT_WORKSPACE_ID, name: "test owner", role: "owner", createdBy: null })).token;
    const withOwnerToken = express();
    withOwnerToken.use((req, _res, next) => {
      if (req.headers.authorization === undefined && req.headers.cookie === undefined) req.headers.authorization = `Bearer ${ownerToken}`;
      next();
    });
    withOwnerToken.use(app);
    return {
      ...common,
      app: withOwnerToken,
      owner: { id: ownerUser.id, email: ownerUser.email, password: ownerPassword, token: ownerToken },
    };
  } catch (e) {
    await stop?.().catch(() => undefined);
    await cleanUp().catch(() => undefined);
    throw e;
  }
}

function warehouseUrl(state: WarehouseState): string {
  const s = state.settings;
  const u = new URL(`postgresql://${s.host}:${s.port}`);
  u.pathname = `/${encodeURIComponent(s.database)}`;
  u.username = encodeURIComponent(s.user);
  if (state.available) u.password = encodeURIComponent(state.password);
  return u.toString();
}
