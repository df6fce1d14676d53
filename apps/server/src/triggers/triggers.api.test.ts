import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import { createTestApp, type TestApp } from "../testing/test-app.ts";
import { waitForRun } from "../testing/wait-for-run.ts";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ startWorker: true });
}, 60_000);
afterAll(async () => t?.close());

const graph = (value: string, to: "integer" | "string") => ({
  formatVersion: 1,
  nodes: [
    { id: "src", type: "inline", position: { x: 0, y: 0 }, config: { columns: [{ name: "v", type: "string" }], rows: [[value]] } },
    { id: "typed", type: "retype", position: { x: 300, y: 0 }, config: { columns: [{ column: "v", to }], onError: "fail" } },
    { id: "out", type: "file-sink", position: { x: 600, y: 0 }, config: { name: "out", format: "csv" } },
  ],
  edges: [
    { id: "e1", source: "src", target: "typed" },
    { id: "e2", source: "typed", sourcePort: "out", target: "out" },
  ],
});
async function pipeline(name: string, g = graph("1", "integer")) {
  const r = await request(t.app).post("/api/pipelines").send({ name, graph: g });
  expect(r.status).toBe(201);
  return r.body.id as string;
}
const runsOf = async (id: string) => (await request(t.app).get(`/api/runs?pipelineId=${id}`)).body.runs as { id: string; trigger: string; status: string }[];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("run after another pipeline succeeds", () => {
  it("queues the dependent pipeline when the upstream one succeeds, and not when it fails", async () => {
    const extract = await pipeline("Extract");
    const report = await pipeline("Report");
    const set = await request(t.app).put(`/api/pipelines/${report}/triggers`).send({ after: [extract] });
    expect(set.status, JSON.stringify(set.body)).toBe(200);
    expect(set.body.after).toEqual([{ id: extract, name: "Extract" }]);

    const first = await request(t.app).post(`/api/pipelines/${extract}/runs`).send({});
    expect((await waitForRun(t.app, first.body.runId)).status).toBe("succeeded");
    for (let i = 0; i < 50 && (await runsOf(report)).length === 0; i++) await sleep(100);
    const started = await runsOf(report);
    expect(started).toHaveLength(1);
    expect(started[0]!.trigger).toBe("after: Extract");
    expect((await waitForRun(t.app, started[0]!.id)).status).toBe("succeeded");

    // The upstream pipeline breaks: its failed run starts nothing.
    const v = (await request(t.app).get(`/api/pipelines/${extract}`)).body.currentVersion;
    await request(t.app).put(`/api/pipelines/${extract}`).send({ baseVersion: v, graph: graph("not a number", "integer") });
    const second = await request(t.app).post(`/api/pipelines/${extract}/runs`).send({});
    expect((await waitForRun(t.app, second.body.runId)).status).toBe("failed");
    await sleep(1000);
    expect(await runsOf(report)).toHaveLength(1);
  }, 60_000);

  it("refuses a loop with 422 naming it, and unknown pipelines with 400", async () => {
    const a = await pipeline("Loop A");
    const b = await pipeline("Loop B");
    const c = await pipeline("Loop C");
    expect((await request(t.app).put(`/api/pipelines/${b}/triggers`).send({ after: [a] })).status).toBe(200);
    expect((await request(t.app).put(`/api/pipelines/${c}/triggers`).send({ after: [b] })).status).toBe(200);
    const loop = await request(t.app).put(`/api/pipelines/${a}/triggers`).send({ after: [c] });
    expect(loop.status).toBe(422);
    expect(loop.body.error.code).toBe("TRIGGER_LOOP");
    expect(loop.body.error.message).toContain("Loop A → Loop B → Loop C → Loop A");
    const self = await request(t.app).put(`/api/pipelines/${a}/triggers`).send({ after: [a] });
    expect(self.status).toBe(422);
    const unknown = await request(t.app).put(`/api/pipelines/${a}/triggers`).send({ after: ["00000000-0000-4000-8000-000000000000"] });
    expect(unknown.status).toBe(400);
    expect((await request(t.app).get(`/api/pipelines/${a}/triggers`)).body.after).toEqual([]);
  });
});
