import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import request from "supertest";
import { createTestApp, type TestApp } from "../testing/test-app.ts";
import { quickPipelineGraph } from "../testing/quick-pipeline.ts";
import { runRepository } from "./run.repository.ts";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
}, 60_000);
afterAll(async () => t?.close());

const graph = quickPipelineGraph();

describe("a run's duration", () => {
  it("is measured on one clock: a worker whose clock is an hour ahead does not make a run of a moment last an hour", async () => {
    const p = (await request(t.app).post("/api/pipelines").send({ name: "Skewed worker", graph })).body as { id: string };
    const version = await t.db.pipelineVersion.findFirstOrThrow({ where: { pipelineId: p.id } });
    const run = await t.db.run.create({ data: { pipelineId: p.id, versionId: version.id, versionNumber: 1 } });
    const runs = runRepository(t.db);
    expect(await runs.claim(run.id, "skewed")).toBe(1);
    vi.useFakeTimers({ toFake: ["Date"] });
    try {
      vi.setSystemTime(Date.now() + 3_600_000);
      expect(await runs.finish(run.id, "skewed", { status: "succeeded", rowsRead: 1, rowsWritten: 3_000_000_000 })).toBe(true);
    } finally {
      vi.useRealTimers();
    }
    const got = (await request(t.app).get(`/api/runs/${run.id}`)).body as { durationMs: number; rowsRead: number; rowsWritten: number; status: string };
    expect(got).toMatchObject({ status: "succeeded", rowsRead: 1, rowsWritten: 3_000_000_000 });
    expect(got.durationMs).toBeGreaterThanOrEqual(0);
    expect(got.durationMs).toBeLessThan(60_000);
    // Only once, and only by the worker that holds it; what was not said is left as it was.
    expect(await runs.finish(run.id, "skewed", { status: "failed" })).toBe(false);
    const other = await t.db.run.create({ data: { pipelineId: p.id, versionId: version.id, versionNumber: 1 } });
    await runs.claim(other.id, "w2");
    expect(await runs.finish(other.id, "w1", { status: "failed" })).toBe(false);
    expect(await runs.finish(other.id, "w2", { status: "failed", error: "boom" })).toBe(true);
    expect(await t.db.run.findUniqueOrThrow({ where: { id: other.id } })).toMatchObject({ status: "failed", error: "boom", rowsRead: null, rowsWritten: null });
  });
});
