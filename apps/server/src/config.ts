import path from "node:path";
import { z } from "zod";
import { tokensRequired } from "./tokens/trigger-auth.ts";

export const repoRoot = path.resolve(import.meta.dirname, "../../..");

const envSchema = z.object({
  DATABASE_URL: z.string().min(1).optional(),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /** Loopback by default: there are no accounts yet, so the API must not be reachable from the network. */
  HOST: z.string().min(1).default("127.0.0.1"),
  DATA_DIR: z.string().min(1).default(path.join(repoRoot, ".data")),
  /** Extra origins (comma-separated) allowed to make state-changing requests, e.g. a Vite dev server. */
  ALLOWED_ORIGINS: z.string().default(""),
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
  /** Hosts or CIDRs the HTTP source may reach even though they are private or loopback. */
  HTTP_SOURCE_ALLOWLIST: z.string().default(""),
  /** Run a worker inside the server process (default); set false when dedicated workers do all runs. */
  RUN_WORKER: z.enum(["true", "false"]).default("true"),
  /** Whether other systems need an API token to start runs; "auto": yes unless HOST is loopback. */
  REQUIRE_API_TOKENS: z.enum(["true", "false", "auto"]).default("auto"),
});

export interface Config {
  databaseUrl: string | undefined;
  port: number;
  host: string;
  dataDir: string;
  allowedOrigins: string[];
  bodyLimit: string;
  seedDemo: boolean;
  secretKey: string | undefined;
  uploadBytes: number;
  runTimeoutSeconds: number;
  runStaleSeconds: number;
  duckdbMemoryLimit: string | undefined;
  duckdbThreads: number | undefined;
  sinkParallelism: number;
  httpAllowlist: string[];
  runWorker: boolean;
  requireApiTokens: boolean;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    throw new Error(`Invalid environment: ${problems}`);
  }
  const e = parsed.data;
  return {
    databaseUrl: e.DATABASE_URL,
    port: e.PORT,
    host: e.HOST,
    dataDir: path.resolve(e.DATA_DIR),
    allowedOrigins: e.ALLOWED_ORIGINS.split(",").map((s) => s.trim()).filter(Boolean),
    bodyLimit: e.BODY_LIMIT,
    seedDemo: e.SEED_DEMO === "true",
    secretKey: e.SLUICE_SECRET_KEY,
    uploadBytes: Math.round(e.UPLOAD_LIMIT_MB * 1024 * 1024),
    runTimeoutSeconds: e.RUN_TIMEOUT_SECONDS,
    runStaleSeconds: e.RUN_STALE_SECONDS,
    duckdbMemoryLimit: e.DUCKDB_MEMORY_LIMIT,
    duckdbThreads: e.DUCKDB_THREADS,
    sinkParallelism: e.SINK_PARALLELISM,
    httpAllowlist: e.HTTP_SOURCE_ALLOWLIST.split(",").map((x) => x.trim()).filter(Boolean),
    runWorker: e.RUN_WORKER === "true",
    requireApiTokens: tokensRequired(e.REQUIRE_API_TOKENS, e.HOST),
  };
}
