import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import type { RunHistory } from "@sluice/model";
import { createTestApp, type TestApp } from "../testing/test-app.ts";
import { waitForRun } from "../testing/wait-for-run.ts";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ startWorker: true });
}, 60_000);
afterAll(async () => t?.close());

/** One inline value retyped to an integer into a CSV file: "not a number" makes the run fail at the retype. */
const graph = (values: string[]) => ({
  formatVersion: 1,
  nodes: [
    { id: "src", type: "inline", position: { x: 0, y: 0 }, config: { columns: [{ name: "v", type: "string" }], rows: values.map((v) => [v]) } },
    { id: "typed", type: "retype", position: { x: 300, y: 0 }, config: { columns: [{ column: "v", to: "integer" }], onError: "fail" } },
    { id: "out", type: "file-sink", position: { x: 600, y: 0 }, config: { name: "history", format: "csv" } },
  ],
  edges: [
    { id: "e1", source: "src", target: "typed" },
    { id: "e2", source: "typed", sourcePort: "out", target: "out" },
  ],
});
async function runOnce(id: string) {
  const r = await request(t.app).post(`/api/pipelines/${id}/runs`).send({});
  expect(r.status, JSON.stringify(r.body)).toBe(202);
  return waitForRun(t.app, r.body.runId);
}

describe("GET /api/run-history", () => {
  it("gives each pipeline's last runs oldest first, with start, duration, rows written and status", async () => {
    const created = await request(t.app).post("/api/pipelines").send({ name: "History", graph: graph(["1", "2", "3"]) });
    const id = created.body.id as string;
    const ok = await runOnce(id);
    expect(ok.status).toBe("succeeded");
    const v = (await request(t.app).get(`/api/pipelines/${id}`)).body.currentVersion;
    expect((await request(t.app).put(`/api/pipelines/${id}`).send({ baseVersion: v, graph: graph(["1", "not a number"]) })).status).toBe(200);
    const bad = await runOnce(id);
    expect(bad.status).toBe("failed");

    const res = await request(t.app).get(`/api/run-history?runs=5&pipelineId=${id}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const body = res.body as RunHistory;
    expect(body.pipelines).toHaveLength(1);
    expect(body.pipelines[0]).toMatchObject({ pipelineId: id, pipelineName: "History" });
    const [first, second] = body.pipelines[0]!.runs;
    expect(body.pipelines[0]!.runs).toHaveLength(2);
    expect(first).toMatchObject({ runId: ok.id, status: "succeeded", rowsWritten: 3, startedAt: ok.startedAt });
    expect(first!.durationMs).toBe(Date.parse(ok.finishedAt!) - Date.parse(ok.startedAt!));
    expect(second).toMatchObject({ runId: bad.id, status: "failed" });
    expect(second!.durationMs).toBeGreaterThanOrEqual(0);

    // runs=1 keeps the latest; the whole workspace lists this pipeline too; bad input says what to fix.
    expect((await request(t.app).get(`/api/run-history?runs=1&pipelineId=${id}`)).body.pipelines[0].runs.map((r: { runId: string }) => r.runId)).toEqual([bad.id]);
    expect(((await request(t.app).get("/api/run-history")).body as RunHistory).pipelines.map((p) => p.pipelineId)).toContain(id);
    const wrong = await request(t.app).get("/api/run-history?runs=0");
    expect(wrong.status).toBe(400);
  });

  it("shows a viewer the history, and nothing of another workspace", async () => {
    const viewer = await t.tokenFor("viewer");
    const res = await request(t.bareApp).get("/api/run-history").set("Authorization", `Bearer ${viewer}`);
    expect(res.status).toBe(200);
    const other = await t.db.workspace.create({ data: { name: `Other ${Date.now()}` } });
    const outsider = await t.tokenFor("owner", other.id);
    expect((await request(t.bareApp).get("/api/run-history").set("Authorization", `Bearer ${outsider}`)).body).toEqual({ pipelines: [] });
  });
});
