import { createApp } from "../http/app.ts";
import { createPrisma, type Db } from "../db/prisma.ts";
import { pipelineRepository } from "../pipelines/pipeline.repository.ts";
import { createTestDatabase, type TestDatabase } from "./test-database.ts";

export interface TestApp {
  app: ReturnType<typeof createApp>;
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
  const app = createApp(
    { pipelines: pipelineRepository(db), database: { kind: "external" }, version: "test", log: (m) => logs.push(m) },
    { bodyLimit: options.bodyLimit ?? "256kb", allowedOrigins: [] },
  );
  return {
    app,
    db,
    database,
    logs,
    close: async () => {
      await db.$disconnect();
      await database.drop();
    },
  };
}
