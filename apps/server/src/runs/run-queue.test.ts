import { afterAll, beforeAll, expect, it } from "vitest";
import { createTestDatabase, admin, type TestDatabase } from "../testing/test-database.ts";
import { waitFor } from "../testing/sluice-process.ts";
import { startRunQueue } from "./run-queue.ts";

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.drop();
});

/** What an administrator's pg_terminate_backend or a PostgreSQL shutting down does: error 57P01 on each session. */
const TERMINATE = "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND application_name = 'sluice-queue'";
const terminateQueueSessions = () => admin((c) => c.query(TERMINATE, [database.name]));

it("reports its sessions being ended while it runs, and says nothing of it once it is being stopped", async () => {
  const logs: string[] = [];
  const queue = await startRunQueue(database.url, { runTimeoutSeconds: 60, log: (m) => logs.push(m) });
  await queue.enqueue({ id: "r1", pipelineId: "p1" }); // a session in the pool

  await terminateQueueSessions();
  await waitFor("the queue to report it", () => (logs.some((l) => /administrator command/.test(l)) ? true : undefined), 10_000);

  // A session in the pool again (a first try may still meet a session ended above).
  const again = () => queue.enqueue({ id: "r2", pipelineId: "p2" });
  await again().catch(again);
  await new Promise((r) => setTimeout(r, 500));
  logs.length = 0;
  // Ended as the stop begins: as when a PostgreSQL that is shutting down ends the sessions of a stopping queue.
  await admin(async (c) => {
    const ending = c.query(TERMINATE, [database.name]);
    await Promise.all([ending, queue.stop()]);
  });
  await new Promise((r) => setTimeout(r, 500));
  expect(logs).toEqual([]);
});
