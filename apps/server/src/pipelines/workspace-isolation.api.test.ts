import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import { createTestApp, type TestApp } from "../testing/test-app.ts";
import { quickPipelineGraph } from "../testing/quick-pipeline.ts";
import { BUILT_IN_CONNECTION_ID } from "../connections/connection.repository.ts";
import { DEFAULT_WORKSPACE_ID } from "../workspaces/workspace.repository.ts";

/**
 * Pipelines belong to a workspace: another workspace's owner finds none of them (404 on every route, as for an id
 * that does not exist), its graphs cannot reach this workspace's files, connections or credentials, importing makes
 * its own copies, and each change is in the audit log exactly once, with the version it made.
 */
let t: TestApp;
/** Workspace B, and how its owner's token signs a request. */
let b: string;
let asB: { Authorization: string };
beforeAll(async () => {
  t = await createTestApp();
  b = (await t.db.$transaction((tx) => t.deps.workspaces.create(tx, "B", t.owner.id))).id;
  asB = { Authorization: `Bearer ${await t.tokenFor("owner", b)}` };
}, 60_000);
afterAll(async () => t?.close());
const NO_SUCH_ID = "00000000-0000-4000-8000-00000000beef";

async function pipeline(name: string, graph: object = quickPipelineGraph("out")) {
  const res = await request(t.app).post("/api/pipelines").send({ name, graph });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.id as string;
}

/** Audit entries about one pipeline, oldest first. */
const auditOf = async (resourceId: string) =>
  (await t.db.auditEvent.findMany({ where: { resourceId }, orderBy: { id: "asc" } })).map((e) => ({ action: e.action, details: e.details, workspaceId: e.workspaceId }));

