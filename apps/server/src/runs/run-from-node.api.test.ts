import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import type { RunDetail } from "@sluice/model";
import { createTestApp, type TestApp } from "../testing/test-app.ts";
import { waitForRun } from "../testing/wait-for-run.ts";
import { sqlRows } from "../testing/sql-rows.ts";
import { resumeGraph, resumeTablesSql } from "../testing/resume-pipeline.ts";
import { nodeOutputsDir } from "./node-outputs.ts";
import { rmSync } from "node:fs";
import path from "node:path";

// "Run from here" (docs/resume.md) on a real PostgreSQL, DuckDB and worker.
const tables = { orders: "rfn_orders", customers: "rfn_customers", target: "rfn_report" };
let t: TestApp;
const warehouse = (sql: string) => sqlRows(t.warehouse.url, sql, []);

beforeAll(async () => {
  t = await createTestApp({ startWorker: true });
  for (const sql of resumeTablesSql(tables)) await warehouse(sql);
}, 60_000);
afterAll(async () => t?.close());

async function create(graph: object) {
  const res = await request(t.app).post("/api/pipelines").send({ name: `run from ${Math.random()}`, graph });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.id as string;
}
async function started(id: string, body: object): Promise<RunDetail> {
  const start = await request(t.app).post(`/api/pipelines/${id}/runs`).send(body);
  expect(start.status, JSON.stringify(start.body)).toBe(202);
  return waitForRun(t.app, start.body.runId, undefined, 60_000);
}
const node = (d: RunDetail, id: string) => d.nodes.find((n) => n.nodeId === id);
const report = () => warehouse(`SELECT * FROM warehouse.${tables.target} ORDER BY id`);

describe("run from here", () => {
  it("runs the join and what follows from a succeeded run's stored sources, which are not read again", async () => {
    const id = await create(resumeGraph(tables, "null"));
    const noRun = await request(t.app).post(`/api/pipelines/${id}/runs`).send({ fromNode: "joined" });
    expect(noRun.status).toBe(409);
    expect(noRun.body.error).toMatchObject({ code: "RUN_FROM_NO_RUN" });
    expect(noRun.body.error.message).toMatch(/No run of version 1 has kept results for everything upstream of Orders with customers; run the whole pipeline first\./);

    const full = await started(id, {});
    expect(full.status).toBe("succeeded");
    const afterFull = await report();
    expect(afterFull).toHaveLength(4);
    await warehouse(`TRUNCATE warehouse.${tables.target}`);

    const from = await started(id, { fromNode: "joined", version: 1 });
    expect(from.status, from.error ?? "").toBe("succeeded");
    expect(from.resumedFrom).toBe(full.id);
    expect(from.trigger).toBe("from-node");
    // The retype streamed into the join (a view, not stored): it is computed again from the stored source.
    for (const n of ["orders", "customers"]) expect(node(from, n)).toMatchObject({ status: "succeeded", ranIn: "reused" });
    expect(node(from, "orders")?.rowsOut).toBe(5);
    expect(from.rowsRead).toBe(0);
    for (const n of ["joined", "out"]) expect(node(from, n)).toMatchObject({ status: "succeeded", ranIn: "duckdb" });
    expect(await report()).toEqual(afterFull);

    const audit = await request(t.app).get("/api/audit").query({ action: "run.resumed" });
    expect(JSON.stringify(audit.body)).toContain('"fromNode":"joined"');
  });

  it("reuses a failed run too, and refuses once its outputs are gone, an older version, an unknown node, and a viewer", async () => {
    const id = await create(resumeGraph(tables, "fail"));
    const failed = await started(id, {});
    expect(failed.status).toBe("failed");
    const retype = await started(id, { fromNode: "typed" });
    expect(retype.status).toBe("failed");
    expect(retype.resumedFrom).toBe(failed.id);
    expect(node(retype, "orders")?.ranIn).toBe("reused");

    const old = await request(t.app).post(`/api/pipelines/${id}/runs`).send({ fromNode: "typed", version: 2 });
    expect(old.status).toBe(409);
    expect(old.body.error.code).toBe("RUN_FROM_NOT_CURRENT");
    expect(old.body.error.message).toMatch(/save your changes/);
    const unknown = await request(t.app).post(`/api/pipelines/${id}/runs`).send({ fromNode: "nope" });
    expect(unknown.status).toBe(422);
    expect(unknown.body.error.code).toBe("NODE_NOT_FOUND");
    const withParams = await request(t.app).post(`/api/pipelines/${id}/runs`).send({ fromNode: "typed", params: { x: 1 } });
    expect(withParams.status).toBe(400);
    expect(withParams.body.error.message).toMatch(/leave out params/);
    const viewer = await t.tokenFor("viewer");
    const refused = await request(t.bareApp).post(`/api/pipelines/${id}/runs`).set("Authorization", `Bearer ${viewer}`).send({ fromNode: "typed" });
    expect(refused.status).toBe(403);

    for (const run of [failed, retype]) rmSync(nodeOutputsDir(path.join(t.dataDir, "outputs"), run.id), { recursive: true, force: true });
    const gone = await request(t.app).post(`/api/pipelines/${id}/runs`).send({ fromNode: "joined" });
    expect(gone.status).toBe(409);
    expect(gone.body.error.code).toBe("RUN_FROM_NO_RUN");
  });
});
