import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import pg from "pg";
import { createTestApp, type TestApp } from "../testing/test-app.ts";
import { slowPipelineGraph } from "../testing/slow-pipeline.ts";
import { waitForRun } from "../testing/wait-for-run.ts";
import { BUILT_IN_CONNECTION_ID } from "../connections/connection.repository.ts";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ startWorker: true });
}, 60_000);
afterAll(async () => t?.close());

async function targetRows(table: string) {
  const c = new pg.Client({ connectionString: t.warehouse.url });
  await c.connect();
  try {
    return (await c.query(`SELECT * FROM warehouse.${table} ORDER BY 1`)).rows;
  } catch (e) {
    if ((e as { code?: string }).code === "42P01") return null;
    throw e;
  } finally {
    await c.end();
  }
}

function graphInto(table: string, rows: unknown[][], extra: { nodes?: object[]; edges?: object[] } = {}) {
  return {
    formatVersion: 1,
    nodes: [
      {
        id: "src",
        type: "inline",
        position: { x: 0, y: 0 },
        config: { columns: [{ name: "id", type: "integer" }, { name: "name", type: "string" }], rows },
      },
      {
        id: "sink",
        type: "postgres-sink",
        position: { x: 300, y: 0 },
        config: { connectionId: BUILT_IN_CONNECTION_ID, schema: "warehouse", table, mode: "replace" },
      },
      ...(extra.nodes ?? []),
    ],
    edges: [{ id: "e1", source: "src", target: "sink" }, ...(extra.edges ?? [])],
  };
}

async function createPipeline(graph: object, name = "Run me") {
  const res = await request(t.app).post("/api/pipelines").send({ name, graph });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.id as string;
}

const waitFor = (runId: string, statuses: string[], timeoutMs?: number) => waitForRun(t.app, runId, statuses, timeoutMs);

