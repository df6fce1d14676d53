import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import { createTestApp, type TestApp } from "../testing/test-app.ts";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t.close());

/** A current graph, as the server stores and returns it: every node at its type's version. */
const graph = {
  formatVersion: 1,
  nodes: [
    { id: "src", type: "inline", typeVersion: 1, position: { x: 0, y: 0 }, config: { columns: [{ name: "a", type: "integer" }], rows: [[1]] } },
    { id: "sel", type: "select", typeVersion: 1, label: "Pick", position: { x: 200, y: 0 }, config: { columns: [{ name: "a" }] } },
  ],
  edges: [{ id: "e1", source: "src", target: "sel" }],
};

async function create(body: object = { name: "Orders" }) {
  const res = await request(t.app).post("/api/pipelines").send(body);
  expect(res.status).toBe(201);
  return res.body as { id: string; currentVersion: number; name: string };
}

describe("pipelines API", () => {
  it("creates, lists and gets a pipeline", async () => {
    const p = await create({ name: "  Orders  ", description: "daily", graph });
    expect(p).toMatchObject({ name: "Orders", currentVersion: 1 });
    const list = await request(t.app).get("/api/pipelines");
    expect(list.status).toBe(200);
    expect(list.body.pipelines.find((x: { id: string }) => x.id === p.id)).toMatchObject({ name: "Orders", lastRun: null });
    const got = await request(t.app).get(`/api/pipelines/${p.id}`);
    expect(got.body.graph).toEqual(graph);
    expect(got.body.description).toBe("daily");
  });

  it("round-trips a graph unchanged, key order included", async () => {
    const p = await create({ name: "Round trip", graph });
    const got = await request(t.app).get(`/api/pipelines/${p.id}`);
    expect(JSON.stringify(got.body.graph)).toBe(JSON.stringify(graph));
  });

  it("defaults to an empty graph", async () => {
    const p = await create();
    const got = await request(t.app).get(`/api/pipelines/${p.id}`);
    expect(got.body.graph).toEqual({ formatVersion: 1, nodes: [], edges: [] });
  });

  it("saves new versions and refuses a stale base version with 409", async () => {
    const p = await create();
    const v2 = await request(t.app).put(`/api/pipelines/${p.id}`).send({ baseVersion: 1, graph, message: "add nodes" });
    expect(v2.status).toBe(200);
    expect(v2.body.currentVersion).toBe(2);
    const stale = await request(t.app).put(`/api/pipelines/${p.id}`).send({ baseVersion: 1, name: "Other" });
    expect(stale.status).toBe(409);
    expect(stale.body.error).toMatchObject({ code: "VERSION_CONFLICT", details: { currentVersion: 2 } });
    const renamed = await request(t.app).put(`/api/pipelines/${p.id}`).send({ baseVersion: 2, name: "Renamed" });
    expect(renamed.body).toMatchObject({ name: "Renamed", currentVersion: 3, graph });
  });

  it("lists versions, reads an old one and restores it as a new version", async () => {
    const p = await create({ name: "History" });
    await request(t.app).put(`/api/pipelines/${p.id}`).send({ baseVersion: 1, graph, message: "nodes" });
    const versions = await request(t.app).get(`/api/pipelines/${p.id}/versions`);
    expect(versions.body.versions.map((v: { number: number; message: string }) => [v.number, v.message])).toEqual([
      [2, "nodes"],
      [1, "Created"],
    ]);
    const v1 = await request(t.app).get(`/api/pipelines/${p.id}/versions/1`);
    expect(v1.body.graph.nodes).toEqual([]);
    const restored = await request(t.app).post(`/api/pipelines/${p.id}/versions/1/restore`).send({});
    expect(restored.status).toBe(200);
    expect(restored.body).toMatchObject({ currentVersion: 3, graph: { nodes: [] } });
    const noBody = await request(t.app).post(`/api/pipelines/${p.id}/versions/2/restore`);
    expect(noBody.status).toBe(200);
    expect(noBody.body.currentVersion).toBe(4);
    const missing = await request(t.app).get(`/api/pipelines/${p.id}/versions/99`);
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe("VERSION_NOT_FOUND");
    const staleRestore = await request(t.app).post(`/api/pipelines/${p.id}/versions/1/restore`).send({ baseVersion: 1 });
    expect(staleRestore.status).toBe(409);
  });

  it("duplicates a pipeline", async () => {
    const p = await create({ name: "Original", graph });
    const dup = await request(t.app).post(`/api/pipelines/${p.id}/duplicate`).send({});
    expect(dup.status).toBe(201);
    expect(dup.body).toMatchObject({ name: "Original (copy)", currentVersion: 1, graph });
    expect(dup.body.id).not.toBe(p.id);
    const named = await request(t.app).post(`/api/pipelines/${p.id}/duplicate`).send({ name: "Mine" });
    expect(named.body.name).toBe("Mine");
  });

  it("deletes a pipeline, and refuses while a run is in progress", async () => {
    const p = await create();
    const busy = await create({ name: "Busy" });
    const version = await t.db.pipelineVersion.findFirstOrThrow({ where: { pipelineId: busy.id } });
    await t.db.run.create({ data: { pipelineId: busy.id, versionId: version.id, versionNumber: 1, status: "running" } });
    const refused = await request(t.app).delete(`/api/pipelines/${busy.id}`);
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe("PIPELINE_RUNNING");
    expect(await t.db.pipeline.count({ where: { id: busy.id } })).toBe(1);
    const del = await request(t.app).delete(`/api/pipelines/${p.id}`);
    expect(del.status).toBe(204);
    expect((await request(t.app).get(`/api/pipelines/${p.id}`)).status).toBe(404);
    expect((await request(t.app).delete(`/api/pipelines/${p.id}`)).status).toBe(404);
  });

  it("shows the last run's status in the list", async () => {
    const p = await create({ name: "With run" });
    const version = await t.db.pipelineVersion.findFirstOrThrow({ where: { pipelineId: p.id } });
    await t.db.run.create({ data: { pipelineId: p.id, versionId: version.id, versionNumber: 1, status: "failed" } });
    const list = await request(t.app).get("/api/pipelines");
    expect(list.body.pipelines.find((x: { id: string }) => x.id === p.id).lastRun.status).toBe("failed");
  });
});

