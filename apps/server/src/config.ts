import path from "node:path";
import { z } from "zod";
import { hostListEntryProblem, type AddressPolicy } from "@sluice/engine";
import { trustProxySetting } from "./http/trust-proxy.ts";
import { networkPolicy, type NetworkPolicy } from "./http/network-policy.ts";
import { readInvitationSettings, type InvitationSettings } from "./workspaces/invitation-settings.ts";
import { readSsoSettings, type SsoSettings } from "./auth/sso/sso-settings.ts";
import { readOpenLineageSettings, type OpenLineageSettings } from "./openlineage/openlineage-settings.ts";

const splitList = (value: string) => value.split(",").map((x) => x.trim()).filter(Boolean);

export const repoRoot = path.resolve(import.meta.dirname, "../../..");

/** Comma-separated host names, IP addresses or CIDR ranges, each checked as ipaddr.js reads it. */
const hostList = z
  .string()
  .default("")
  .superRefine((value, ctx) => {
    for (const entry of splitList(value)) {
      const problem = hostListEntryProblem(entry);
      if (problem) ctx.addIssue({ code: "custom", message: problem });
    }
  });

/** Compose files pass unset variables as "" (`${X:-}`): those count as not set. */
const unsetWhenEmpty = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (v === "" ? undefined : v), schema);

const envSchema = z.object({
  DATABASE_URL: z.string().min(1).optional(),
  /** The built-in warehouse's database and user; unset: Sluice makes its own (see warehouse-provisioner.ts). */
  WAREHOUSE_URL: z
    .string()
    .min(1)
    .refine((v) => URL.canParse(v) && /^postgres(ql)?:$/.test(new URL(v).protocol), "a postgresql:// URL, e.g. postgresql://user:password@host:5432/database")
    .optional(),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /** Loopback by default; `0.0.0.0` to serve a team (behind HTTPS: see docs/security.md). */
  HOST: z.string().min(1).default("127.0.0.1"),
  DATA_DIR: z.string().min(1).default(path.join(repoRoot, ".data")),
  /** Extra origins (comma-separated) allowed to make state-changing requests, e.g. a Vite dev server. */
  ALLOWED_ORIGINS: z.string().default(""),
  /** Names (comma-separated, `name` or `name:port`) besides loopback ones that requests may address this server by. */
  ALLOWED_HOSTS: z.string().default(""),
  /** The address people and the CLI use to reach this server (e.g. behind a proxy); its host and origin are allowed. */
  PUBLIC_URL: z.string().optional(),
  BODY_LIMIT: z.string().default("2mb"),
  SEED_DEMO: z.enum(["true", "false"]).default("true"),
  SLUICE_SECRET_KEY: z.string().optional(),
  UPLOAD_LIMIT_MB: z.coerce.number().positive().default(2048),
  RUN_TIMEOUT_SECONDS: z.coerce.number().int().positive().default(3600),
  /** How long a run's heartbeat may stop before any live process fails it; at most 44, so that happens within 60 s. */
  RUN_STALE_SECONDS: z.coerce.number().int().min(2).max(44).default(30),
  /** e.g. "4GB"; default: DuckDB's own (80% of RAM) capped by the engine. */
  DUCKDB_MEMORY_LIMIT: z.string().optional(),
  DUCKDB_THREADS: z.coerce.number().int().positive().optional(),
  SINK_PARALLELISM: z.coerce.number().int().min(1).max(4).default(1),
  /** How long a run's node outputs are kept for resuming it (docs/resume.md). */
  RUN_OUTPUTS_RETENTION_DAYS: z.coerce.number().positive().default(7),
  /** One run's node outputs above this many MB are not kept: such a run cannot be resumed. */
  RUN_OUTPUTS_MAX_MB: z.coerce.number().positive().default(10240),
  /** Hosts or CIDRs the HTTP source may reach even though they are private or loopback. */
  HTTP_SOURCE_ALLOWLIST: hostList,
  /**
   * What database connections may reach: "private" (private networks and loopback too, never link-local or
   * cloud metadata addresses) or "public" (public addresses only, for servers whose users must not reach its network).
   */
  CONNECTION_ADDRESS_POLICY: z.enum(["private", "public"]).default("private"),
  /** Hosts or CIDRs database connections may reach even though the policy refuses them. */
  CONNECTION_ALLOWLIST: hostList,
  /** Hosts or CIDRs database connections may never reach, even when allowlisted. */
  CONNECTION_DENYLIST: hostList,
  /** Connection tests each client may start per minute (a test would otherwise tell open ports from closed ones quickly). */
  CONNECTION_TESTS_PER_MINUTE: z.coerce.number().int().min(1).max(10_000).default(10),
  /** Run a worker inside the server process (default); set false when dedicated workers do all runs. */
  RUN_WORKER: z.enum(["true", "false"]).default("true"),
  /** Express's `trust proxy`: which proxies' X-Forwarded-For names the client (audit log, sign-in limits), e.g. "loopback" or 1. */
  TRUST_PROXY: unsetWhenEmpty(
    z
      .string()
      .optional()
      .superRefine((v, ctx) => {
        if (v === undefined) return;
        try {
          trustProxySetting(v);
        } catch (e) {
          ctx.addIssue({ code: "custom", message: (e as Error).message });
        }
      }),
  ),
  /** A session not used for this long ends. */
  SESSION_IDLE_HOURS: z.coerce.number().positive().max(24 * 365).default(7 * 24),
  /** A session ends this long after sign-in, however busy. */
  SESSION_MAX_HOURS: z.coerce.number().positive().max(24 * 365).default(30 * 24),
  /** Headless first start (Docker, CI): the owner account, created when no account exists. */
  SLUICE_OWNER_EMAIL: unsetWhenEmpty(z.string().optional()),
  SLUICE_OWNER_PASSWORD: unsetWhenEmpty(z.string().optional()),
  /** Accepted as an owner API token of the Default workspace (stored hashed), so automation can provision an install. */
  SLUICE_OWNER_TOKEN: unsetWhenEmpty(
    z.string().min(32, "SLUICE_OWNER_TOKEN must be at least 32 characters").regex(/^[A-Za-z0-9._~+/-]+=*$/, "SLUICE_OWNER_TOKEN may hold letters, digits and . _ ~ + / - only").optional(),
  ),
  /** Sign-in failures allowed per account and per address within SIGN_IN_WINDOW_MINUTES. */
  SIGN_IN_FAILURES_PER_ACCOUNT: z.coerce.number().int().min(1).max(10_000).default(10),
  SIGN_IN_FAILURES_PER_ADDRESS: z.coerce.number().int().min(1).max(100_000).default(50),
  SIGN_IN_WINDOW_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(15),
});

