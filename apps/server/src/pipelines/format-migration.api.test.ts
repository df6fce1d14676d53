import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import { createTestApp, type TestApp } from "../testing/test-app.ts";
import { sqlRows } from "../testing/sql-rows.ts";
import { waitForRun } from "../testing/wait-for-run.ts";
import { BUILT_IN_CONNECTION_ID } from "../connections/connection.repository.ts";
import type { Prisma } from "../generated/prisma/client.ts";

/**
 * The one real change made through the migration path (issue #13): `limit` version 2 renamed `offset` to `skip`. A file
 * exported before it (no typeVersion, `offset`) must import, validate, preview and run exactly as the same pipeline
 * written at version 2; a pipeline stored before it is shown migrated with a note, and saving stores version 2.
 */
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ startWorker: true });
}, 60_000);
afterAll(async () => t?.close());

const rows = Array.from({ length: 8 }, (_, i) => [i + 1, `name ${i + 1}`]);
const graphWith = (limit: { typeVersion?: number; config: Record<string, unknown> }, table: string) => ({
  formatVersion: 1,
  nodes: [
    { id: "src", type: "inline", position: { x: 0, y: 0 }, config: { columns: [{ name: "id", type: "integer" }, { name: "name", type: "string" }], rows } },
    { id: "page", type: "limit", ...(limit.typeVersion ? { typeVersion: limit.typeVersion } : {}), position: { x: 200, y: 0 }, config: limit.config },
    { id: "out", type: "postgres-sink", position: { x: 400, y: 0 }, config: { connectionId: BUILT_IN_CONNECTION_ID, schema: "warehouse", table, mode: "replace", keys: [] } },
  ],
  edges: [
    { id: "e1", source: "src", target: "page" },
    { id: "e2", source: "page", target: "out" },
  ],
});
/** As exported by Sluice before node versions were stored: no typeVersion anywhere, the limit's `offset`. */
const v1 = (table: string) => graphWith({ config: { count: 3, offset: 2 } }, table);
const v2 = (table: string) => graphWith({ typeVersion: 2, config: { count: 3, skip: 2 } }, table);

const pageNode = (graph: { nodes: { id: string }[] }) => graph.nodes.find((n) => n.id === "page");

async function runToEnd(pipelineId: string) {
  const started = await request(t.app).post(`/api/pipelines/${pipelineId}/runs`).send({});
  expect(started.status, JSON.stringify(started.body)).toBe(202);
  const run = await waitForRun(t.app, started.body.runId);
  expect(run.status, run.error ?? "").toBe("succeeded");
}

describe("an old exported file, through the whole path", () => {
  it("imports, validates, previews and runs like the same pipeline written at version 2", async () => {
    const file = { name: "Paged (v1 file)", description: "", graph: v1("fmt_paged_v1") };
    const imported = await request(t.app).post("/api/import/pipelines").send({ pipelines: [file] });
    expect(imported.status, JSON.stringify(imported.body)).toBe(200);
    const oldId: string = imported.body.results[0].pipelineId;
    const stored = (await request(t.app).get(`/api/pipelines/${oldId}`)).body;
    // Imported means loaded: stored at the current version, nothing left to migrate.
    expect(pageNode(stored.graph)).toMatchObject({ typeVersion: 2, config: { count: 3, skip: 2 } });
    expect(stored.migrated).toBeUndefined();

    const created = await request(t.app).post("/api/pipelines").send({ name: "Paged (v2)", graph: v2("fmt_paged_v2") });
    expect(created.status).toBe(201);

    const check = async (graph: object) => (await request(t.app).post("/api/pipelines/validate").send({ graph })).body;
    const [checkOld, checkNew] = [await check(v1("t")), await check(v2("t"))];
    expect(checkOld.problems).toEqual([]);
    expect(checkOld).toEqual(checkNew);

    const preview = async (graph: object) => (await request(t.app).post("/api/preview").send({ graph, nodeId: "page" })).body;
    const [previewOld, previewNew] = [await preview(v1("t")), await preview(v2("t"))];
    expect(previewOld.rows).toEqual([
      { id: 3, name: "name 3" },
      { id: 4, name: "name 4" },
      { id: 5, name: "name 5" },
    ]);
    expect(previewOld.rows).toEqual(previewNew.rows);
    expect(previewOld.problems).toEqual([]);

    await runToEnd(oldId);
    await runToEnd(created.body.id);
    const table = (name: string) => sqlRows(t.warehouse.url, `SELECT id, name FROM warehouse.${name} ORDER BY id`);
    expect(await table("fmt_paged_v1")).toEqual([
      { id: 3, name: "name 3" },
      { id: 4, name: "name 4" },
      { id: 5, name: "name 5" },
    ]);
    expect(await table("fmt_paged_v1")).toEqual(await table("fmt_paged_v2"));
  });

  it("refuses a file from a newer Sluice with what to do, and imports nothing", async () => {
    const newer = graphWith({ typeVersion: 3, config: { count: 1 } }, "fmt_never");
    const res = await request(t.app).post("/api/import/pipelines").send({ pipelines: [{ name: "From the future", graph: newer }] });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: "NODE_VERSION_TOO_NEW", details: { problems: [{ nodeId: "page", field: "typeVersion" }] } });
    expect(res.body.error.message).toMatch(/Upgrade Sluice/);
    const list = (await request(t.app).get("/api/pipelines")).body.pipelines as { name: string }[];
    expect(list.map((p) => p.name)).not.toContain("From the future");
  });

  it("refuses a newer format by its version, whatever its shape, and a node of any newer version, on create, save and import", async () => {
    // A newer format may change the document's shape: it is refused for its version, not for fields it moved.
    const reshaped = { formatVersion: 2, steps: [{ id: "a", kind: "limit", settings: { count: 1 } }] };
    const farFuture = { formatVersion: 5000, nodes: [], edges: [] };
    const created = (await request(t.app).post("/api/pipelines").send({ name: "Saved here", graph: v2("fmt_never") })).body;
    for (const graph of [reshaped, farFuture]) {
      const answers = [
        await request(t.app).post("/api/pipelines").send({ name: "Newer format", graph }),
        await request(t.app).put(`/api/pipelines/${created.id}`).send({ baseVersion: 1, graph }),
        await request(t.app).post("/api/import/pipelines").send({ pipelines: [{ name: "Newer format", graph }] }),
      ];
      for (const res of answers) {
        expect(res.status, JSON.stringify(res.body)).toBe(400);
        expect(res.body.error.code).toBe("FORMAT_VERSION_TOO_NEW");
        expect(res.body.error.message).toMatch(new RegExp(`format version ${graph.formatVersion}, newer than this Sluice reads \\(up to 1\\)\\. Upgrade Sluice`));
      }
    }
    // A node version far beyond this Sluice's is a newer node, not a malformed request.
    const newerNode = graphWith({ typeVersion: 5000, config: { count: 1 } }, "fmt_never");
    const res = await request(t.app).post("/api/import/pipelines").send({ pipelines: [{ name: "Newer format", graph: newerNode }] });
    expect(res.body.error).toMatchObject({ code: "NODE_VERSION_TOO_NEW", details: { problems: [{ nodeId: "page", field: "typeVersion" }] } });
    const list = (await request(t.app).get("/api/pipelines")).body.pipelines as { name: string }[];
    expect(list.map((p) => p.name)).not.toContain("Newer format");
    expect((await request(t.app).get(`/api/pipelines/${created.id}`)).body.currentVersion).toBe(1);
  });
});