describe("bad input", () => {
  it("answers malformed JSON with 400", async () => {
    const res = await request(t.app).post("/api/pipelines").set("content-type", "application/json").send('{"name": ');
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("MALFORMED_JSON");
  });

  it("names each bad field", async () => {
    const res = await request(t.app)
      .post("/api/pipelines")
      .send({ name: "", graph: { formatVersion: "2", nodes: [{ id: "bad id!" }], edges: "x" } });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("VALIDATION_FAILED");
    const fields = res.body.error.details.problems.map((p: { field: string }) => p.field);
    expect(fields).toEqual(expect.arrayContaining(["body.name", "body.graph.formatVersion", "body.graph.nodes.0.id", "body.graph.edges"]));
  });

  it("refuses a graph from a newer Sluice with what to do", async () => {
    const res = await request(t.app).post("/api/pipelines").send({ name: "Newer", graph: { formatVersion: 2, nodes: [], edges: [] } });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: "FORMAT_VERSION_TOO_NEW", details: { problems: [{ field: "body.graph.formatVersion" }] } });
    expect(res.body.error.message).toMatch(/Upgrade Sluice/);
  });

  it("refuses unknown fields rather than silently dropping them", async () => {
    const res = await request(t.app).post("/api/pipelines").send({ name: "x", nmae: "typo" });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain("nmae");
  });

  it("answers unknown and malformed ids with 404 and 400", async () => {
    expect((await request(t.app).get("/api/pipelines/5f0c4f6e-0000-4000-8000-000000000000")).status).toBe(404);
    const bad = await request(t.app).get("/api/pipelines/not-a-uuid");
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.problems[0].field).toBe("params.id");
    expect((await request(t.app).put("/api/pipelines/5f0c4f6e-0000-4000-8000-000000000000").send({ baseVersion: 1 })).status).toBe(404);
    expect((await request(t.app).get("/api/pipelines/5f0c4f6e-0000-4000-8000-000000000000/versions")).status).toBe(404);
    expect((await request(t.app).post("/api/pipelines/5f0c4f6e-0000-4000-8000-000000000000/duplicate").send({})).status).toBe(404);
  });

  it("answers an oversized body with 413", async () => {
    const res = await request(t.app)
      .post("/api/pipelines")
      .send({ name: "big", description: "x".repeat(300 * 1024) });
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe("BODY_TOO_LARGE");
  });

  it("answers a non-JSON body with 415", async () => {
    const res = await request(t.app).post("/api/pipelines").set("content-type", "text/plain").send("name=x");
    expect(res.status).toBe(415);
  });

  it("refuses state-changing requests from another origin", async () => {
    const res = await request(t.app).post("/api/pipelines").set("origin", "https://evil.example").send({ name: "x" });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe("CROSS_ORIGIN_REFUSED");
    const same = await request(t.app).get("/api/pipelines").set("origin", "https://evil.example");
    expect(same.status).toBe(200);
  });

  it("answers unknown API routes with a JSON 404", async () => {
    const res = await request(t.app).get("/api/nope");
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe("NO_SUCH_ROUTE");
  });

  it("sets security headers", async () => {
    const res = await request(t.app).get("/api/pipelines");
    expect(res.headers["x-content-type-options"]).toBe("nosniff");
    expect(res.headers["x-frame-options"]).toBeDefined();
    expect(res.headers["x-powered-by"]).toBeUndefined();
  });
});

describe("system routes", () => {
  it("reports health", async () => {
    const res = await request(t.app).get("/api/health");
    expect(res.body).toEqual({ status: "ok", database: "external", warehouse: { available: true }, version: "test" });
  });

  it("serves an OpenAPI 3.1 document covering every route", async () => {
    const res = await request(t.app).get("/api/openapi.json");
    expect(res.body.openapi).toBe("3.1.0");
    expect(Object.keys(res.body.paths)).toEqual(
      expect.arrayContaining(["/api/pipelines", "/api/pipelines/{id}", "/api/pipelines/{id}/versions/{n}/restore", "/api/health"]),
    );
    const create = res.body.paths["/api/pipelines"].post;
    expect(create.requestBody.content["application/json"].schema.properties.name).toBeDefined();
  });

  it("serves the pipeline format as JSON Schema", async () => {
    const res = await request(t.app).get("/api/pipeline-format.json");
    expect(res.status).toBe(200);
    expect(res.body.properties.formatVersion).toBeDefined();
  });
});
