import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import { createTestApp, type TestApp } from "../testing/test-app.ts";
import { quickPipelineGraph } from "../testing/quick-pipeline.ts";
import { slowPipelineGraph } from "../testing/slow-pipeline.ts";
import { waitForRun } from "../testing/wait-for-run.ts";
import { DEFAULT_WORKSPACE_ID } from "../workspaces/workspace.repository.ts";

/**
 * Runs and schedules belong to the workspace of their pipeline: another workspace's owner finds none of them (404,
 * as for ids that do not exist), roles decide who may start and cancel, and every change is audited exactly once,
 * by whoever made it (a person or token, or the system for schedules and triggers).
 */
let t: TestApp;
let otherOwner: string;
beforeAll(async () => {
  t = await createTestApp({ startWorker: true, schedulerTickMs: 250 });
  const b = await t.db.$transaction((tx) => t.deps.workspaces.create(tx, "B", t.owner.id));
  otherOwner = await t.tokenFor("owner", b.id);
}, 60_000);
afterAll(async () => t?.close());

const as = (token: string) => ({ Authorization: `Bearer ${token}` });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function pipeline(name: string, graph: object = quickPipelineGraph("out")) {
  const res = await request(t.app).post("/api/pipelines").send({ name, graph });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.id as string;
}

/** Audit entries about one resource (or of one action), oldest first. */
const auditOf = (where: { resourceId?: string; action?: string }) => t.db.auditEvent.findMany({ where, orderBy: { id: "asc" } });

