import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import { createTestApp, type TestApp } from "../testing/test-app.ts";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
}, 60_000);
afterAll(async () => t?.close());

const graph = (n: number) => ({
  formatVersion: 1,
  nodes: [
    { id: "src", type: "inline", position: { x: 0, y: 0 }, config: { columns: [{ name: "n", type: "integer" }], rows: [[n]] } },
    { id: "top", type: "limit", position: { x: 300, y: 0 }, config: { count: 10, offset: 0 } },
  ],
  edges: [{ id: "e1", source: "src", target: "top" }],
});

describe("pipelines as files: export and import", () => {
  it("round-trips unchanged, reports a change before making it, and keeps history", async () => {
    const p = (await request(t.app).post("/api/pipelines").send({ name: "Exported", description: "d", graph: graph(1) })).body;
    const file = (await request(t.app).get(`/api/pipelines/${p.id}/export`)).body;
    expect(file).toMatchObject({ name: "Exported", description: "d", graph: { formatVersion: 1 } });
    const all = (await request(t.app).get("/api/export/pipelines")).body.pipelines;
    expect(all.map((f: { name: string }) => f.name)).toContain("Exported");

    const same = await request(t.app).post("/api/import/pipelines").send({ pipelines: [file] });
    expect(same.status, JSON.stringify(same.body)).toBe(200);
    expect(same.body.results).toEqual([{ name: "Exported", action: "unchanged", changes: [], pipelineId: p.id, version: 1 }]);

    const edited = { ...file, graph: { ...file.graph, nodes: file.graph.nodes.map((n: { id: string; config: object }) => (n.id === "top" ? { ...n, config: { count: 5, skip: 0 } } : n)) } };
    const brandNew = { name: "Brand new", graph: graph(2) };
    const dry = await request(t.app).post("/api/import/pipelines").send({ pipelines: [edited, brandNew], dryRun: true });
    expect(dry.body.results).toEqual([
      { name: "Exported", action: "updated", changes: ['node "top" changed: config.count'], pipelineId: p.id, version: null },
      { name: "Brand new", action: "created", changes: [], pipelineId: null, version: null },
    ]);
    expect((await request(t.app).get(`/api/pipelines/${p.id}`)).body.currentVersion).toBe(1);
    expect((await request(t.app).get("/api/pipelines")).body.pipelines.some((x: { name: string }) => x.name === "Brand new")).toBe(false);

    const real = await request(t.app).post("/api/import/pipelines").send({ pipelines: [edited, brandNew] });
    expect(real.body.results.map((r: { action: string; version: number }) => [r.action, r.version])).toEqual([["updated", 2], ["created", 1]]);
    const versions = (await request(t.app).get(`/api/pipelines/${p.id}/versions`)).body.versions;
    expect(versions).toHaveLength(2);
  });

  it("refuses a malformed file or duplicate names before writing anything", async () => {
    const before = (await request(t.app).get("/api/pipelines")).body.pipelines.length;
    const bad = await request(t.app).post("/api/import/pipelines").send({ pipelines: [{ name: "Fine", graph: graph(1) }, { name: "Broken", graph: { nodes: "no" } }] });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/pipelines\.1\.graph/);
    const dup = await request(t.app).post("/api/import/pipelines").send({ pipelines: [{ name: "Twin", graph: graph(1) }, { name: "Twin", graph: graph(2) }] });
    expect(dup.status).toBe(400);
    expect(dup.body.error.code).toBe("DUPLICATE_PIPELINE_NAME");
    expect((await request(t.app).get("/api/pipelines")).body.pipelines.length).toBe(before);
  });
});
