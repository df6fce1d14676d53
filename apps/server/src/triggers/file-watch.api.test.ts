import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import { BUILT_IN_CONNECTION_ID } from "../connections/connection.repository.ts";
import { createTestApp, type TestApp } from "../testing/test-app.ts";
import { waitForRun } from "../testing/wait-for-run.ts";
import { sqlRows } from "../testing/sql-rows.ts";
import { slowPipelineGraph } from "../testing/slow-pipeline.ts";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ startWorker: true });
}, 60_000);
afterAll(async () => t?.close());

const warehouse = (sql: string) => sqlRows(t.warehouse.url, sql);
const csv = (rows: number, from = 1) => Buffer.from(`id,name\n${Array.from({ length: rows }, (_, i) => `${from + i},row ${from + i}`).join("\n")}\n`);
const upload = async (name: string, body: Buffer, onExists?: "replace") => {
  const r = await request(t.app).post(`/api/files${onExists ? `?onExists=${onExists}` : ""}`).attach("file", body, name);
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body.id as string;
};
const runsOf = async (id: string) => (await request(t.app).get(`/api/runs?pipelineId=${id}`)).body.runs as { id: string; trigger: string; status: string }[];
async function pipeline(name: string, graph: object) {
  const r = await request(t.app).post("/api/pipelines").send({ name, graph });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body.id as string;
}
const fileToTable = (fileId: string, table: string) => ({
  formatVersion: 1,
  nodes: [
    { id: "src", type: "file", position: { x: 0, y: 0 }, config: { fileId } },
    { id: "sink", type: "postgres-sink", position: { x: 300, y: 0 }, config: { connectionId: BUILT_IN_CONNECTION_ID, schema: "warehouse", table, mode: "replace" } },
  ],
  edges: [{ id: "e1", source: "src", target: "sink" }],
});

describe("a pipeline watching uploaded file names", () => {
  it("runs once per new content of a matching file and loads it; the same content again starts nothing", async () => {
    const fileId = await upload("watched-orders.csv", csv(3));
    const id = await pipeline("Load orders", fileToTable(fileId, "watched_orders"));
    const set = await request(t.app).put(`/api/pipelines/${id}/file-watch`).send({ pattern: "WATCHED-*.csv" });
    expect(set.status, JSON.stringify(set.body)).toBe(200);
    expect(set.body).toEqual({ pattern: "WATCHED-*.csv", recent: [] });
    expect(await runsOf(id)).toHaveLength(0);

    // New content under the watched name: one run, and its rows land in the target.
    expect(await upload("watched-orders.csv", csv(5), "replace")).toBe(fileId);
    const started = await runsOf(id);
    expect(started).toHaveLength(1);
    expect(started[0]!.trigger).toBe("file: watched-orders.csv");
    expect((await waitForRun(t.app, started[0]!.id)).status).toBe("succeeded");
    expect(await warehouse(`SELECT count(*)::int AS n, max(id)::int AS top FROM warehouse.watched_orders`)).toEqual([{ n: 5, top: 5 }]);

    // The same bytes again: nothing new to load, no run.
    await upload("watched-orders.csv", csv(5), "replace");
    // A name the pattern does not match: no run either.
    await upload("other-orders.csv", csv(2));
    expect(await runsOf(id)).toHaveLength(1);
    const watch = await request(t.app).get(`/api/pipelines/${id}/file-watch`);
    expect(watch.body.recent).toMatchObject([{ fileId, fileName: "watched-orders.csv", runId: started[0]!.id, coalesced: false }]);
  }, 60_000);

  it("coalesces uploads while a run of the pipeline is queued: a burst starts one more run, not one each", async () => {
    // Long enough that the burst lands while run 1 is still running on a busy machine; both runs are cancelled after.
    const id = await pipeline("Slow burst", slowPipelineGraph("burst_out", { sleepSeconds: 300 }));
    expect((await request(t.app).put(`/api/pipelines/${id}/file-watch`).send({ pattern: "burst-??.csv" })).status).toBe(200);
    await upload("burst-01.csv", csv(1));
    const [first] = await runsOf(id);
    await waitForRun(t.app, first!.id, ["running"], 60_000);
    // Runs of one pipeline queue behind each other: the next upload queues run 2, the rest join it.
    for (let i = 2; i <= 6; i++) await upload(`burst-0${i}.csv`, csv(1, i));
    const runs = await runsOf(id);
    expect(runs).toHaveLength(2);
    const recent = (await request(t.app).get(`/api/pipelines/${id}/file-watch`)).body.recent as { coalesced: boolean; runId: string }[];
    expect(recent.filter((r) => r.coalesced)).toHaveLength(4);
    expect(new Set(recent.filter((r) => r.coalesced).map((r) => r.runId))).toEqual(new Set([runs.find((r) => r.id !== first!.id)!.id]));
    for (const r of runs) expect((await request(t.app).post(`/api/runs/${r.id}/cancel`)).status).toBe(202);
    for (const r of runs) expect((await waitForRun(t.app, r.id, undefined, 60_000)).status).toBe("cancelled");
  }, 180_000);

  it("lets editors set a watch but not viewers, checks the pattern, and clears it with null", async () => {
    const id = await pipeline("Watched by roles", slowPipelineGraph("roles_out", { sleepSeconds: 0 }));
    const viewer = await t.tokenFor("viewer");
    const editor = await t.tokenFor("editor");
    const denied = await request(t.bareApp).put(`/api/pipelines/${id}/file-watch`).set("Authorization", `Bearer ${viewer}`).send({ pattern: "*.csv" });
    expect(denied.status).toBe(403);
    expect((await request(t.bareApp).get(`/api/pipelines/${id}/file-watch`).set("Authorization", `Bearer ${viewer}`)).body.pattern).toBeNull();
    const ok = await request(t.bareApp).put(`/api/pipelines/${id}/file-watch`).set("Authorization", `Bearer ${editor}`).send({ pattern: "*.csv" });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    const bad = await request(t.app).put(`/api/pipelines/${id}/file-watch`).send({ pattern: "in/folder.csv" });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain("cannot hold /");
    expect((await request(t.app).put(`/api/pipelines/${id}/file-watch`).send({ pattern: null })).body.pattern).toBeNull();
    const audit = await request(t.app).get(`/api/audit?resourceId=${id}`);
    expect(audit.status).toBe(200);
    expect(JSON.stringify(audit.body)).toContain("file_watch.changed");
  });
});
