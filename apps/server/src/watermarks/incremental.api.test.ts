import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import { createTestApp, type TestApp } from "../testing/test-app.ts";
import { waitForRun } from "../testing/wait-for-run.ts";
import { sqlRows } from "../testing/sql-rows.ts";
import { incrementalGraph } from "../testing/incremental-pipeline.ts";

let t: TestApp;
const warehouse = (sql: string, values: unknown[] = []) => sqlRows(t.warehouse.url, sql, values);

beforeAll(async () => {
  t = await createTestApp({ startWorker: true });
  await warehouse(`CREATE TABLE warehouse.inc_src ("id" bigint PRIMARY KEY, "it's ""v""" text, at timestamptz NOT NULL)`);
  await warehouse(`INSERT INTO warehouse.inc_src SELECT n, 'row ' || n, timestamptz '2026-01-01 00:00:00+00' + n * interval '1 second' FROM generate_series(1, 1000) AS n`);
}, 60_000);
afterAll(async () => t?.close());

async function pipeline(graph: object): Promise<string> {
  const created = await request(t.app).post("/api/pipelines").send({ name: `incremental ${Math.random()}`, graph });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body.id as string;
}

async function run(pipelineId: string) {
  const start = await request(t.app).post(`/api/pipelines/${pipelineId}/runs`).send({});
  expect(start.status, JSON.stringify(start.body)).toBe(202);
  const detail = await waitForRun(t.app, start.body.runId, undefined, 60_000);
  expect(detail.status, detail.error ?? "").toBe("succeeded");
  const marks = await request(t.app).get(`/api/runs/${detail.id}/watermarks`);
  expect(marks.status).toBe(200);
  return { detail, marks: marks.body as { watermarks: { nodeId: string; before: string | null; after: string | null; state: string }[]; stored: { nodeId: string; value: string }[] } };
}

const rangeState = async (runId: string) => ((await request(t.app).get(`/api/runs/${runId}/watermarks`)).body.watermarks[0] as { state: string } | undefined)?.state;
const sinkRows = (d: { nodes: { nodeId: string; rowsOut: number | null }[] }) => d.nodes.find((n) => n.nodeId === "sink")?.rowsOut;

