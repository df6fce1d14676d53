import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import type { RunDetail } from "@sluice/model";
import { createTestApp, type TestApp } from "../testing/test-app.ts";
import { waitForRun } from "../testing/wait-for-run.ts";
import { sqlRows } from "../testing/sql-rows.ts";
import { resumeGraph, resumeTablesSql } from "../testing/resume-pipeline.ts";
import { nodeOutputsDir, sweepNodeOutputs } from "./node-outputs.ts";
import path from "node:path";
import { existsSync } from "node:fs";
import { execFile } from "node:child_process";
import type { Server } from "node:http";
import { promisify } from "node:util";
import { repoRoot } from "../config.ts";

const tables = { orders: "res_orders", customers: "res_customers", target: "res_report" };
let t: TestApp;
const warehouse = (sql: string) => sqlRows(t.warehouse.url, sql, []);

beforeAll(async () => {
  t = await createTestApp({ startWorker: true });
  for (const sql of resumeTablesSql(tables)) await warehouse(sql);
  await warehouse(`CREATE TABLE warehouse.res_orders_copy AS SELECT * FROM warehouse.${tables.orders}`);
}, 60_000);
afterAll(async () => t?.close());

/** The real `sluice` command against this test's server (as apps/server/src/pipelines/cli.test.ts calls it). */
async function sluice(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const server: Server = t.app.listen(0, "127.0.0.1");
  await new Promise((r) => server.once("listening", r));
  const a = server.address();
  const url = `http://127.0.0.1:${typeof a === "object" && a ? a.port : 0}`;
  try {
    const r = await promisify(execFile)(process.execPath, [path.join(repoRoot, "packages/cli/bin/sluice.mjs"), ...args], { cwd: repoRoot, env: { ...process.env, SLUICE_SERVER: url, SLUICE_TOKEN: "" } });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const x = e as { code: number; stdout: string; stderr: string };
    return { code: x.code, stdout: x.stdout, stderr: x.stderr };
  } finally {
    server.close();
  }
}

async function create(app: TestApp, graph: object) {
  const res = await request(app.app).post("/api/pipelines").send({ name: `resume ${Math.random()}`, graph });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.id as string;
}
async function save(app: TestApp, id: string, graph: object) {
  const current = await request(app.app).get(`/api/pipelines/${id}`);
  const res = await request(app.app).put(`/api/pipelines/${id}`).send({ baseVersion: current.body.currentVersion, graph });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
}
async function runOf(app: TestApp, id: string): Promise<RunDetail> {
  const start = await request(app.app).post(`/api/pipelines/${id}/runs`).send({});
  expect(start.status, JSON.stringify(start.body)).toBe(202);
  return waitForRun(app.app, start.body.runId, undefined, 60_000);
}
const node = (d: RunDetail, id: string) => d.nodes.find((n) => n.nodeId === id);
const report = () => warehouse(`SELECT * FROM warehouse.${tables.target} ORDER BY id`);

