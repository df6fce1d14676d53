import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import { createTestApp, type TestApp } from "../testing/test-app.ts";
import type { Db } from "../db/prisma.ts";
import { Prisma } from "../generated/prisma/client.ts";
import { createSecretBox } from "../connections/secret-box.ts";
import { pipelineRepository } from "../pipelines/pipeline.repository.ts";
import { scheduleRepository } from "../schedules/schedule.repository.ts";
import { notificationChannelRepository } from "../notifications/notification-channel.repository.ts";
import { dataFileRepository } from "../files/data-file.repository.ts";
import { DEFAULT_WORKSPACE_ID } from "../workspaces/workspace.repository.ts";

/**
 * What a list costs the database: a list of pipelines, versions, schedules or notification channels reads a few rows
 * per item shown, however long the history behind them (every run, save, slot and delivery). Measured with PostgreSQL's
 * own counters for the current transaction (pg_stat_xact_*), so the numbers are exact and no timing is involved.
 */
let t: TestApp;
let editor: string;
let pipelineId: string;
const HISTORY = 3000;

beforeAll(async () => {
  t = await createTestApp();
  editor = await t.tokenFor("editor");
  const created = await request(t.bareApp).post("/api/pipelines").set("Authorization", `Bearer ${editor}`).send({ name: "Long history" });
  pipelineId = created.body.id as string;
  const version = await t.db.pipelineVersion.findFirstOrThrow({ where: { pipelineId, number: 1 }, select: { id: true } });
  // A long run history, the newest run failed.
  await t.db.$executeRaw`INSERT INTO runs (id, pipeline_id, version_id, version_number, status, created_at)
    SELECT gen_random_uuid(), ${pipelineId}::uuid, ${version.id}::uuid, 1, CASE WHEN n = 1 THEN 'failed' ELSE 'succeeded' END::"RunStatus",
      now() - n * interval '1 minute'
    FROM generate_series(1, ${HISTORY}) n`;
  // Saved versions with graphs large enough to be stored out of line (TOAST): incompressible padding.
  await t.db.$executeRaw`INSERT INTO pipeline_versions (id, pipeline_id, number, name, graph, message)
    SELECT gen_random_uuid(), ${pipelineId}::uuid, n, 'Long history',
      jsonb_build_object('formatVersion', 1, 'nodes', '[]'::jsonb, 'edges', '[]'::jsonb,
        'pad', (SELECT string_agg(md5(random()::text || n || i), '') FROM generate_series(1, 400) i)),
      'save ' || n
    FROM generate_series(2, 40) n`;
  await t.db.$executeRaw`UPDATE pipelines SET current_version = 40 WHERE id = ${pipelineId}::uuid`;
  await t.db.$executeRawUnsafe("ANALYZE runs, pipeline_versions, schedule_slots, notification_deliveries");
}, 120_000);
afterAll(async () => t.close());

/**
 * What `read` costs in rows of `table` (or, with `toast`, in chunks of its out-of-line values: what large graphs cost),
 * read sequentially or through an index. Counted before and after in one transaction: the counters of the current
 * transaction can also hold earlier, not yet flushed work of the same connection, which the difference leaves out.
 */
async function rowsRead(table: string, read: (db: Db) => Promise<unknown>, o: { toast?: boolean } = {}): Promise<number> {
  return t.db.$transaction(async (tx) => {
    const count = async () => {
      const [row] = await tx.$queryRaw<{ n: bigint }[]>`
        SELECT coalesce(s.seq_tup_read, 0) + coalesce(s.idx_tup_fetch, 0) AS n
        FROM pg_class c JOIN pg_stat_xact_all_tables s ON s.relid = ${o.toast ? Prisma.sql`c.reltoastrelid` : Prisma.sql`c.oid`}
        WHERE c.oid = ${table}::regclass`;
      return Number(row?.n ?? 0);
    };
    const before = await count();
    await read(tx as unknown as Db);
    return (await count()) - before;
  });
}

