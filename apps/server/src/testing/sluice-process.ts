import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { repoRoot } from "../config.ts";
import { runWorkFolder } from "../scratch/scratch-sweeper.ts";
import type { TestApp } from "./test-app.ts";

export interface SluiceProcess {
  child: ChildProcess;
  /** Everything it printed so far, for failure messages. */
  output(): string;
  /** Resolves with its exit code (null when a signal ended it). */
  exited: Promise<number | null>;
}

/**
 * A real `npm run worker` (worker-main.ts) or server (main.ts) process on the test app's database and data
 * folder; kill it in afterAll. An `env` value of undefined unsets that variable (DATABASE_URL: the embedded
 * PostgreSQL). `processGroup`: the process leads a group of its own, as a command started in a terminal does, so
 * `process.kill(-pid, "SIGINT")` is what Ctrl+C sends: a signal to it and to every child it started.
 */
export function startSluiceProcess(
  t: Pick<TestApp, "dataDir"> & { database: Pick<TestApp["database"], "url"> },
  secretKey: Buffer,
  entry: "worker-main.ts" | "main.ts",
  env: Record<string, string | undefined> = {},
  options: { processGroup?: boolean } = {},
): SluiceProcess {
  const child = spawn(process.execPath, ["--import", "tsx", path.join(repoRoot, "apps/server/src", entry)], {
    cwd: repoRoot,
    env: { ...process.env, DATABASE_URL: t.database.url, DATA_DIR: t.dataDir, SLUICE_SECRET_KEY: secretKey.toString("hex"), SEED_DEMO: "false", ...env },
    stdio: ["ignore", "pipe", "pipe"],
    detached: options.processGroup ?? false,
  });
  let output = "";
  child.stdout?.on("data", (c: Buffer) => (output += c.toString()));
  child.stderr?.on("data", (c: Buffer) => (output += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { child, output: () => output, exited };
}

export { freePort } from "./free-port.ts";

/** Polls `fn` until it answers something other than undefined. */
export async function waitFor<T>(what: string, fn: () => Promise<T | undefined> | T | undefined, timeoutMs: number): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * Waits until `p` has begun the first attempt of run `runId` far enough to stage its source (a CSV in the
 * attempt's work folder), and returns that folder; on timeout the error carries what the process printed.
 */
export async function waitForStagedSource(t: TestApp, p: SluiceProcess, runId: string, timeoutMs = 90_000): Promise<string> {
  const folder = runWorkFolder(path.join(t.dataDir, "work"), runId, 1);
  const staged = () => existsSync(folder) && readdirSync(folder).some((f) => f.endsWith(".csv"));
  await waitFor("the run to stage its source", () => (staged() ? true : undefined), timeoutMs).catch((e: Error) => {
    throw new Error(`${e.message}; output:\n${p.output()}`);
  });
  return folder;
}