describe("resuming a run that failed at its join", () => {
  it("reuses the sources (not read again) on the fixed current version, and the target ends as a clean full run's", async () => {
    const id = await create(t, resumeGraph(tables, "fail"));
    const failed = await runOf(t, id);
    expect(failed.status).toBe("failed");
    expect(failed.error).toMatch(/^Orders with customers \(joined\): .*customer_ref/);
    expect(node(failed, "orders")).toMatchObject({ status: "succeeded", rowsOut: 5 });
    expect(node(failed, "customers")).toMatchObject({ status: "succeeded", rowsOut: 3 });
    expect(existsSync(nodeOutputsDir(path.join(t.dataDir, "outputs"), failed.id))).toBe(true);

    // On its own version the retype fails again; a resume on the current one is what the fix needs.
    await save(t, id, resumeGraph(tables, "null"));
    const started = await request(t.app).post(`/api/runs/${failed.id}/resume`).send({ version: "current" });
    expect(started.status, JSON.stringify(started.body)).toBe(202);
    const resumed = await waitForRun(t.app, started.body.runId, undefined, 60_000);
    expect(resumed.status, resumed.error ?? "").toBe("succeeded");
    expect(resumed.resumedFrom).toBe(failed.id);
    expect(resumed.versionNumber).toBe(2);
    expect(resumed.trigger).toBe("resume");
    // The sources were not read again: marked reused with the rows they produced, and the run read no rows.
    expect(node(resumed, "orders")).toMatchObject({ status: "succeeded", ranIn: "reused", rowsOut: 5 });
    expect(node(resumed, "customers")).toMatchObject({ status: "succeeded", ranIn: "reused", rowsOut: 3 });
    expect(resumed.rowsRead).toBe(0);
    for (const n of ["typed", "joined", "out"]) expect(node(resumed, n)).toMatchObject({ status: "succeeded", ranIn: "duckdb" });
    expect(node(resumed, "out")?.rowsOut).toBe(4);
    const afterResume = await report();

    const clean = await runOf(t, id);
    expect(clean.status).toBe("succeeded");
    expect(clean.rowsRead).toBe(8);
    expect(node(clean, "orders")?.ranIn).toBe("duckdb");
    expect(await report()).toEqual(afterResume);
    expect(afterResume).toHaveLength(4);

    const audit = await request(t.app).get("/api/audit").query({ action: "run.resumed" });
    expect(JSON.stringify(audit.body)).toContain(failed.id);
  });

  it("refuses a changed reused node, a run that did not fail, and a viewer", async () => {
    const id = await create(t, resumeGraph(tables, "fail"));
    const failed = await runOf(t, id);
    expect(failed.status).toBe("failed");
    // A new label alone changes nothing the run computes; another table does.
    await save(t, id, resumeGraph(tables, "null", "Orders renamed"));
    await save(t, id, resumeGraph({ ...tables, orders: "res_orders_copy" }, "null"));
    const changed = await request(t.app).post(`/api/runs/${failed.id}/resume`).send({ version: "current" });
    expect(changed.status).toBe(409);
    expect(changed.body.error).toMatchObject({ code: "RESUME_UPSTREAM_CHANGED" });
    expect(changed.body.error.message).toMatch(/Version 3 changed Orders, which the resumed run would reuse from version 1/);

    const viewer = await t.tokenFor("viewer");
    const refused = await request(t.bareApp).post(`/api/runs/${failed.id}/resume`).set("Authorization", `Bearer ${viewer}`).send({});
    expect(refused.status).toBe(403);
    const editor = await t.tokenFor("editor");
    const same = await request(t.bareApp).post(`/api/runs/${failed.id}/resume`).set("Authorization", `Bearer ${editor}`).send({});
    expect(same.status, JSON.stringify(same.body)).toBe(202);
    const again = await waitForRun(t.app, same.body.runId, undefined, 60_000);
    // Same version: the retype fails again, the sources still come from the first run.
    expect(again.status).toBe("failed");
    expect(node(again, "orders")?.ranIn).toBe("reused");
    // The CLI does the same and says what it reused; a failed run exits 3.
    const cli = await sluice("resume", failed.id);
    expect(cli.code, cli.stderr).toBe(3);
    expect(cli.stdout).toContain(`resuming run ${failed.id}`);
    expect(cli.stdout).toMatch(/reused: Orders \(5 rows\), Customers \(3 rows\)/);

    await save(t, id, resumeGraph(tables, "null"));
    const ok = await runOf(t, id);
    const done = await request(t.app).post(`/api/runs/${ok.id}/resume`).send({});
    expect(done.status).toBe(409);
    expect(done.body.error).toMatchObject({ code: "RUN_NOT_RESUMABLE" });
    expect((await request(t.app).post(`/api/runs/${ok.id}/resume`).send({ version: "latest" })).status).toBe(400);
  });

  it("removes node outputs past their retention, and then a resume says they are gone", async () => {
    const id = await create(t, resumeGraph(tables, "fail"));
    const failed = await runOf(t, id);
    const outputs = path.join(t.dataDir, "outputs");
    expect(await sweepNodeOutputs(outputs, 7 * 86_400_000)).not.toContain(failed.id);
    expect(await sweepNodeOutputs(outputs, 7 * 86_400_000, new Set([failed.id]), Date.now() + 8 * 86_400_000)).not.toContain(failed.id);
    expect(await sweepNodeOutputs(outputs, 7 * 86_400_000, new Set(), Date.now() + 8 * 86_400_000)).toContain(failed.id);
    expect(existsSync(nodeOutputsDir(outputs, failed.id))).toBe(false);
    const gone = await request(t.app).post(`/api/runs/${failed.id}/resume`).send({});
    expect(gone.status).toBe(410);
    expect(gone.body.error).toMatchObject({ code: "RUN_OUTPUTS_EXPIRED" });
    expect(gone.body.error.message).toMatch(/kept 7 days.*start a full run/);
  });
});

describe("a run whose node outputs pass the size limit", () => {
  let small: TestApp;
  beforeAll(async () => {
    small = await createTestApp({ startWorker: true, nodeOutputs: { retentionMs: 86_400_000, maxBytes: 100 } });
    for (const sql of resumeTablesSql(tables)) await sqlRows(small.warehouse.url, sql, []);
  }, 60_000);
  afterAll(async () => small?.close());

  it("keeps none of them, says so in its log, and cannot be resumed", async () => {
    const id = await create(small, resumeGraph(tables, "fail"));
    const failed = await runOf(small, id);
    expect(failed.status).toBe("failed");
    const logs = await small.db.runLog.findMany({ where: { runId: failed.id }, select: { message: true } });
    expect(JSON.stringify(logs)).toMatch(/passed the size limit \(100 bytes\) and were not kept/);
    const refused = await request(small.app).post(`/api/runs/${failed.id}/resume`).send({});
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({ code: "RUN_OUTPUTS_TOO_LARGE" });
    expect(refused.body.error.message).toMatch(/cannot be resumed, start a full run instead/);
  });
});