describe("runs and schedules within a workspace", () => {
  it("hides a run of another workspace's pipeline from every run route", async () => {
    const id = await pipeline("A's pipeline");
    const start = await request(t.app).post(`/api/pipelines/${id}/runs`).send({});
    expect(start.status, JSON.stringify(start.body)).toBe(202);
    const run = await waitForRun(t.app, start.body.runId);
    expect(run.status, run.error ?? "").toBe("succeeded");
    const output = run.outputs[0]!.name;
    expect((await request(t.app).get(`/api/runs/${run.id}/outputs/${output}`)).status).toBe(200);
    const auditBefore = await t.db.auditEvent.count();

    const other = as(otherOwner);
    for (const [method, path] of [
      ["get", `/api/runs/${run.id}`],
      ["get", `/api/runs/${run.id}/events`],
      ["get", `/api/runs/${run.id}/outputs/${output}`],
      ["post", `/api/runs/${run.id}/cancel`],
      ["post", `/api/runs/${run.id}/retry`],
      ["post", `/api/pipelines/${id}/runs`],
    ] as const) {
      const res = await request(t.bareApp)[method](path).set(other).send();
      expect(res.status, `${method} ${path}: ${JSON.stringify(res.body)}`).toBe(404);
    }
    const list = await request(t.bareApp).get("/api/runs").set(other);
    expect(list.body).toEqual({ runs: [], total: 0 });
    const filtered = await request(t.bareApp).get(`/api/runs?pipelineId=${id}`).set(other);
    expect(filtered.body).toEqual({ runs: [], total: 0 });
    // Nothing refused left a trace, and nothing was started.
    expect(await t.db.auditEvent.count()).toBe(auditBefore);
    expect(await t.db.run.count({ where: { pipelineId: id } })).toBe(1);
    // The owner of A sees it in A's list.
    const mine = await request(t.app).get("/api/runs");
    expect(mine.body.runs.map((r: { id: string }) => r.id)).toContain(run.id);
  });

  it("hides another workspace's schedules, and audits each schedule change once", async () => {
    const id = await pipeline("Scheduled in A");
    const created = await request(t.app).post(`/api/pipelines/${id}/schedules`).send({ cron: "0 6 * * *", enabled: false });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const scheduleId = created.body.id as string;

    const other = as(otherOwner);
    expect((await request(t.bareApp).get(`/api/pipelines/${id}/schedules`).set(other)).status).toBe(404);
    expect((await request(t.bareApp).post(`/api/pipelines/${id}/schedules`).set(other).send({ cron: "0 7 * * *" })).status).toBe(404);
    expect((await request(t.bareApp).put(`/api/schedules/${scheduleId}`).set(other).send({ enabled: true })).status).toBe(404);
    expect((await request(t.bareApp).delete(`/api/schedules/${scheduleId}`).set(other)).status).toBe(404);
    expect(await t.db.schedule.count({ where: { pipelineId: id } })).toBe(1);
    expect((await t.db.schedule.findUniqueOrThrow({ where: { id: scheduleId } })).enabled).toBe(false);

    const changed = await request(t.app).put(`/api/schedules/${scheduleId}`).send({ cron: "30 6 * * *" });
    expect(changed.status).toBe(200);
    expect((await request(t.app).delete(`/api/schedules/${scheduleId}`)).status).toBe(204);

    const entries = await auditOf({ resourceId: scheduleId });
    expect(entries.map((e) => e.action)).toEqual(["schedule.created", "schedule.changed", "schedule.deleted"]);
    for (const e of entries) {
      expect(e).toMatchObject({ workspaceId: DEFAULT_WORKSPACE_ID, actorKind: "token", actorLabel: "token test owner", resourceType: "schedule", resourceLabel: "Scheduled in A" });
    }
    expect(entries[1]!.details).toMatchObject({ changed: ["cron"], cron: "30 6 * * *" });
  });

  it("lets a runner start and cancel runs and a viewer do neither; each run change is audited once", async () => {
    const runner = await t.tokenFor("runner");
    const viewer = await t.tokenFor("viewer");
    const id = await pipeline("Slow", slowPipelineGraph("isolation_slow", { sleepSeconds: 5 }));

    const refused = await request(t.bareApp).post(`/api/pipelines/${id}/runs`).set(as(viewer)).send({});
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe("ROLE_FORBIDDEN");
    expect(await t.db.run.count({ where: { pipelineId: id } })).toBe(0);

    const start = await request(t.bareApp).post(`/api/pipelines/${id}/runs`).set(as(runner)).send({});
    expect(start.status, JSON.stringify(start.body)).toBe(202);
    const runId = start.body.runId as string;
    await waitForRun(t.app, runId, ["running"]);
    const viewerCancel = await request(t.bareApp).post(`/api/runs/${runId}/cancel`).set(as(viewer));
    expect(viewerCancel.status).toBe(403);
    const cancel = await request(t.bareApp).post(`/api/runs/${runId}/cancel`).set(as(runner));
    expect(cancel.status).toBe(202);
    // Asking again while it winds down changes nothing, so it is not audited again.
    expect((await request(t.bareApp).post(`/api/runs/${runId}/cancel`).set(as(runner))).status).toBe(202);
    expect((await waitForRun(t.app, runId)).status).toBe("cancelled");

    const retry = await request(t.bareApp).post(`/api/runs/${runId}/retry`).set(as(runner));
    expect(retry.status).toBe(202);
    const retried = retry.body.runId as string;
    await waitForRun(t.app, retried, ["running"]);
    expect((await request(t.bareApp).post(`/api/runs/${retried}/cancel`).set(as(runner))).status).toBe(202);
    await waitForRun(t.app, retried);

    const first = await auditOf({ resourceId: runId });
    expect(first.map((e) => e.action)).toEqual(["run.started", "run.cancelled"]);
    expect(first[0]).toMatchObject({
      workspaceId: DEFAULT_WORKSPACE_ID,
      actorKind: "token",
      resourceType: "run",
      resourceLabel: "Slow",
      details: { version: 1, trigger: "manual" },
    });
    expect(first[0]!.actorLabel).toMatch(/^token test runner/);
    const second = await auditOf({ resourceId: retried });
    expect(second.map((e) => e.action)).toEqual(["run.retried", "run.cancelled"]);
    expect(second[0]!.details).toEqual({ version: 1, trigger: "retry", retryOf: runId });
  }, 60_000);

  it("audits a run a schedule started, and one a trigger started, as the system", async () => {
    const upstream = await pipeline("Upstream");
    const downstream = await pipeline("Downstream");
    await t.db.pipelineTrigger.create({ data: { pipelineId: downstream, afterPipelineId: upstream } });
    const s = await request(t.app).post(`/api/pipelines/${upstream}/schedules`).send({ cron: "*/5 * * * * *" });
    expect(s.status).toBe(201);
    let scheduled: { id: string }[] = [];
    // The fastest cadence a schedule may have is every 5 seconds, checked every 5 seconds: allow a few slots.
    for (let i = 0; i < 120 && scheduled.length === 0; i++) {
      await sleep(250);
      scheduled = (await request(t.app).get(`/api/runs?pipelineId=${upstream}`)).body.runs;
    }
    expect((await request(t.app).put(`/api/schedules/${s.body.id}`).send({ enabled: false })).status).toBe(200);
    const runId = scheduled.at(-1)!.id;
    expect((await waitForRun(t.app, runId)).status).toBe("succeeded");

    const started = await auditOf({ resourceId: runId });
    expect(started).toHaveLength(1);
    expect(started[0]).toMatchObject({
      action: "run.started",
      workspaceId: DEFAULT_WORKSPACE_ID,
      actorKind: "system",
      actorId: null,
      actorLabel: `schedule ${s.body.id}`,
      address: null,
      details: { version: 1, trigger: "schedule" },
    });

    let after: { id: string }[] = [];
    for (let i = 0; i < 40 && after.length === 0; i++) {
      after = (await request(t.app).get(`/api/runs?pipelineId=${downstream}`)).body.runs;
      if (!after.length) await sleep(250);
    }
    const triggered = await auditOf({ resourceId: after.at(-1)!.id });
    expect(triggered).toHaveLength(1);
    expect(triggered[0]).toMatchObject({
      action: "run.started",
      workspaceId: DEFAULT_WORKSPACE_ID,
      actorKind: "system",
      actorLabel: "trigger after Upstream",
      details: { version: 1, trigger: "after: Upstream" },
    });
  }, 30_000);
});