describe("runs", () => {
  it("runs a pipeline into Postgres and records per-node results", async () => {
    const id = await createPipeline(graphInto("people", [[1, "Ada"], [2, "Grace"], [3, null]]));
    const start = await request(t.app).post(`/api/pipelines/${id}/runs`).send({});
    expect(start.status, JSON.stringify(start.body)).toBe(202);
    const run = await waitFor(start.body.runId, ["succeeded", "failed"]);
    expect(run.status, run.error ?? "").toBe("succeeded");
    expect(run.rowsWritten).toBe(3);
    expect(run.nodes.find((n: { nodeId: string }) => n.nodeId === "src")).toMatchObject({ status: "succeeded", rowsOut: 3 });
    expect(run.nodes.find((n: { nodeId: string }) => n.nodeId === "sink")).toMatchObject({ status: "succeeded", rowsIn: 3 });
    expect(await targetRows("people")).toEqual([
      { id: 1, name: "Ada" },
      { id: 2, name: "Grace" },
      { id: 3, name: null },
    ]);
    const list = await request(t.app).get(`/api/runs?pipelineId=${id}&status=succeeded`);
    expect(list.body.runs.map((r: { id: string }) => r.id)).toEqual([start.body.runId]);
    const pipelines = await request(t.app).get("/api/pipelines");
    expect(pipelines.body.pipelines.find((p: { id: string }) => p.id === id).lastRun.status).toBe("succeeded");
  });

  it("replays a finished run's events and ends the stream", async () => {
    const id = await createPipeline(graphInto("events", [[1, "x"]]));
    const { body } = await request(t.app).post(`/api/pipelines/${id}/runs`).send({});
    await waitFor(body.runId, ["succeeded", "failed"]);
    const res = await request(t.app).get(`/api/runs/${body.runId}/events`).buffer(true).parse((r, cb) => {
      let text = "";
      r.on("data", (c: Buffer) => (text += c.toString()));
      r.on("end", () => cb(null, text));
    });
    expect(res.headers["content-type"]).toContain("text/event-stream");
    const text = res.body as string;
    expect(text).toContain("event: run");
    expect(text).toContain("event: node");
    expect(text).toContain("event: log");
    expect(text).toMatch(/event: end\ndata: \{"type":"end","status":"succeeded"\}/);
  });

  it("refuses to run an invalid graph with 422 and the problems", async () => {
    const id = await createPipeline({
      formatVersion: 1,
      nodes: [{ id: "sel", type: "select", position: { x: 0, y: 0 }, config: { columns: [{ name: "nope" }] } }],
      edges: [],
    });
    const res = await request(t.app).post(`/api/pipelines/${id}/runs`).send({});
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe("PIPELINE_INVALID");
    expect(res.body.error.details.problems.map((p: { code: string }) => p.code)).toContain("PORT_INPUT_MISSING");
    expect(await t.db.run.count({ where: { pipelineId: id } })).toBe(0);
  });

  it("answers unknown pipelines, versions and runs with 404", async () => {
    const uuid = "5f0c4f6e-0000-4000-8000-000000000000";
    expect((await request(t.app).post(`/api/pipelines/${uuid}/runs`).send({})).status).toBe(404);
    const id = await createPipeline(graphInto("v404", [[1, "x"]]));
    const res = await request(t.app).post(`/api/pipelines/${id}/runs`).send({ version: 9 });
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe("VERSION_NOT_FOUND");
    expect((await request(t.app).get(`/api/runs/${uuid}`)).status).toBe(404);
    expect((await request(t.app).post(`/api/runs/${uuid}/cancel`)).status).toBe(404);
  });

  it("a failing run leaves the target exactly as it was", async () => {
    const id = await createPipeline(graphInto("kept", [[1, "first"]]));
    const ok = await request(t.app).post(`/api/pipelines/${id}/runs`).send({});
    expect((await waitFor(ok.body.runId, ["succeeded", "failed"])).status).toBe("succeeded");
    // Version 2 fails when it commits: mode "create" on a table that already exists.
    const broken = graphInto("kept", [[2, "second"]]);
    (broken.nodes[1] as { config: Record<string, unknown> }).config.mode = "create";
    const put = await request(t.app).put(`/api/pipelines/${id}`).send({ baseVersion: 1, graph: broken });
    expect(put.status).toBe(200);
    const bad = await request(t.app).post(`/api/pipelines/${id}/runs`).send({});
    const run = await waitFor(bad.body.runId, ["succeeded", "failed"]);
    expect(run.status).toBe("failed");
    expect(run.error).toBeTruthy();
    expect(await targetRows("kept")).toEqual([{ id: 1, name: "first" }]);
  });

  it("cancels a running run within about 2 s, leaving the target unchanged", async () => {
    const slow = slowPipelineGraph("slow_target", { sleepSeconds: 60 });
    const id = await createPipeline(slow, "Slow");
    const { body } = await request(t.app).post(`/api/pipelines/${id}/runs`).send({});
    expect(body.runId, JSON.stringify(body)).toBeDefined();
    await waitFor(body.runId, ["running"]);
    await new Promise((r) => setTimeout(r, 500));
    const cancelledAt = Date.now();
    const res = await request(t.app).post(`/api/runs/${body.runId}/cancel`);
    expect(res.status).toBe(202);
    const run = await waitFor(body.runId, ["cancelled", "failed", "succeeded"], 10_000);
    expect(run.status).toBe("cancelled");
    expect(Date.now() - cancelledAt).toBeLessThan(3000);
    expect(await targetRows("slow_target")).toBeNull();
    expect((await request(t.app).post(`/api/runs/${body.runId}/cancel`)).status).toBe(409);
  }, 30_000);

  it("retries a run as a new run of the same version", async () => {
    const id = await createPipeline(graphInto("retried", [[1, "x"]]));
    const first = await request(t.app).post(`/api/pipelines/${id}/runs`).send({});
    await waitFor(first.body.runId, ["succeeded", "failed"]);
    const retry = await request(t.app).post(`/api/runs/${first.body.runId}/retry`);
    expect(retry.status).toBe(202);
    expect(retry.body.runId).not.toBe(first.body.runId);
    const run = await waitFor(retry.body.runId, ["succeeded", "failed"]);
    expect(run).toMatchObject({ status: "succeeded", trigger: "retry", versionNumber: 1 });
  });

  it("executes a run delivered twice only once", async () => {
    const graph = graphInto("once", [[1, "x"]]);
    (graph.nodes[1] as { config: Record<string, unknown> }).config.mode = "append";
    const id = await createPipeline(graph);
    const { body } = await request(t.app).post(`/api/pipelines/${id}/runs`).send({});
    // A second delivery of the same run, as an at-least-once queue may make.
    const duplicateJob = await t.deps.runs.queue.enqueue({ id: body.runId, pipelineId: id });
    await waitFor(body.runId, ["succeeded", "failed"]);
    const until = Date.now() + 15_000;
    for (;;) {
      const job = await t.deps.runs.queue.boss.getJobById("pipeline-runs", duplicateJob);
      if (job?.state === "completed") break;
      if (Date.now() > until) throw new Error(`duplicate job still ${job?.state}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(await targetRows("once")).toEqual([{ id: 1, name: "x" }]);
    const starts = await t.db.runLog.count({ where: { runId: body.runId, message: { startsWith: "Started attempt" } } });
    expect(starts).toBe(1);
  }, 30_000);
});
