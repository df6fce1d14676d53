import { cpSync, mkdtempSync, mkdirSync, rmSync, writeFileSync, appendFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import pg from "pg";
import { migrate, migrationsDir } from "./migrator.ts";
import { createTestDatabase, type TestDatabase } from "../testing/test-database.ts";

const dbs: TestDatabase[] = [];
async function emptyDb() {
  const db = await createTestDatabase({ migrate: false });
  dbs.push(db);
  return db;
}
const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dbs.splice(0).map((d) => d.drop()));
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function copyMigrations() {
  const dir = mkdtempSync(path.join(tmpdir(), "sluice-migrations-"));
  dirs.push(dir);
  cpSync(migrationsDir, dir, { recursive: true });
  return dir;
}

async function query<T extends pg.QueryResultRow>(url: string, sql: string) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query<T>(sql)).rows;
  } finally {
    await c.end();
  }
}

describe("migrator", () => {
  it("applies every migration once and records it like Prisma does", async () => {
    const db = await emptyDb();
    const first = await migrate(db.url, migrationsDir);
    expect(first.applied.length).toBeGreaterThan(0);
    expect((await migrate(db.url, migrationsDir)).applied).toEqual([]);
    const rows = await query<{ migration_name: string; checksum: string; finished_at: Date | null; applied_steps_count: number }>(
      db.url,
      `SELECT migration_name, checksum, finished_at, applied_steps_count FROM "_prisma_migrations"`,
    );
    expect(rows.map((r) => r.migration_name)).toEqual(first.applied);
    for (const r of rows) {
      expect(r.checksum).toMatch(/^[0-9a-f]{64}$/);
      expect(r.finished_at).not.toBeNull();
    }
  });

  it("lets concurrent processes race without applying anything twice", async () => {
    const db = await emptyDb();
    const results = await Promise.all([migrate(db.url, migrationsDir), migrate(db.url, migrationsDir), migrate(db.url, migrationsDir)]);
    const appliedCount = results.reduce((n, r) => n + r.applied.length, 0);
    const rows = await query(db.url, `SELECT 1 FROM "_prisma_migrations"`);
    expect(appliedCount).toBe(rows.length);
  });

  it("refuses to run when an applied migration was edited", async () => {
    const db = await emptyDb();
    const dir = copyMigrations();
    await migrate(db.url, dir);
    const [first] = (await import("node:fs")).readdirSync(dir).filter((n) => n !== "migration_lock.toml").sort();
    appendFileSync(path.join(dir, first!, "migration.sql"), "\n-- sneaky edit\n");
    await expect(migrate(db.url, dir)).rejects.toMatchObject({ code: "MIGRATION_EDITED" });
    await expect(migrate(db.url, dir)).rejects.toThrow(/was edited after it was applied/);
  });

  it("rolls back a failing migration completely and applies nothing of it", async () => {
    const db = await emptyDb();
    const dir = copyMigrations();
    mkdirSync(path.join(dir, "99990101000000_broken"));
    writeFileSync(path.join(dir, "99990101000000_broken", "migration.sql"), `CREATE TABLE half_done (id int);\nSELECT no_such_function();`);
    await expect(migrate(db.url, dir)).rejects.toMatchObject({ code: "MIGRATION_FAILED" });
    const tables = await query(db.url, `SELECT 1 FROM information_schema.tables WHERE table_name = 'half_done'`);
    expect(tables).toEqual([]);
    const recorded = await query<{ migration_name: string }>(db.url, `SELECT migration_name FROM "_prisma_migrations"`);
    expect(recorded.map((r) => r.migration_name)).not.toContain("99990101000000_broken");
  });
});
