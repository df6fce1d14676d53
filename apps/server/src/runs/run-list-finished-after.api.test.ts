import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import { createTestApp, type TestApp } from "../testing/test-app.ts";
import { quickPipelineGraph } from "../testing/quick-pipeline.ts";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
}, 60_000);
afterAll(async () => t?.close());

const graph = quickPipelineGraph();

describe("GET /api/runs?finishedAfter=", () => {
  it("counts every run that finished since then, not only a page of them (the home page's failures of the last day)", async () => {
    const p = (await request(t.app).post("/api/pipelines").send({ name: "Often failing", graph })).body as { id: string };
    const version = await t.db.pipelineVersion.findFirstOrThrow({ where: { pipelineId: p.id } });
    const now = Date.now();
    const hour = 3_600_000;
    // 60 failures in the last day (more than any page), 3 older ones, and one that was queued 30 h ago and failed 1 h ago.
    const finished = [...Array.from({ length: 60 }, (_, i) => now - (i + 1) * 60_000), ...[25, 30, 48].map((h) => now - h * hour)];
    await t.db.run.createMany({
      data: [
        ...finished.map((at) => ({ pipelineId: p.id, versionId: version.id, versionNumber: 1, status: "failed" as const, createdAt: new Date(at - 1000), startedAt: new Date(at - 1000), finishedAt: new Date(at) })),
        { pipelineId: p.id, versionId: version.id, versionNumber: 1, status: "failed" as const, createdAt: new Date(now - 30 * hour), startedAt: new Date(now - 2 * hour), finishedAt: new Date(now - hour) },
        { pipelineId: p.id, versionId: version.id, versionNumber: 1, status: "succeeded" as const, createdAt: new Date(now - hour), startedAt: new Date(now - hour), finishedAt: new Date(now - hour + 5000) },
      ],
    });
    const since = new Date(now - 24 * hour).toISOString();
    const res = await request(t.app).get(`/api/runs?pipelineId=${p.id}&status=failed&finishedAfter=${encodeURIComponent(since)}&limit=1`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.total).toBe(61);
    expect(res.body.runs).toHaveLength(1);
    const all = await request(t.app).get(`/api/runs?pipelineId=${p.id}&finishedAfter=${encodeURIComponent(since)}&limit=1`);
    expect(all.body.total).toBe(62);
    expect((await request(t.app).get(`/api/runs?pipelineId=${p.id}&status=failed&limit=1`)).body.total).toBe(64);
    const bad = await request(t.app).get("/api/runs?finishedAfter=yesterday");
    expect(bad.status).toBe(400);
  });
});
