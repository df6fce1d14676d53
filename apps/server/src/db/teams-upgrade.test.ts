import { cpSync, readdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pg from "pg";
import { migrate, migrationsDir } from "./migrator.ts";
import { createPrisma, type Db } from "./prisma.ts";
import { createTestDatabase, type TestDatabase } from "../testing/test-database.ts";
import { createOwner } from "../auth/accounts.ts";
import { userRepository } from "../auth/user.repository.ts";
import { sessionRepository } from "../auth/session.repository.ts";
import { DEFAULT_WORKSPACE_ID, workspaceRepository } from "../workspaces/workspace.repository.ts";
import { tokenRepository } from "../tokens/token.repository.ts";

const TEAMS = "20261207000000_teams";
const OLD_TOKEN = "slc_made_before_accounts_existed_0123456789abcdef";

// An install from before accounts: its pipeline, connection, file and API token must all still be there, in the
// Default workspace, the token still working, and the first account created must own them.
describe("upgrading an install made before accounts", () => {
  let database: TestDatabase;
  let db: Db;
  let before: string;
  beforeAll(async () => {
    database = await createTestDatabase({ migrate: false });
    before = mkdtempSync(path.join(tmpdir(), "sluice-migrations-"));
    cpSync(migrationsDir, before, { recursive: true });
    // The install as it was before teams: without the teams migration and every one after it (they build on it).
    for (const name of readdirSync(before)) if (/^\d/.test(name) && name >= TEAMS) rmSync(path.join(before, name), { recursive: true });
    await migrate(database.url, before, () => undefined);
    const c = new pg.Client({ connectionString: database.url });
    await c.connect();
    try {
      await c.query(`INSERT INTO pipelines (id, name, updated_at) VALUES ('11111111-1111-4111-8111-111111111111', 'Nightly orders', now())`);
      await c.query(`INSERT INTO connections (id, name, kind, settings, updated_at) VALUES ('22222222-2222-4222-8222-222222222222', 'Warehouse', 'postgres', '{}', now())`);
      await c.query(`INSERT INTO data_files (id, original_name, size, format, columns, storage_key) VALUES ('33333333-3333-4333-8333-333333333333', 'orders.csv', 10, 'csv', '[]', 'k1')`);
      await c.query(`INSERT INTO api_tokens (id, name, token_hash, prefix) VALUES ('44444444-4444-4444-8444-444444444444', 'cron', encode(sha256($1::bytea), 'hex'), 'slc_made')`, [OLD_TOKEN]);
    } finally {
      await c.end();
    }
    await migrate(database.url, migrationsDir, () => undefined);
    db = createPrisma(database.url);
  });
  afterAll(async () => {
    await db?.$disconnect();
    await database?.drop();
    rmSync(before, { recursive: true, force: true });
  });

  it("puts everything that existed in the Default workspace", async () => {
    const where = { workspaceId: DEFAULT_WORKSPACE_ID };
    expect(await db.pipeline.count({ where })).toBe(1);
    expect(await db.connection.count({ where })).toBe(1);
    expect(await db.dataFile.count({ where })).toBe(1);
    expect((await db.workspace.findUniqueOrThrow({ where: { id: DEFAULT_WORKSPACE_ID } })).name).toBe("Default");
  });

  it("keeps an old API token working, with the owner role it effectively had", async () => {
    const verified = await tokenRepository(db).verify(OLD_TOKEN);
    expect(verified).toMatchObject({ workspaceId: DEFAULT_WORKSPACE_ID, role: "owner", info: { name: "cron" } });
  });

  it("makes the first account the owner of the Default workspace, which holds the old pipeline", async () => {
    const accounts = {
      db,
      users: userRepository(db),
      sessions: sessionRepository(db, { idleMs: 60_000, maxMs: 60_000 }),
      workspaces: workspaceRepository(db),
      https: () => false,
    };
    const owner = await createOwner(accounts, { email: "first@example.test", name: "First", password: "a long password" }, null);
    expect(await accounts.workspaces.of(owner.id)).toEqual([{ id: DEFAULT_WORKSPACE_ID, name: "Default", role: "owner" }]);
    const audit = await db.auditEvent.findMany({ where: { action: "account.created" } });
    expect(audit).toMatchObject([{ workspaceId: DEFAULT_WORKSPACE_ID, actorId: owner.id, details: { role: "owner" } }]);
  });
});
