import type { Config } from "../config.ts";
import { startEmbeddedPostgres } from "./embedded-postgres.ts";

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
  const embedded = await startEmbeddedPostgres(config.dataDir, log);
  return { url: embedded.url, kind: "embedded", close: embedded.stop };
}

export function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return "(unparseable URL)";
  }
}
