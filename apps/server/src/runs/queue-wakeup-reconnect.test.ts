import pg from "pg";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createTestDatabase, admin, type TestDatabase } from "../testing/test-database.ts";
import { waitFor } from "../testing/sluice-process.ts";
import { listenForQueuedRuns, RUN_QUEUED_CHANNEL } from "./queue-wakeup.ts";

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.drop();
});

const listening = () =>
  admin(async (c) => (await c.query("SELECT pid FROM pg_stat_activity WHERE datname = $1 AND application_name = 'sluice-queue-wakeup'", [database.name])).rows.length);
/** From a session of the same database, as another process's enqueue does (NOTIFY does not cross databases). */
async function announce() {
  const c = new pg.Client({ connectionString: database.url });
  await c.connect();
  try {
    await c.query("SELECT pg_notify($1, '')", [RUN_QUEUED_CHANNEL]);
  } finally {
    await c.end();
  }
}

it("hears announcements from other sessions, and again after its connection was ended, without the worker doing anything", async () => {
  const logs: string[] = [];
  const wakeup = listenForQueuedRuns(database.url, (m) => logs.push(m));
  let heard = 0;
  wakeup.subscribe(() => heard++);
  try {
    await waitFor("the listener to connect", async () => ((await listening()) === 1 ? true : undefined), 10_000);
    await waitFor("the first wake-up (on connecting)", () => (heard >= 1 ? true : undefined), 5_000);
    const before = heard;
    await announce();
    await waitFor("an announcement to be heard", () => (heard > before ? true : undefined), 5_000);

    // As an administrator's pg_terminate_backend or a PostgreSQL restart does.
    await admin((c) => c.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND application_name = 'sluice-queue-wakeup'", [database.name]));
    await waitFor("the loss to be reported", () => (logs.some((l) => /listening for queued runs stopped/.test(l)) ? true : undefined), 5_000);
    await waitFor("the listener to connect again", async () => ((await listening()) === 1 ? true : undefined), 10_000);
    const after = heard;
    await announce();
    await waitFor("an announcement to be heard after reconnecting", () => (heard > after ? true : undefined), 5_000);
  } finally {
    await wakeup.close();
  }
  expect(await listening()).toBe(0);
}, 60_000);
