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

  it("says what an update changes when no node does: the engine, or nothing a run would notice, never positions that did not move", async () => {
    const p = (await request(t.app).post("/api/pipelines").send({ name: "Same nodes", graph: graph(1) })).body;
    const file = (await request(t.app).get(`/api/pipelines/${p.id}/export`)).body;
    const dry = async (g: object) => (await request(t.app).post("/api/import/pipelines").send({ pipelines: [{ ...file, graph: g }], dryRun: true })).body.results[0];
    expect(await dry({ ...file.graph, engine: "duckdb" })).toMatchObject({ action: "updated", changes: ["engine auto → duckdb"] });
    const renamedEdge = { ...file.graph, edges: [{ ...file.graph.edges[0], id: "renamed" }] };
    expect(await dry(renamedEdge)).toMatchObject({ action: "updated", changes: ["written differently (order, ids or spelled-out defaults), same pipeline"] });
    const moved = { ...file.graph, nodes: file.graph.nodes.map((n: { position: { x: number } }, i: number) => (i === 0 ? { ...n, position: { x: 999, y: 0 } } : n)) };
    expect(await dry(moved)).toMatchObject({ action: "updated", changes: ["node positions"] });
  });

  it("keeps nothing of an import when a pipeline it updates changes while it is written", async () => {
    const target = (await request(t.app).post("/api/pipelines").send({ name: "Edited meanwhile", graph: graph(1) })).body;
    const pipelines = t.deps.pipelines;
    const { get } = pipelines;
    // Someone saves the pipeline after the import compared with it and before it writes.
    pipelines.get = async (workspaceId, id) => {
      const seen = await get(workspaceId, id);
      if (id === target.id && seen?.currentVersion === 1) await pipelines.update(workspaceId, id, { baseVersion: 1, description: "by someone else" });
      return seen;
    };
    let res: request.Response;
    try {
      res = await request(t.app)
        .post("/api/import/pipelines")
        .send({ pipelines: [{ name: "Created first", graph: graph(3) }, { name: "Edited meanwhile", graph: graph(4) }, { name: "Created last", graph: graph(5) }] });
    } finally {
      pipelines.get = get;
    }
    expect(res.status, JSON.stringify(res.body)).toBe(409);
    const names = (await request(t.app).get("/api/pipelines")).body.pipelines.map((p: { name: string }) => p.name);
    expect(names).not.toContain("Created first");
    expect(names).not.toContain("Created last");
    expect(res.body.error).toMatchObject({ code: "VERSION_CONFLICT" });
    expect(res.body.error.message).toMatch(/"Edited meanwhile" changed while importing, so nothing was imported/);
    expect((await request(t.app).get(`/api/pipelines/${target.id}`)).body).toMatchObject({ currentVersion: 2, description: "by someone else" });
    const audit = (await request(t.app).get("/api/audit?action=pipeline.imported")).text;
    expect(audit).not.toContain("Created first");
  });
});