describe("pipelines within a workspace", () => {
  it("answers 404 to another workspace on every pipeline route, and changes nothing", async () => {
    const id = await pipeline("Only in Default");
    const before = await request(t.app).get(`/api/pipelines/${id}`);
    const auditBefore = await t.db.auditEvent.count();
    for (const [method, path, body] of [
      ["get", `/api/pipelines/${id}`, undefined],
      ["put", `/api/pipelines/${id}`, { baseVersion: 1, name: "Taken over" }],
      ["delete", `/api/pipelines/${id}`, undefined],
      ["post", `/api/pipelines/${id}/duplicate`, {}],
      ["get", `/api/pipelines/${id}/versions`, undefined],
      ["get", `/api/pipelines/${id}/versions/1`, undefined],
      ["post", `/api/pipelines/${id}/versions/1/restore`, {}],
      ["get", `/api/pipelines/${id}/export`, undefined],
      ["get", `/api/pipelines/${id}/triggers`, undefined],
      ["put", `/api/pipelines/${id}/triggers`, { after: [] }],
    ] as const) {
      const mine = await request(t.bareApp)[method](path.replace(id, NO_SUCH_ID)).set(asB).send(body);
      const theirs = await request(t.bareApp)[method](path).set(asB).send(body);
      expect(theirs.status, `${method} ${path}: ${JSON.stringify(theirs.body)}`).toBe(404);
      // Word for word what an id that does not exist gets, so ids cannot be probed.
      expect(theirs.body.error.code, `${method} ${path}`).toBe(mine.body.error.code);
      expect(theirs.body.error.message.replace(id, "<id>"), `${method} ${path}`).toBe(mine.body.error.message.replace(NO_SUCH_ID, "<id>"));
    }
    expect((await request(t.bareApp).get("/api/pipelines").set(asB)).body.pipelines).toEqual([]);
    expect((await request(t.bareApp).get("/api/export/pipelines").set(asB)).body).toEqual({ pipelines: [] });
    expect((await request(t.bareApp).get(`/api/runs?pipelineId=${id}`).set(asB)).body).toEqual({ runs: [], total: 0 });
    expect((await request(t.bareApp).get("/api/quality/trend").set(asB)).body).toEqual({ pipelines: [] });

    // Untouched, still there for its own workspace, and nothing refused left an audit entry.
    const after = await request(t.app).get(`/api/pipelines/${id}`);
    expect(after.status).toBe(200);
    expect(after.body).toEqual(before.body);
    expect((await request(t.app).get("/api/pipelines")).body.pipelines.map((p: { id: string }) => p.id)).toContain(id);
    expect(await t.db.auditEvent.count()).toBe(auditBefore);
    expect(await t.db.pipeline.count({ where: { workspaceId: b } })).toBe(0);
  });

  it("lets a pipeline run only after pipelines of its own workspace", async () => {
    const upstream = await pipeline("Upstream in Default");
    const created = await request(t.bareApp).post("/api/pipelines").set(asB).send({ name: "Downstream in B", graph: quickPipelineGraph("out") });
    expect(created.status).toBe(201);
    const downstream = created.body.id as string;
    const theirs = await request(t.bareApp).put(`/api/pipelines/${downstream}/triggers`).set(asB).send({ after: [upstream] });
    const missing = await request(t.bareApp).put(`/api/pipelines/${downstream}/triggers`).set(asB).send({ after: [NO_SUCH_ID] });
    expect(theirs.status).toBe(missing.status);
    expect(theirs.body.error.code).toBe("UNKNOWN_PIPELINE");
    expect(theirs.body.error.message.replace(upstream, "<id>")).toBe(missing.body.error.message.replace(NO_SUCH_ID, "<id>"));
    expect((await request(t.bareApp).get(`/api/pipelines/${downstream}/triggers`).set(asB)).body).toEqual({ after: [] });
    expect(await t.db.pipelineTrigger.count({ where: { pipelineId: downstream } })).toBe(0);
  });

  it("validates and previews a graph with the workspace's own files and connections only", async () => {
    const file = await request(t.app).post("/api/files").attach("file", Buffer.from("a,b\n1,2\n"), "default.csv");
    expect(file.status, JSON.stringify(file.body)).toBe(201);
    const credential = await request(t.app)
      .post("/api/connections")
      .send({ name: "Default's API key", kind: "http", settings: { hosts: ["127.0.0.1"] }, headers: [{ name: "X-API-Key", value: "default-secret-1234" }] });
    expect(credential.status, JSON.stringify(credential.body)).toBe(201);
    const graphOf = (ids: { fileId: string; connectionId: string; credentialId: string }) => ({
      formatVersion: 1,
      nodes: [
        { id: "f", type: "file", position: { x: 0, y: 0 }, config: { fileId: ids.fileId } },
        { id: "db", type: "postgres", position: { x: 0, y: 100 }, config: { connectionId: ids.connectionId, mode: "query", sql: "SELECT 1 AS n" } },
        { id: "api", type: "http", position: { x: 0, y: 200 }, config: { url: "http://127.0.0.1:1/items", credentialId: ids.credentialId } },
      ],
      edges: [],
    });
    const theirs = graphOf({ fileId: file.body.id, connectionId: BUILT_IN_CONNECTION_ID, credentialId: credential.body.id });
    const missing = graphOf({ fileId: NO_SUCH_ID, connectionId: NO_SUCH_ID, credentialId: NO_SUCH_ID });
    const problems = (body: { problems: { nodeId?: string; code: string; message: string }[] }, ids: string[]) =>
      body.problems
        .filter((p) => p.nodeId !== undefined)
        .map((p) => ({ nodeId: p.nodeId, code: p.code, message: ids.reduce((m, id) => m.replaceAll(id, "<id>"), p.message) }))
        .sort((x, y) => `${x.nodeId}${x.code}`.localeCompare(`${y.nodeId}${y.code}`));

    // In its own workspace the file is found (the other nodes may fail for reasons of their own).
    const own = await request(t.app).post("/api/pipelines/validate").send({ graph: theirs });
    expect(own.body.problems.filter((p: { nodeId?: string }) => p.nodeId === "f")).toEqual([]);

    const inB = await request(t.bareApp).post("/api/pipelines/validate").set(asB).send({ graph: theirs });
    const none = await request(t.bareApp).post("/api/pipelines/validate").set(asB).send({ graph: missing });
    expect(inB.status).toBe(200);
    expect(inB.body.valid).toBe(false);
    const found = problems(inB.body, [file.body.id, BUILT_IN_CONNECTION_ID, credential.body.id]);
    expect(found.map((p) => [p.nodeId, p.code])).toEqual(
      expect.arrayContaining([
        ["api", expect.stringMatching(/CREDENTIAL/)],
        ["db", "CONNECTION_NOT_FOUND"],
        ["f", "FILE_NOT_FOUND"],
      ]),
    );
    expect(found).toEqual(problems(none.body, [NO_SUCH_ID]));

    const preview = await request(t.bareApp).post("/api/preview").set(asB).send({ graph: theirs, nodeId: "f" });
    expect(preview.status).toBe(200);
    expect(preview.body.rows).toEqual([]);
    expect(preview.body.problems.map((p: { code: string }) => p.code)).toContain("FILE_NOT_FOUND");
    const dbPreview = await request(t.bareApp).post("/api/preview").set(asB).send({ graph: theirs, nodeId: "db" });
    expect(dbPreview.body.problems.map((p: { code: string }) => p.code)).toContain("CONNECTION_NOT_FOUND");
    // The owning workspace previews its file.
    const ownPreview = await request(t.app).post("/api/preview").send({ graph: theirs, nodeId: "f" });
    expect(ownPreview.body.rows).toEqual([{ a: 1, b: 2 }]);
  });

  it("says a sink's connection is not the workspace's when validating, so a run imported from another workspace is refused before it starts", async () => {
    const sinkGraph = (connectionId: string) => ({
      formatVersion: 1,
      nodes: [
        { id: "src", type: "inline", position: { x: 0, y: 0 }, config: { columns: [{ name: "n", type: "integer" }], rows: [[1]] } },
        { id: "out", type: "postgres-sink", position: { x: 300, y: 0 }, config: { connectionId, schema: "warehouse", table: "isolation_sink", mode: "replace", keys: [] } },
      ],
      edges: [{ id: "e1", source: "src", target: "out" }],
    });
    // Default's own warehouse: fine in Default.
    expect((await request(t.app).post("/api/pipelines/validate").send({ graph: sinkGraph(BUILT_IN_CONNECTION_ID) })).body.problems).toEqual([]);
    for (const connectionId of [BUILT_IN_CONNECTION_ID, NO_SUCH_ID]) {
      const checked = await request(t.bareApp).post("/api/pipelines/validate").set(asB).send({ graph: sinkGraph(connectionId) });
      expect(checked.body.valid, connectionId).toBe(false);
      expect(checked.body.problems).toEqual([expect.objectContaining({ code: "CONNECTION_NOT_FOUND", nodeId: "out", field: "connectionId", message: `Connection ${connectionId} does not exist; pick another one.` })]);
    }
    const imported = await request(t.bareApp).post("/api/import/pipelines").set(asB).send({ pipelines: [{ name: "Sink elsewhere", graph: sinkGraph(BUILT_IN_CONNECTION_ID) }] });
    expect(imported.status, JSON.stringify(imported.body)).toBe(200);
    const run = await request(t.bareApp).post(`/api/pipelines/${imported.body.results[0].pipelineId}/runs`).set(asB).send({});
    expect(run.status, JSON.stringify(run.body)).toBe(422);
    expect(run.body.error.code).toBe("PIPELINE_INVALID");
    expect(JSON.stringify(run.body.error.details)).toContain("CONNECTION_NOT_FOUND");
  });

  it("imports into the workspace: a name matches only its own pipelines, so another workspace gets its own copy", async () => {
    const id = await pipeline("Shared name");
    const exported = await request(t.app).get(`/api/pipelines/${id}/export`);
    expect(exported.status).toBe(200);

    const first = await request(t.bareApp).post("/api/import/pipelines").set(asB).send({ pipelines: [exported.body] });
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body.results).toEqual([{ name: "Shared name", action: "created", changes: [], pipelineId: expect.any(String), version: 1 }]);
    const copy = first.body.results[0].pipelineId as string;
    expect(copy).not.toBe(id);
    expect((await t.db.pipeline.findUniqueOrThrow({ where: { id: copy } })).workspaceId).toBe(b);

    // Again: it now matches B's copy, which is unchanged; Default's pipeline is untouched throughout.
    const again = await request(t.bareApp).post("/api/import/pipelines").set(asB).send({ pipelines: [exported.body] });
    expect(again.body.results).toEqual([{ name: "Shared name", action: "unchanged", changes: [], pipelineId: copy, version: 1 }]);
    const changed = { ...exported.body, description: "B's own words" };
    const updated = await request(t.bareApp).post("/api/import/pipelines").set(asB).send({ pipelines: [changed] });
    expect(updated.body.results).toEqual([{ name: "Shared name", action: "updated", changes: ["description"], pipelineId: copy, version: 2 }]);
    expect((await request(t.app).get(`/api/pipelines/${id}`)).body).toMatchObject({ currentVersion: 1, description: "" });
    expect((await request(t.bareApp).get("/api/pipelines").set(asB)).body.pipelines.map((p: { name: string }) => p.name)).toContain("Shared name");
    const bExport = await request(t.bareApp).get("/api/export/pipelines").set(asB);
    expect(bExport.body.pipelines.filter((p: { name: string }) => p.name === "Shared name")).toEqual([{ ...changed }]);

    // One entry per pipeline written, in B, with the version made; the unchanged import wrote none.
    expect(await auditOf(copy)).toEqual([
      { action: "pipeline.imported", details: { version: 1 }, workspaceId: b },
      { action: "pipeline.imported", details: { version: 2 }, workspaceId: b },
    ]);
  });

  it("audits each change once, with its version numbers, and a refused change not at all", async () => {
    const created = await request(t.app).post("/api/pipelines").send({ name: "Audited", graph: quickPipelineGraph("out") });
    const id = created.body.id as string;
    expect((await request(t.app).put(`/api/pipelines/${id}`).send({ baseVersion: 1, description: "second" })).status).toBe(200);
    // A stale base version is refused: no version, no entry.
    expect((await request(t.app).put(`/api/pipelines/${id}`).send({ baseVersion: 1, description: "stale" })).status).toBe(409);
    expect((await request(t.app).post(`/api/pipelines/${id}/versions/1/restore`).send({})).status).toBe(200);
    expect((await request(t.app).post(`/api/pipelines/${id}/versions/9/restore`).send({})).status).toBe(404);
    const dup = await request(t.app).post(`/api/pipelines/${id}/duplicate`).send({ name: "Audited copy" });
    expect(dup.status).toBe(201);
    const upstream = await pipeline("Audited upstream");
    expect((await request(t.app).put(`/api/pipelines/${id}/triggers`).send({ after: [upstream] })).status).toBe(200);
    // A loop is refused: no entry.
    expect((await request(t.app).put(`/api/pipelines/${upstream}/triggers`).send({ after: [id] })).status).toBe(422);
    expect((await request(t.app).delete(`/api/pipelines/${id}`)).status).toBe(204);
    expect((await request(t.app).delete(`/api/pipelines/${id}`)).status).toBe(404);

    expect(await auditOf(id)).toEqual([
      { action: "pipeline.created", details: { version: 1 }, workspaceId: DEFAULT_WORKSPACE_ID },
      { action: "pipeline.saved", details: { version: 2 }, workspaceId: DEFAULT_WORKSPACE_ID },
      { action: "pipeline.restored", details: { version: 3, from: 1 }, workspaceId: DEFAULT_WORKSPACE_ID },
      { action: "trigger.changed", details: { after: [upstream] }, workspaceId: DEFAULT_WORKSPACE_ID },
      { action: "pipeline.deleted", details: {}, workspaceId: DEFAULT_WORKSPACE_ID },
    ]);
    expect(await auditOf(dup.body.id)).toEqual([
      { action: "pipeline.created", details: { version: 1, from: { pipelineId: id, version: 3 } }, workspaceId: DEFAULT_WORKSPACE_ID },
    ]);
    expect(await auditOf(upstream)).toEqual([{ action: "pipeline.created", details: { version: 1 }, workspaceId: DEFAULT_WORKSPACE_ID }]);
    // Who and what: the token that made the change, and the pipeline by name.
    const saved = await t.db.auditEvent.findFirstOrThrow({ where: { resourceId: id, action: "pipeline.saved" } });
    expect(saved).toMatchObject({ actorKind: "token", actorLabel: "token test owner", resourceType: "pipeline", resourceLabel: "Audited" });
  });
});
