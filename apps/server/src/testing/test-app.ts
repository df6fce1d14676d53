import { createApp } from "../http/app.ts";
import { createPrisma, type Db } from "../db/prisma.ts";
import { randomBytes } from "node:crypto";
import { createDeps } from "../wiring.ts";
import type { Deps } from "../http/deps.ts";
import { createTestDatabase, type TestDatabase } from "./test-database.ts";

export interface TestApp {
  app: ReturnType<typeof createApp>;
  deps: Deps;
  db: Db;
  database: TestDatabase;
  logs: string[];
  close(): Promise<void>;
}

/** The real app on a fresh, migrated database; nothing is mocked. */
export async function createTestApp(options: { bodyLimit?: string } = {}): Promise<TestApp> {
  const database = await createTestDatabase();
  const db = createPrisma(database.url);
  const logs: string[] = [];
  const deps = createDeps({ db, databaseKind: "external", secretKey: randomBytes(32), version: "test", log: (m) => logs.push(m) });
  const app = createApp(deps, { bodyLimit: options.bodyLimit ?? "256kb", allowedOrigins: [] });
  return {
    app,
    deps,
    db,
    database,
    logs,
    close: async () => {
      await db.$disconnect();
      await database.drop();
    },
  };
}
