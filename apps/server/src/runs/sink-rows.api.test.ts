import { randomUUID } from "node:crypto";
import { rmSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import { createTestApp, type TestApp } from "../testing/test-app.ts";
import { sqlRows } from "../testing/sql-rows.ts";
import { waitForRun } from "../testing/wait-for-run.ts";
import { BUILT_IN_CONNECTION_ID } from "../connections/connection.repository.ts";

/** Inline rows with a hostile column name into a warehouse table and a CSV file: one run, two sinks to read back. */
const graph = (table: string) => ({
  formatVersion: 1,
  nodes: [
    {
      id: "orders",
      type: "inline",
      position: { x: 0, y: 0 },
      config: {
        columns: [
          { name: "id", type: "integer" },
          { name: 'x"; drop table y', type: "string" },
        ],
        rows: Array.from({ length: 30 }, (_, i) => [i + 1, i === 0 ? null : `row ${i + 1}`]),
      },
    },
    { id: "load", type: "postgres-sink", position: { x: 300, y: 0 }, config: { connectionId: BUILT_IN_CONNECTION_ID, schema: "warehouse", table, mode: "replace", keys: [] } },
    { id: "file", type: "file-sink", position: { x: 300, y: 200 }, config: { name: "orders-out", format: "csv" } },
  ],
  edges: [
    { id: "e1", source: "orders", target: "load" },
    { id: "e2", source: "orders", target: "file" },
  ],
});

let t: TestApp;
let otherOwner: string;
beforeAll(async () => {
  t = await createTestApp({ startWorker: true });
  const b = await t.db.$transaction((tx) => t.deps.workspaces.create(tx, "B", t.owner.id));
  otherOwner = await t.tokenFor("owner", b.id);
}, 60_000);
afterAll(async () => t?.close());

const rowsOf = (runId: string, nodeId: string, limit?: number) => request(t.app).get(`/api/runs/${runId}/sinks/${nodeId}/rows${limit ? `?limit=${limit}` : ""}`);

/** A pipeline with both sinks, run to the end; the run's id. */
async function finishedRun(table: string): Promise<{ runId: string; pipelineId: string }> {
  const p = await request(t.app).post("/api/pipelines").send({ name: `Orders to ${table}`, graph: graph(table) });
  expect(p.status, JSON.stringify(p.body)).toBe(201);
  const started = await request(t.app).post(`/api/pipelines/${p.body.id}/runs`).send({});
  expect(started.status, JSON.stringify(started.body)).toBe(202);
  const run = await waitForRun(t.app, started.body.runId);
  expect(run.status, run.error ?? "").toBe("succeeded");
  return { runId: run.id, pipelineId: p.body.id };
}

describe("reading back what a run wrote", () => {
  let runId: string;
  let pipelineId: string;
  beforeAll(async () => {
    ({ runId, pipelineId } = await finishedRun("read_back"));
  }, 60_000);

  it("answers the first rows of the table a postgres sink wrote, read from the warehouse", async () => {
    const r = await rowsOf(runId, "load");
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.target).toEqual({ kind: "table", name: '"warehouse"."read_back"' });
    expect(r.body.columns).toEqual([
      { name: "id", type: "integer" },
      { name: 'x"; drop table y', type: "text" },
    ]);
    expect(r.body.rows).toHaveLength(20);
    expect(r.body.rows.slice(0, 2)).toEqual([
      { id: 1, 'x"; drop table y': null },
      { id: 2, 'x"; drop table y': "row 2" },
    ]);
    expect(Date.parse(r.body.readAt)).not.toBeNaN();
    expect((await rowsOf(runId, "load", 3)).body.rows).toHaveLength(3);
  });

  it("answers the first rows of the file a file sink wrote, read from the run's outputs", async () => {
    const r = await rowsOf(runId, "file", 5);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.target).toEqual({ kind: "file", name: "orders-out.csv" });
    expect(r.body.columns.map((c: { name: string }) => c.name)).toEqual(["id", 'x"; drop table y']);
    expect(r.body.rows.map((row: { id: number }) => row.id)).toEqual([1, 2, 3, 4, 5]);
    expect(r.body.rows[1]).toEqual({ id: 2, 'x"; drop table y': "row 2" });
  });

  it("another workspace's run is not found, for every sink", async () => {
    for (const node of ["load", "file"]) {
      const r = await request(t.bareApp).get(`/api/runs/${runId}/sinks/${node}/rows`).set({ Authorization: `Bearer ${otherOwner}` });
      expect(r.status, JSON.stringify(r.body)).toBe(404);
      expect(JSON.stringify(r.body)).not.toContain("row 2");
    }
  });

  it("a node that is no sink, or none at all, is SINK_NOT_FOUND; a bad limit is refused", async () => {
    for (const node of ["orders", "nope"]) {
      const r = await rowsOf(runId, node);
      expect(r.status).toBe(404);
      expect(r.body.error.code).toBe("SINK_NOT_FOUND");
    }
    expect((await rowsOf(runId, "load", 1000)).status).toBe(400);
  });

  it("a run that has not finished, or whose sink did not write, says so", async () => {
    const version = await t.db.pipelineVersion.findFirstOrThrow({ where: { pipelineId } });
    const row = (status: "queued" | "failed") =>
      t.db.run.create({ data: { id: randomUUID(), pipelineId, versionId: version.id, versionNumber: version.number, trigger: "test", status } });
    const queued = await rowsOf((await row("queued")).id, "load");
    expect([queued.status, queued.body.error.code]).toEqual([409, "RUN_NOT_FINISHED"]);
    const failed = await rowsOf((await row("failed")).id, "file");
    expect([failed.status, failed.body.error.code]).toEqual([409, "NOTHING_WRITTEN"]);
  });

  it("a table dropped or a file removed since is TARGET_GONE, with a message", async () => {
    const other = await finishedRun("soon_gone");
    await sqlRows(t.warehouse.url, "DROP TABLE warehouse.soon_gone");
    const table = await rowsOf(other.runId, "load");
    expect(table.status, JSON.stringify(table.body)).toBe(410);
    expect(table.body.error).toMatchObject({ code: "TARGET_GONE", message: expect.stringContaining('"warehouse"."soon_gone"') });
    rmSync(path.join(t.dataDir, "outputs", other.runId, "orders-out.csv"));
    const file = await rowsOf(other.runId, "file");
    expect(file.status, JSON.stringify(file.body)).toBe(410);
    expect(file.body.error).toMatchObject({ code: "TARGET_GONE", message: expect.stringContaining("orders-out.csv") });
  }, 60_000);
});