describe("an incremental PostgreSQL source", () => {
  it("loads 1,000 rows, then only the 10 inserted since, with the watermark before and after on the run", async () => {
    const id = await pipeline(incrementalGraph("inc_src", "inc_dst"));
    const first = await run(id);
    expect(sinkRows(first.detail)).toBe(1000);
    // Source and sink share the warehouse connection, yet the worker reads the source: it keeps the watermark.
    expect(first.detail.engine?.engine).toBe("duckdb");
    const choice = await request(t.app).post("/api/pipelines/validate").send({ graph: incrementalGraph("inc_src", "inc_dst") });
    expect(choice.body.engine.notPushable).toEqual([{ nodeId: "src", reason: "an incremental source is read by the worker, which keeps its watermark" }]);
    expect(first.marks.watermarks).toEqual([{ nodeId: "src", column: "id", before: null, after: "1000", state: "stored" }]);
    expect(first.marks.stored).toMatchObject([{ nodeId: "src", column: "id", value: "1000", runId: first.detail.id }]);

    await warehouse(`INSERT INTO warehouse.inc_src SELECT n, 'row ' || n, now() FROM generate_series(1001, 1010) AS n`);
    const second = await run(id);
    expect(sinkRows(second.detail)).toBe(10);
    expect(second.marks.watermarks).toEqual([{ nodeId: "src", column: "id", before: "1000", after: "1010", state: "stored" }]);
    const third = await run(id);
    expect(sinkRows(third.detail)).toBe(0);
    expect(third.marks.watermarks).toEqual([{ nodeId: "src", column: "id", before: "1010", after: "1010", state: "stored" }]);
    expect(await warehouse(`SELECT count(*)::int AS n, count(DISTINCT id)::int AS ids FROM warehouse.inc_dst`)).toEqual([{ n: 1010, ids: 1010 }]);
  });

  it("reads by a timestamp column, and a reset (audited) reads every row again into an upsert", async () => {
    const id = await pipeline(incrementalGraph("inc_src", "inc_upsert", { mode: "upsert", column: "at" }));
    const first = await run(id);
    expect(sinkRows(first.detail)).toBe(1010);
    expect(first.marks.watermarks[0]).toMatchObject({ column: "at", before: null, state: "stored" });
    expect(first.marks.watermarks[0]?.after).toMatch(/^20\d\d-\d\d-\d\d \d\d:\d\d:\d\d(\.\d+)?\+00$/);
    expect(sinkRows((await run(id)).detail)).toBe(0);

    const viewer = await t.tokenFor("viewer");
    expect((await request(t.bareApp).delete(`/api/pipelines/${id}/watermarks/src`).set("Authorization", `Bearer ${viewer}`)).status).toBe(403);
    expect((await request(t.app).delete(`/api/pipelines/${id}/watermarks/src`)).status).toBe(204);
    expect((await request(t.app).get(`/api/pipelines/${id}/watermarks`)).body).toEqual({ watermarks: [] });
    const audit = await request(t.app).get("/api/audit").query({ action: "pipeline.watermark_reset" });
    expect(JSON.stringify(audit.body)).toContain(id);

    const again = await run(id);
    expect(sinkRows(again.detail)).toBe(1010);
    expect(again.marks.watermarks[0]).toMatchObject({ before: null, state: "stored" });
    expect(await warehouse(`SELECT count(*)::int AS n FROM warehouse.inc_upsert`)).toEqual([{ n: 1010 }]);
  });

  it("keeps the watermark when the newest rows are gone, so a row read before is not read again when it comes back", async () => {
    await warehouse(`CREATE TABLE warehouse.inc_back ("id" bigint PRIMARY KEY, "it's ""v""" text, at timestamptz NOT NULL)`);
    await warehouse(`INSERT INTO warehouse.inc_back SELECT n, 'row ' || n, now() FROM generate_series(1, 5) AS n`);
    const id = await pipeline(incrementalGraph("inc_back", "inc_back_dst"));
    expect(sinkRows((await run(id)).detail)).toBe(5);
    // The two newest rows are deleted: the highest id is 3, below the stored 5.
    await warehouse(`DELETE FROM warehouse.inc_back WHERE id > 3`);
    const behind = await run(id);
    expect(sinkRows(behind.detail)).toBe(0);
    expect(behind.marks.watermarks).toEqual([{ nodeId: "src", column: "id", before: "5", after: "5", state: "stored" }]);
    // Row 4 comes back (restored from a backup): at or below the stored watermark, it is not read (it was, once).
    await warehouse(`INSERT INTO warehouse.inc_back VALUES (4, 'row 4', now())`);
    expect(sinkRows((await run(id)).detail)).toBe(0);
    expect(await warehouse(`SELECT count(*)::int AS n, count(DISTINCT id)::int AS ids FROM warehouse.inc_back_dst`)).toEqual([{ n: 5, ids: 5 }]);
  });

  it("answers 404 naming the node, and audits nothing, for a reset of a node the pipeline does not have; 404 for unknown ids", async () => {
    const id = await pipeline(incrementalGraph("inc_src", "inc_unknown_node"));
    const reset = await request(t.app).delete(`/api/pipelines/${id}/watermarks/no_such_node`);
    expect(reset.status).toBe(404);
    expect(reset.body.error.code).toBe("NODE_NOT_FOUND");
    expect(reset.body.error.message).toContain(`no node "no_such_node"`);
    const audit = await request(t.app).get("/api/audit").query({ action: "pipeline.watermark_reset" });
    expect(JSON.stringify(audit.body)).not.toContain("no_such_node");
    // A node the pipeline has resets even before any run stored a watermark.
    expect((await request(t.app).delete(`/api/pipelines/${id}/watermarks/src`)).status).toBe(204);
    const missing = "00000000-0000-4000-8000-000000000000";
    expect((await request(t.app).delete(`/api/pipelines/${missing}/watermarks/src`)).status).toBe(404);
    expect((await request(t.app).get(`/api/pipelines/${missing}/watermarks`)).status).toBe(404);
    expect((await request(t.app).get(`/api/runs/${missing}/watermarks`)).status).toBe(404);
    expect((await request(t.app).get(`/api/runs/not-a-uuid/watermarks`)).status).toBe(400);
  });

  it("refuses replace below an incremental source, and a watermark column that is not there or not ordered", async () => {
    const refused = async (graph: object) => (await request(t.app).post("/api/pipelines/validate").send({ graph })).body.problems as { code: string; nodeId: string; field: string }[];
    expect(await refused(incrementalGraph("inc_src", "inc_replace", { mode: "replace" }))).toMatchObject([{ code: "INCREMENTAL_SINK_MODE", nodeId: "sink", field: "mode" }]);
    expect(await refused(incrementalGraph("inc_src", "inc_x", { column: "nope" }))).toMatchObject([{ code: "WATERMARK_COLUMN_NOT_FOUND", nodeId: "src", field: "watermarkColumn" }]);
    expect(await refused(incrementalGraph("inc_src", "inc_x", { column: `it's "v"` }))).toMatchObject([{ code: "WATERMARK_COLUMN_TYPE", nodeId: "src", field: "watermarkColumn" }]);
  });

  it("refuses to guess after a run loaded one sink and not the other, until the targets are put right and the watermark reset", async () => {
    await warehouse(`CREATE TABLE warehouse.inc_part_b (id bigint, "it's ""v""" text, at timestamptz)`);
    // Sink b fails only once sink a has committed (its ledger row is there): a partial load, whatever the timing.
    await warehouse(`CREATE FUNCTION warehouse.inc_part_fail() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE i int := 0;
      BEGIN
        WHILE NOT EXISTS (SELECT 1 FROM warehouse._sluice_loads WHERE node_id = 'sink_a') AND i < 300 LOOP PERFORM pg_sleep(0.1); i := i + 1; END LOOP;
        RAISE EXCEPTION 'b refuses';
      END $$;
      CREATE TRIGGER inc_part_fail AFTER INSERT ON warehouse.inc_part_b FOR EACH STATEMENT EXECUTE FUNCTION warehouse.inc_part_fail()`);
    const base = incrementalGraph("inc_src", "inc_part_a");
    // Node ids of this test only, so the trigger below waits for this pipeline's sink a and no other.
    const sinkA = { ...base.nodes[1]!, id: "sink_a" };
    const sinkB = { ...base.nodes[1]!, id: "sink_b", config: { ...base.nodes[1]!.config, table: "inc_part_b" } };
    const graph = { ...base, nodes: [base.nodes[0]!, sinkA, sinkB], edges: [{ id: "e1", source: "src", target: "sink_a" }, { id: "e2", source: "src", target: "sink_b" }] };
    const id = await pipeline(graph);
    const started = async () => waitForRun(t.app, (await request(t.app).post(`/api/pipelines/${id}/runs`).send({})).body.runId as string, undefined, 60_000);

    const partial = await started();
    expect(partial.status).toBe("failed");
    expect(await warehouse(`SELECT count(*)::int AS n FROM warehouse.inc_part_a`)).toEqual([{ n: 1010 }]);
    const refused = await started();
    expect(refused.status).toBe("failed");
    expect(refused.error).toContain(`Run ${partial.id} loaded sink_a but not sink_b`);

    await warehouse(`DROP TRIGGER inc_part_fail ON warehouse.inc_part_b; TRUNCATE warehouse.inc_part_a`);
    expect((await request(t.app).delete(`/api/pipelines/${id}/watermarks/src`)).status).toBe(204);
    const after = await started();
    expect(after.status, after.error ?? "").toBe("succeeded");
    expect(await rangeState(partial.id)).toBe("discarded");
    expect(await warehouse(`SELECT (SELECT count(DISTINCT id) FROM warehouse.inc_part_a)::int AS a, (SELECT count(*) FROM warehouse.inc_part_b)::int AS b`)).toEqual([{ a: 1010, b: 1010 }]);
  });
});