describe("a pipeline stored before the change", () => {
  it("is shown migrated with a note, saves at version 2, and keeps its old version row as stored", async () => {
    const created = await request(t.app).post("/api/pipelines").send({ name: "Stored at v1", graph: v2("fmt_stored") });
    const id: string = created.body.id;
    // Put the row back as an older Sluice stored it: what the database holds for pipelines saved before the change.
    const old = v1("fmt_stored");
    await t.db.pipelineVersion.update({ where: { pipelineId_number: { pipelineId: id, number: 1 } }, data: { graph: old as Prisma.InputJsonObject } });

    const got = (await request(t.app).get(`/api/pipelines/${id}`)).body;
    expect(pageNode(got.graph)).toMatchObject({ typeVersion: 2, config: { count: 3, skip: 2 } });
    expect(got.migrated).toEqual([
      { nodeId: "page", type: "limit", from: 1, to: 2, message: "Node `page` (Limit rows) was saved at version 1 and is shown as version 2." },
    ]);
    const viewed = (await request(t.app).get(`/api/pipelines/${id}/versions/1`)).body;
    expect(viewed.graph).toEqual(got.graph);
    expect(viewed.migrated).toEqual(got.migrated);
    // The export is what the pipeline reads as now.
    const exported = (await request(t.app).get(`/api/pipelines/${id}/export`)).body;
    expect(pageNode(exported.graph)).toMatchObject({ typeVersion: 2, config: { skip: 2 } });

    // The editor saves what it was shown.
    const saved = await request(t.app).put(`/api/pipelines/${id}`).send({ baseVersion: 1, graph: got.graph, message: "after upgrade" });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    expect(saved.body.migrated).toBeUndefined();
    const rowOf = async (n: number) => (await t.db.pipelineVersion.findUniqueOrThrow({ where: { pipelineId_number: { pipelineId: id, number: n } } })).graph as typeof old;
    const v2Row = await rowOf(2);
    expect(v2Row.nodes.every((n) => typeof (n as { typeVersion?: unknown }).typeVersion === "number")).toBe(true);
    expect(pageNode(v2Row)).toMatchObject({ typeVersion: 2, config: { count: 3, skip: 2 } });
    expect(pageNode(v2Row)).not.toHaveProperty("config.offset");
    // Version 1 stays exactly as it was stored.
    expect(await rowOf(1)).toEqual(old);

    // Restoring the old version stores it migrated, as a new version.
    const restored = await request(t.app).post(`/api/pipelines/${id}/versions/1/restore`).send({});
    expect(restored.status, JSON.stringify(restored.body)).toBe(200);
    expect(pageNode(await rowOf(3))).toMatchObject({ typeVersion: 2, config: { skip: 2 } });
    expect(await rowOf(1)).toEqual(old);
  });

  it("runs a version pinned before the change as it reads now", async () => {
    const created = await request(t.app).post("/api/pipelines").send({ name: "Pinned at v1", graph: v2("fmt_pinned") });
    const id: string = created.body.id;
    await t.db.pipelineVersion.update({ where: { pipelineId_number: { pipelineId: id, number: 1 } }, data: { graph: v1("fmt_pinned") as Prisma.InputJsonObject } });
    await runToEnd(id);
    expect(await sqlRows(t.warehouse.url, "SELECT id FROM warehouse.fmt_pinned ORDER BY id")).toEqual([{ id: 3 }, { id: 4 }, { id: 5 }]);
  });
});
