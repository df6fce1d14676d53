import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import { createTestApp, type TestApp } from "../testing/test-app.ts";
import { waitFor } from "../testing/sluice-process.ts";
import { crashWorkers, holdTrigger } from "../testing/crash-hold.ts";
import { waitForRun } from "../testing/wait-for-run.ts";
import { sqlRows } from "../testing/sql-rows.ts";
import { incrementalFilesGraph } from "../testing/incremental-pipeline.ts";

const STALE_SECONDS = 3;
let t: TestApp;
const secretKey = randomBytes(32);
const warehouse = (sql: string, values: unknown[] = []) => sqlRows(t.warehouse.url, sql, values);
const metadata = (sql: string, values: unknown[] = []) => sqlRows(t.database.url, sql, values);

beforeAll(async () => {
  t = await createTestApp({ startWorker: false, worker: { staleSeconds: STALE_SECONDS, processStaleSeconds: 8 }, secretKey });
  // The target exists first, so the hold can sit on it.
  await warehouse(`CREATE TABLE warehouse.files_dst (id bigint, v text, _source_file text); ${holdTrigger("warehouse", "warehouse.files_dst")}`);
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

async function upload(name: string, ids: number[]) {
  const res = await request(t.app).post("/api/files").attach("file", Buffer.from(`id,v\n${ids.map((i) => `${i},row ${i}`).join("\n")}\n`), name);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
}

const loaded = async () => (await warehouse("SELECT count(*)::int AS n, count(DISTINCT id)::int AS ids FROM warehouse.files_dst"))[0];
const ledgerHas = async (runId: string) => (await warehouse(`SELECT 1 FROM warehouse._sluice_loads WHERE run_id = $1`, [runId])).length > 0;
const rangeOf = async (runId: string) => (await request(t.app).get(`/api/runs/${runId}/watermarks`)).body.watermarks[0] as { before: string | null; after: string | null; state: string } | undefined;

describe("a file source of new files whose worker is killed", () => {
  it("loads each file exactly once: killed inside the sink's load, then between the sink's commit and the ledger's", async () => {
    await upload("drop-1.csv", [1, 2, 3]);
    await upload("drop-2.csv", [4, 5]);
    const created = await request(t.app).post("/api/pipelines").send({ name: "Files crash", graph: incrementalFilesGraph("drop-*.csv", "files_dst") });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const pipelineId = created.body.id as string;

    // 1. Killed while the sink's transaction is open: the files are recorded (pending), nothing is committed.
    await warehouse("UPDATE warehouse.crash_hold SET hold = true");
    let w = startWorker();
    const first = await start(pipelineId);
    await waitFor("the files to be recorded and the sink to hold", async () => ((await rangeOf(first))?.state === "pending" && (await warehouse("SELECT 1 FROM pg_stat_activity WHERE query LIKE 'INSERT INTO%files_dst%' AND state = 'active'")).length ? true : undefined), 150_000).catch(async (e: Error) => {
      const seen = await warehouse("SELECT left(query, 200) AS q, state FROM pg_stat_activity WHERE datname = current_database()");
      const run = await request(t.app).get(`/api/runs/${first}`);
      throw new Error(`${e.message}; range ${JSON.stringify(await rangeOf(first))}; run ${JSON.stringify(run.body).slice(0, 1500)}; activity ${JSON.stringify(seen)}; output:\n${w.output()}`);
    });
    await kill(w);
    expect((await waitForRun(t.app, first, undefined, 60_000)).error).toMatch(/worker lost/);
    await warehouse("UPDATE warehouse.crash_hold SET hold = false");
    expect(await loaded()).toEqual({ n: 0, ids: 0 });

    // 2. The next run drops that choice (its sink never committed), reads both files and commits them; killed while
    //    the metadata transaction that stores the files as read is held open.
    await metadata("UPDATE public.crash_hold SET hold = true");
    w = startWorker();
    const second = await start(pipelineId);
    await waitFor("the sink to commit", async () => ((await ledgerHas(second)) ? true : undefined), 90_000);
    await kill(w);
    expect((await waitForRun(t.app, second, undefined, 60_000)).error).toMatch(/worker lost/);
    expect(await rangeOf(first)).toMatchObject({ state: "discarded" });
    expect(await rangeOf(second)).toEqual({ nodeId: "src", column: "files", before: null, after: "2 files", state: "pending" });
    await metadata("UPDATE public.crash_hold SET hold = false");
    expect(await loaded()).toEqual({ n: 5, ids: 5 });

    // 3. Running again: the sink's ledger row says run 2 delivered, so its files count as read and none is read twice.
    w = startWorker();
    const third = await waitForRun(t.app, await start(pipelineId), undefined, 90_000);
    expect(third.status, third.error ?? "").toBe("succeeded");
    expect(third.nodes.find((n) => n.nodeId === "sink")?.rowsOut).toBe(0);
    expect(await rangeOf(second)).toMatchObject({ state: "recovered" });
    expect(await rangeOf(third.id)).toMatchObject({ before: "2 files", after: "2 files", state: "stored" });

    // 4. A new file: exactly its rows are loaded.
    await upload("drop-3.csv", [6, 7]);
    const fourth = await waitForRun(t.app, await start(pipelineId), undefined, 90_000);
    expect(fourth.status, fourth.error ?? "").toBe("succeeded");
    expect(fourth.nodes.find((n) => n.nodeId === "sink")?.rowsOut).toBe(2);
    expect(await loaded()).toEqual({ n: 7, ids: 7 });
    await kill(w);
  }, 300_000);
});