describe("lists read what they show, not the history behind it", () => {
  it("the pipeline list and a pipeline read each pipeline's newest run, not every run", async () => {
    const list = await request(t.bareApp).get("/api/pipelines").set("Authorization", `Bearer ${editor}`);
    expect(list.status).toBe(200);
    const newest = await t.db.run.findFirstOrThrow({ where: { pipelineId }, orderBy: { createdAt: "desc" } });
    expect(list.body.pipelines.find((p: { id: string }) => p.id === pipelineId).lastRun).toEqual({ id: newest.id, status: "failed", createdAt: newest.createdAt.toISOString() });
    const one = await request(t.bareApp).get(`/api/pipelines/${pipelineId}`).set("Authorization", `Bearer ${editor}`);
    expect(one.body.lastRun).toMatchObject({ id: newest.id, status: "failed" });

    expect(await rowsRead("runs", (db) => pipelineRepository(db).list(DEFAULT_WORKSPACE_ID))).toBeLessThan(20);
    expect(await rowsRead("runs", (db) => pipelineRepository(db).get(DEFAULT_WORKSPACE_ID, pipelineId))).toBeLessThan(20);
  });

  it("the list of versions reads no graph", async () => {
    const res = await request(t.bareApp).get(`/api/pipelines/${pipelineId}/versions`).set("Authorization", `Bearer ${editor}`);
    expect(res.status).toBe(200);
    expect(res.body.versions).toHaveLength(40);
    expect(res.body.versions[0]).toEqual({ number: 40, message: "save 40", name: "Long history", createdAt: expect.any(String) });
    // Opening one version does read its graph: the measurement sees the graphs when they are read.
    expect(await rowsRead("pipeline_versions", (db) => pipelineRepository(db).version(DEFAULT_WORKSPACE_ID, pipelineId, 40), { toast: true })).toBeGreaterThan(0);
    expect(await rowsRead("pipeline_versions", (db) => pipelineRepository(db).versions(DEFAULT_WORKSPACE_ID, pipelineId), { toast: true })).toBe(0);
  });

  it("schedules read their recent slots, not every slot kept", async () => {
    const s = await t.db.schedule.create({ data: { pipelineId, cron: "0 * * * *" } });
    await t.db.$executeRaw`INSERT INTO schedule_slots (schedule_id, slot) SELECT ${s.id}::uuid, now() - n * interval '1 hour' FROM generate_series(1, ${HISTORY}) n`;
    await t.db.$executeRawUnsafe("ANALYZE schedule_slots");
    const res = await request(t.bareApp).get(`/api/pipelines/${pipelineId}/schedules`).set("Authorization", `Bearer ${editor}`);
    expect(res.status).toBe(200);
    const listed = res.body.schedules.find((x: { id: string }) => x.id === s.id);
    expect(listed.recentSlots).toHaveLength(5);
    expect(listed.lastSlot.slot).toBe(listed.recentSlots[0].slot);
    expect(Date.parse(listed.recentSlots[0].slot)).toBeGreaterThan(Date.parse(listed.recentSlots[4].slot));

    const repo = (db: Db) => scheduleRepository(db);
    expect(await rowsRead("schedule_slots", (db) => repo(db).list(DEFAULT_WORKSPACE_ID, pipelineId))).toBeLessThan(20);
    expect(await rowsRead("schedule_slots", (db) => repo(db).get(DEFAULT_WORKSPACE_ID, s.id))).toBeLessThan(20);
  });

  it("notification channels read their newest delivery, not every delivery", async () => {
    const c = await t.db.notificationChannel.create({
      data: { workspaceId: DEFAULT_WORKSPACE_ID, name: "Busy", kind: "webhook", settings: { url: "https://hooks.example.com/x" }, events: ["run.failed"] },
    });
    await t.db.$executeRaw`INSERT INTO notification_deliveries (id, channel_id, event, status, attempts, created_at)
      SELECT gen_random_uuid(), ${c.id}::uuid, 'test ' || n, 'delivered', 1, now() - n * interval '1 minute' FROM generate_series(1, ${HISTORY}) n`;
    await t.db.$executeRawUnsafe("ANALYZE notification_deliveries");
    const res = await request(t.bareApp).get("/api/notification-channels").set("Authorization", `Bearer ${editor}`);
    expect(res.status).toBe(200);
    expect(res.body.channels.find((x: { id: string }) => x.id === c.id).lastDelivery).toMatchObject({ event: "test 1", status: "delivered" });

    const repo = (db: Db) => notificationChannelRepository(db, createSecretBox(t.secretKey));
    expect(await rowsRead("notification_deliveries", (db) => repo(db).list(DEFAULT_WORKSPACE_ID))).toBeLessThan(20);
    expect(await rowsRead("notification_deliveries", (db) => repo(db).get(DEFAULT_WORKSPACE_ID, c.id))).toBeLessThan(20);
  });

  it("the names a kept-both upload checks start with its name literally: % and _ are no wildcards", async () => {
    for (const name of ["orders.csv", "other.csv", "a_b.csv", "axb.csv", "%.csv", "% (2).csv"]) {
      await t.db.dataFile.create({ data: { workspaceId: DEFAULT_WORKSPACE_ID, originalName: name, size: 1n, format: "csv", columns: [], storageKey: `k-${name}` } });
    }
    const files = dataFileRepository(t.db, t.dataDir);
    expect([...(await files.namesStartingWith(DEFAULT_WORKSPACE_ID, "%"))].sort()).toEqual(["% (2).csv", "%.csv"]);
    expect([...(await files.namesStartingWith(DEFAULT_WORKSPACE_ID, "a_b"))]).toEqual(["a_b.csv"]);
    expect([...(await files.namesStartingWith(DEFAULT_WORKSPACE_ID, "or"))].sort()).toEqual(["orders.csv"]);
  });
});
