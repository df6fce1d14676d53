import { createHash, randomUUID } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import pg from "pg";

export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

export class MigrationError extends Error {
  constructor(
    readonly code: "MIGRATION_EDITED" | "MIGRATION_FAILED" | "MIGRATION_UNKNOWN",
    message: string,
  ) {
    super(message);
  }
}

/** Any constant works; it only has to be the same in every Sluice process. */
const LOCK_KEY = 72_001_337;

const checksum = (sql: string) => createHash("sha256").update(sql).digest("hex");

export async function readMigrations(dir: string): Promise<Migration[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const names = entries.filter((e) => e.isDirectory()).map((e) => e.name).sort();
  return Promise.all(
    names.map(async (name) => {
      const sql = await readFile(path.join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: checksum(sql) };
    }),
  );
}

/** The same table the Prisma CLI keeps, so `prisma migrate status` reads our history where it can run. */
const CREATE_HISTORY = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id" VARCHAR(36) PRIMARY KEY NOT NULL,
  "checksum" VARCHAR(64) NOT NULL,
  "finished_at" TIMESTAMPTZ,
  "migration_name" VARCHAR(255) NOT NULL,
  "logs" TEXT,
  "rolled_back_at" TIMESTAMPTZ,
  "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
  "applied_steps_count" INTEGER NOT NULL DEFAULT 0
)`;

/**
 * Applies pending migrations in name order, each in its own transaction, under an advisory lock so
 * concurrent processes never migrate at once. Refuses to start if an applied migration file changed.
 */
export async function migrate(connectionString: string, dir: string, log: (m: string) => void = () => {}) {
  const migrations = await readMigrations(dir);
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1)", [LOCK_KEY]);
    await client.query(CREATE_HISTORY);
    const { rows } = await client.query<{ migration_name: string; checksum: string }>(
      `SELECT migration_name, checksum FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
    );
    const applied = new Map(rows.map((r) => [r.migration_name, r.checksum]));
    const known = new Set(migrations.map((m) => m.name));
    for (const name of applied.keys()) {
      if (!known.has(name)) {
        throw new MigrationError(
          "MIGRATION_UNKNOWN",
          `The database has migration "${name}" applied, but prisma/migrations has no such folder. ` +
            "It was made by a newer Sluice; run that version or restore the folder.",
        );
      }
    }
    const done: string[] = [];
    for (const m of migrations) {
      const previous = applied.get(m.name);
      if (previous !== undefined) {
        if (previous !== m.checksum) {
          throw new MigrationError(
            "MIGRATION_EDITED",
            `Migration "${m.name}" was edited after it was applied (checksum ${previous.slice(0, 12)}… is now ${m.checksum.slice(0, 12)}…). ` +
              "Restore the original file and put the change in a new migration.",
          );
        }
        continue;
      }
      try {
        await client.query("BEGIN");
        await client.query(m.sql);
        await client.query(
          `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, started_at, applied_steps_count)
           VALUES ($1, $2, now(), $3, now(), 1)`,
          [randomUUID(), m.checksum, m.name],
        );
        await client.query("COMMIT");
      } catch (e) {
        await client.query("ROLLBACK");
        throw new MigrationError("MIGRATION_FAILED", `Migration "${m.name}" failed: ${(e as Error).message}`);
      }
      done.push(m.name);
      log(`applied migration ${m.name}`);
    }
    return { applied: done };
  } finally {
    await client.query("SELECT pg_advisory_unlock($1)", [LOCK_KEY]).catch(() => undefined);
    await client.end();
  }
}

export const migrationsDir = path.resolve(import.meta.dirname, "../../../../prisma/migrations");
