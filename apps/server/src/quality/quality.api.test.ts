import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import { createTestApp, type TestApp } from "../testing/test-app.ts";
import { sqlRows } from "../testing/sql-rows.ts";
import { waitForRun } from "../testing/wait-for-run.ts";
import { BUILT_IN_CONNECTION_ID } from "../connections/connection.repository.ts";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ startWorker: true });
}, 60_000);
afterAll(async () => t?.close());

const sql = (text: string) => sqlRows(t.warehouse.url, text);

/** Orders into a warehouse table, through a check whose threshold is a run parameter. */
const graph = {
  formatVersion: 1,
  parameters: [
    { name: "min_amount", type: "integer", default: 0, description: "Smallest acceptable amount" },
    { name: "since", type: "date", default: "2024-01-01" },
  ],
  nodes: [
    {
      id: "orders",
      type: "inline",
      position: { x: 0, y: 0 },
      config: {
        columns: [{ name: "id", type: "integer" }, { name: "amount", type: "integer" }, { name: "day", type: "date" }],
        rows: [[1, 10, "2024-01-02"], [2, 20, "2024-02-01"], [3, 5, "2023-12-31"]],
      },
    },
    { id: "recent", type: "derive", position: { x: 200, y: 0 }, config: { derivations: [{ column: "recent", expression: "day >= param('since')" }] } },
    {
      id: "qa",
      type: "check",
      position: { x: 400, y: 0 },
      config: {
        rules: [
          { kind: "expression", expression: "amount >= param('min_amount')", name: "amount above the minimum" },
          { kind: "unique", columns: ["id"], severity: "warn" },
        ],
      },
    },
    {
      id: "load",
      type: "postgres-sink",
      position: { x: 600, y: 0 },
      config: { connectionId: BUILT_IN_CONNECTION_ID, schema: "warehouse", table: "qa_orders", mode: "replace", keys: [] },
    },
  ],
  edges: [
    { id: "e1", source: "orders", target: "recent" },
    { id: "e2", source: "recent", target: "qa", targetPort: "in" },
    { id: "e3", source: "qa", target: "load" },
  ],
};