export interface Config {
  databaseUrl: string | undefined;
  warehouseUrl: string | undefined;
  port: number;
  host: string;
  dataDir: string;
  /** Host names and origins this server answers to, from HOST, PUBLIC_URL, ALLOWED_HOSTS and ALLOWED_ORIGINS. */
  network: NetworkPolicy;
  bodyLimit: string;
  seedDemo: boolean;
  secretKey: string | undefined;
  uploadBytes: number;
  runTimeoutSeconds: number;
  runStaleSeconds: number;
  duckdbMemoryLimit: string | undefined;
  duckdbThreads: number | undefined;
  sinkParallelism: number;
  /** RUN_OUTPUTS_RETENTION_DAYS and RUN_OUTPUTS_MAX_MB: node outputs kept for resuming runs (runs/node-outputs.ts). */
  nodeOutputs: { retentionMs: number; maxBytes: number };
  httpAllowlist: string[];
  /** Where database connections may go (CONNECTION_ADDRESS_POLICY, CONNECTION_ALLOWLIST, CONNECTION_DENYLIST). */
  connectionPolicy: AddressPolicy;
  connectionTestsPerMinute: number;
  runWorker: boolean;
  /** PUBLIC_URL as given, e.g. for invite links and the SSO callback. */
  publicUrl: string | undefined;
  trustProxy: string | undefined;
  sessions: { idleMs: number; maxMs: number };
  owner: { email: string | undefined; password: string | undefined; token: string | undefined };
  signInLimits: { perAccount: number; perAddress: number; windowMinutes: number };
  /** How long invitation links work (INVITATION_DAYS) and the SMTP server that mails them (SMTP_URL, SMTP_FROM). */
  invitations: InvitationSettings;
  /** Single sign-on (OIDC_* variables, read in auth/sso/sso-settings.ts); undefined when OIDC_ISSUER is unset. */
  sso: SsoSettings | undefined;
  /** Where run events go in OpenLineage's format (OPENLINEAGE_*, read in openlineage/openlineage-settings.ts); undefined when OPENLINEAGE_URL is unset. */
  openLineage: OpenLineageSettings | undefined;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  const sso = readSsoSettings(env);
  const openLineage = readOpenLineageSettings(env);
  if (!parsed.success || sso.problems.length || openLineage.problems.length) {
    const problems = [...(parsed.error?.issues.map((i) => `${i.path.join(".")}: ${i.message}`) ?? []), ...sso.problems, ...openLineage.problems].join("; ");
    throw new Error(`Invalid environment: ${problems}`);
  }
  const e = parsed.data;
  let network: NetworkPolicy;
  try {
    network = networkPolicy({ listenHost: e.HOST, publicUrl: e.PUBLIC_URL, allowedHosts: splitList(e.ALLOWED_HOSTS), allowedOrigins: splitList(e.ALLOWED_ORIGINS) });
  } catch (err) {
    throw new Error(`Invalid environment: ${(err as Error).message}`);
  }
  return {
    databaseUrl: e.DATABASE_URL,
    warehouseUrl: e.WAREHOUSE_URL,
    port: e.PORT,
    host: e.HOST,
    dataDir: path.resolve(e.DATA_DIR),
    network,
    bodyLimit: e.BODY_LIMIT,
    seedDemo: e.SEED_DEMO === "true",
    secretKey: e.SLUICE_SECRET_KEY,
    uploadBytes: Math.round(e.UPLOAD_LIMIT_MB * 1024 * 1024),
    runTimeoutSeconds: e.RUN_TIMEOUT_SECONDS,
    runStaleSeconds: e.RUN_STALE_SECONDS,
    duckdbMemoryLimit: e.DUCKDB_MEMORY_LIMIT,
    duckdbThreads: e.DUCKDB_THREADS,
    sinkParallelism: e.SINK_PARALLELISM,
    nodeOutputs: { retentionMs: e.RUN_OUTPUTS_RETENTION_DAYS * 86_400_000, maxBytes: Math.round(e.RUN_OUTPUTS_MAX_MB * 1024 * 1024) },
    httpAllowlist: splitList(e.HTTP_SOURCE_ALLOWLIST),
    connectionPolicy: { reach: e.CONNECTION_ADDRESS_POLICY, allowlist: splitList(e.CONNECTION_ALLOWLIST), denylist: splitList(e.CONNECTION_DENYLIST) },
    connectionTestsPerMinute: e.CONNECTION_TESTS_PER_MINUTE,
    runWorker: e.RUN_WORKER === "true",
    publicUrl: e.PUBLIC_URL,
    trustProxy: e.TRUST_PROXY,
    sessions: { idleMs: e.SESSION_IDLE_HOURS * 3_600_000, maxMs: e.SESSION_MAX_HOURS * 3_600_000 },
    owner: { email: e.SLUICE_OWNER_EMAIL, password: e.SLUICE_OWNER_PASSWORD, token: e.SLUICE_OWNER_TOKEN },
    signInLimits: { perAccount: e.SIGN_IN_FAILURES_PER_ACCOUNT, perAddress: e.SIGN_IN_FAILURES_PER_ADDRESS, windowMinutes: e.SIGN_IN_WINDOW_MINUTES },
    invitations: readInvitationSettings(env),
    sso: sso.settings,
    openLineage: openLineage.settings,
  };
}
