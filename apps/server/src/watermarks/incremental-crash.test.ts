import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import { createTestApp, type TestApp } from "../testing/test-app.ts";
import { waitFor } from "../testing/sluice-process.ts";
import { crashWorkers, holdTrigger } from "../testing/crash-hold.ts";
import { waitForRun } from "../testing/wait-for-run.ts";
import { sqlRows } from "../testing/sql-rows.ts";
import { incrementalGraph } from "../testing/incremental-pipeline.ts";

const STALE_SECONDS = 3;
let t: TestApp;
const secretKey = randomBytes(32);
const warehouse = (sql: string, values: unknown[] = []) => sqlRows(t.warehouse.url, sql, values);
const metadata = (sql: string, values: unknown[] = []) => sqlRows(t.database.url, sql, values);

beforeAll(async () => {
  // The API process has no worker of its own; its reaper runs every second and fails a run whose worker went quiet.
  t = await createTestApp({ startWorker: false, worker: { staleSeconds: STALE_SECONDS, processStaleSeconds: 8 }, secretKey });
  await warehouse(`CREATE TABLE warehouse.crash_src (id bigint PRIMARY KEY, v text); INSERT INTO warehouse.crash_src SELECT n, 'row ' || n FROM generate_series(1, 1000) AS n`);
  await warehouse(`CREATE TABLE warehouse.crash_dst (id bigint, v text); ${holdTrigger("warehouse", "warehouse.crash_dst")}`);
  await metadata(holdTrigger("public", "public.source_watermarks"));
}, 60_000);
afterAll(async () => {
  await warehouse("UPDATE warehouse.crash_hold SET hold = false").catch(() => undefined);
  await metadata("UPDATE public.crash_hold SET hold = false").catch(() => undefined);
  await crash.killAll();
  await t?.close();
});

const crash = crashWorkers(() => t, secretKey, STALE_SECONDS);
const startWorker = crash.start;
const kill = crash.kill;

async function start(pipelineId: string): Promise<string> {
  const res = await request(t.app).post(`/api/pipelines/${pipelineId}/runs`).send({});
  expect(res.status, JSON.stringify(res.body)).toBe(202);
  return res.body.runId as string;
}

const loaded = async () => (await warehouse("SELECT count(*)::int AS n, count(DISTINCT id)::int AS ids FROM warehouse.crash_dst"))[0];
const ledgerHas = async (runId: string) => (await warehouse(`SELECT 1 FROM warehouse._sluice_loads WHERE run_id = $1`, [runId])).length > 0;
const rangeOf = async (runId: string) => (await request(t.app).get(`/api/runs/${runId}/watermarks`)).body.watermarks[0] as { before: string | null; after: string | null; state: string } | undefined;

describe("an incremental pipeline whose worker is killed", () => {
  it("loads each row exactly once: killed inside the sink's load, then between the sink's commit and the watermark's", async () => {
    const created = await request(t.app).post("/api/pipelines").send({ name: "Incremental crash", graph: incrementalGraph("crash_src", "crash_dst") });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const pipelineId = created.body.id as string;

    // 1. Killed while its sink's transaction is open: the range is recorded (pending), nothing is committed.
    await warehouse("UPDATE warehouse.crash_hold SET hold = true");
    let w = startWorker();
    const first = await start(pipelineId);
    await waitFor("the range to be recorded and the sink to hold", async () => ((await rangeOf(first))?.state === "pending" && (await warehouse("SELECT 1 FROM pg_stat_activity WHERE query LIKE 'INSERT INTO%crash_dst%' AND state = 'active'")).length ? true : undefined), 90_000).catch((e: Error) => {
      throw new Error(`${e.message}; output:\n${w.output()}`);
    });
    await kill(w);
    expect((await waitForRun(t.app, first, undefined, 60_000)).error).toMatch(/worker lost/);
    await warehouse("UPDATE warehouse.crash_hold SET hold = false");
    expect(await loaded()).toEqual({ n: 0, ids: 0 });

    // 2. The next run drops that range (its sink never committed), reads all 1,000 rows and commits them; killed
    //    while the metadata transaction that stores the watermark is held open.
    await metadata("UPDATE public.crash_hold SET hold = true");
    w = startWorker();
    const second = await start(pipelineId);
    await waitFor("the sink to commit", async () => ((await ledgerHas(second)) ? true : undefined), 90_000);
    await kill(w);
    expect((await waitForRun(t.app, second, undefined, 60_000)).error).toMatch(/worker lost/);
    expect(await rangeOf(first)).toMatchObject({ state: "discarded" });
    expect(await rangeOf(second)).toEqual({ nodeId: "src", column: "id", before: null, after: "1000", state: "pending" });
    expect((await request(t.app).get(`/api/pipelines/${pipelineId}/watermarks`)).body.watermarks).toEqual([]);
    await metadata("UPDATE public.crash_hold SET hold = false");
    expect(await loaded()).toEqual({ n: 1000, ids: 1000 });

    // 3. Running again: the sink's ledger row says run 2 delivered, so its range is stored and nothing is read twice.
    w = startWorker();
    const third = await waitForRun(t.app, await start(pipelineId), undefined, 90_000);
    expect(third.status, third.error ?? "").toBe("succeeded");
    expect(third.nodes.find((n) => n.nodeId === "sink")?.rowsOut).toBe(0);
    expect(await rangeOf(second)).toMatchObject({ state: "recovered" });
    expect(await rangeOf(third.id)).toMatchObject({ before: "1000", after: "1000", state: "stored" });
    expect(await loaded()).toEqual({ n: 1000, ids: 1000 });

    // 4. Ten new rows: exactly ten are loaded.
    await warehouse(`INSERT INTO warehouse.crash_src SELECT n, 'row ' || n FROM generate_series(1001, 1010) AS n`);
    const fourth = await waitForRun(t.app, await start(pipelineId), undefined, 90_000);
    expect(fourth.status, fourth.error ?? "").toBe("succeeded");
    expect(fourth.nodes.find((n) => n.nodeId === "sink")?.rowsOut).toBe(10);
    expect(await loaded()).toEqual({ n: 1010, ids: 1010 });
    await kill(w);
  }, 300_000);
});