describe("parameters and quality checks through the API", () => {
  let id: string;
  beforeAll(async () => {
    const p = await request(t.app).post("/api/pipelines").send({ name: "Checked orders", graph });
    expect(p.status, JSON.stringify(p.body)).toBe(201);
    id = p.body.id;
  });

  it("runs with defaults, stores every value used and the rule results", async () => {
    const started = await request(t.app).post(`/api/pipelines/${id}/runs`).send({});
    expect(started.status).toBe(202);
    const run = await waitForRun(t.app, started.body.runId);
    expect(run.status, run.error ?? "").toBe("succeeded");
    expect(run.params).toEqual({ min_amount: 0, since: "2024-01-01" });
    expect(run.checks.map((c) => [c.rule, c.severity, c.passed, c.failingRows, c.rowsChecked])).toEqual([
      ["amount above the minimum", "fail", true, 0, 3],
      ["id unique", "warn", true, 0, 3],
    ]);
    expect(await sql("SELECT id, recent FROM warehouse.qa_orders ORDER BY id")).toEqual([
      { id: 1, recent: true },
      { id: 2, recent: true },
      { id: 3, recent: false },
    ]);
  });

  it("a failing rule fails the run before the sink: the table keeps its rows, the failing rows are shown", async () => {
    const started = await request(t.app).post(`/api/pipelines/${id}/runs`).send({ params: { min_amount: "8", since: "2024-01-15" } });
    expect(started.status).toBe(202);
    const run = await waitForRun(t.app, started.body.runId);
    expect(run.status).toBe("failed");
    expect(run.error).toContain('"amount above the minimum" (1 of 3 rows fail)');
    expect(run.params).toEqual({ min_amount: 8, since: "2024-01-15" });
    expect(run.checks[0]).toMatchObject({ passed: false, failingRows: 1, samples: [{ id: 3, amount: 5, day: "2023-12-31", recent: false }] });
    // In the input's column order, as the run page shows them.
    expect(Object.keys(run.checks[0]!.samples[0]!)).toEqual(["id", "amount", "day", "recent"]);
    expect(run.nodes.find((n) => n.nodeId === "qa")).toMatchObject({ status: "failed" });
    expect(run.nodes.find((n) => n.nodeId === "load")).toBeUndefined();
    // Unchanged: the rows of the first run, with its "since".
    expect(await sql("SELECT id, recent FROM warehouse.qa_orders ORDER BY id")).toEqual([
      { id: 1, recent: true },
      { id: 2, recent: true },
      { id: 3, recent: false },
    ]);
  });

  it("refuses values that do not fit, or parameters the pipeline does not have, without starting a run", async () => {
    const before = (await request(t.app).get(`/api/runs?pipelineId=${id}`)).body.total;
    const wrong = await request(t.app).post(`/api/pipelines/${id}/runs`).send({ params: { min_amount: "lots", since: "2024-13-01" } });
    expect(wrong.status).toBe(422);
    expect(wrong.body.error.code).toBe("PARAMETERS_INVALID");
    expect(wrong.body.error.details.problems.map((p: { field: string }) => p.field)).toEqual(["params.min_amount", "params.since"]);
    const unknown = await request(t.app).post(`/api/pipelines/${id}/runs`).send({ params: { max_amount: 3 } });
    expect(unknown.status, JSON.stringify(unknown.body)).toBe(422);
    expect(unknown.body.error.message).toContain('The pipeline has no parameter "max_amount"; it has "min_amount", "since".');
    const malformed = await request(t.app).post(`/api/pipelines/${id}/runs`).send({ params: { min_amount: { x: 1 } } });
    expect(malformed.status).toBe(400);
    expect((await request(t.app).get(`/api/runs?pipelineId=${id}`)).body.total).toBe(before);
  });

  it("previews a check node's results, with defaults or with the values given", async () => {
    const byDefault = await request(t.app).post("/api/preview").send({ graph, nodeId: "qa" });
    expect(byDefault.status).toBe(200);
    expect(byDefault.body.rows).toHaveLength(3);
    expect(byDefault.body.checks.map((c: { passed: boolean }) => c.passed)).toEqual([true, true]);
    const strict = await request(t.app).post("/api/preview").send({ graph, nodeId: "qa", params: { min_amount: 15 } });
    expect(strict.body.checks[0]).toMatchObject({ passed: false, failingRows: 2, message: "2 of 3 rows fail" });
    expect(strict.body.checks[0].samples.map((r: { id: number }) => r.id)).toEqual([1, 3]);
  });

  it("schedules carry parameter values, checked against the pipeline", async () => {
    const bad = await request(t.app).post(`/api/pipelines/${id}/schedules`).send({ cron: "0 3 * * *", params: { since: "yesterday" } });
    expect(bad.status).toBe(422);
    const good = await request(t.app).post(`/api/pipelines/${id}/schedules`).send({ cron: "0 3 * * *", enabled: false, params: { since: "2024-06-01" } });
    expect(good.status).toBe(201);
    expect(good.body.params).toEqual({ since: "2024-06-01" });
    const changed = await request(t.app).put(`/api/schedules/${good.body.id}`).send({ params: { min_amount: 2 } });
    expect(changed.body.params).toEqual({ min_amount: 2 });
    expect((await request(t.app).put(`/api/schedules/${good.body.id}`).send({ params: { min_amount: 1.5 } })).status).toBe(422);
  });

  it("the quality trend lists each pipeline's recent outcomes, newest first", async () => {
    const trend = await request(t.app).get("/api/quality/trend?runs=5");
    expect(trend.status).toBe(200);
    const mine = trend.body.pipelines.find((p: { pipelineId: string }) => p.pipelineId === id);
    expect(mine.pipelineName).toBe("Checked orders");
    expect(mine.runs.map((r: { outcome: string; failedRules: number }) => [r.outcome, r.failedRules])).toEqual([
      ["failed", 1],
      ["passed", 0],
    ]);
    expect((await request(t.app).get("/api/quality/trend?runs=0")).status).toBe(400);
  });
});
