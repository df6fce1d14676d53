import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import pg from "pg";
import type { PipelineGraph } from "@sluice/model";
import { getNodeDefinition } from "@sluice/pipeline";
import { createTestApp, type TestApp } from "../testing/test-app.ts";
import { fixtureFiles, prepareFixtureWorld, type FixtureWorld } from "../testing/fixture-corpus.ts";
import { waitForRun } from "../testing/wait-for-run.ts";

/**
 * The fixture corpus (packages/pipeline/fixtures): pipeline files exported before node versions were stored. Each is
 * imported as a user would, every node previewed, and the pipeline run, which must succeed; the pure test beside the
 * catalog only proves they load and compile.
 */
let t: TestApp;
let world: FixtureWorld;
const fixtures = fixtureFiles();
/** Pipeline id by fixture file. */
const imported = new Map<string, string>();

beforeAll(async () => {
  t = await createTestApp({ startWorker: true, httpAllowlist: ["127.0.0.1"] });
  world = await prepareFixtureWorld(t);
  const files = fixtures.map(({ file, text }) => ({ file, body: JSON.parse(world.toReal(text)) as { name: string } }));
  const res = await request(t.app).post("/api/import/pipelines").send({ pipelines: files.map((f) => f.body) });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  for (const r of res.body.results as { name: string; action: string; pipelineId: string }[]) {
    expect(r.action, r.name).toBe("created");
    imported.set(files.find((f) => f.body.name === r.name)!.file, r.pipelineId);
  }
}, 60_000);
afterAll(async () => {
  await world?.close();
  await t?.close();
});

const errorsOf = (problems: { severity: string; nodeId?: string; field?: string; code: string; message: string }[]) =>
  problems.filter((p) => p.severity === "error").map((p) => `node "${p.nodeId ?? "-"}" ${p.field ?? ""}: ${p.code} ${p.message}`);

describe("fixture corpus on a real server", () => {
  it.each(fixtures.map((f) => f.file))("%s imports, validates and previews every node", async (file) => {
    const raw = JSON.parse(world.toReal(fixtures.find((f) => f.file === file)!.text)) as { graph: unknown };
    const original = await request(t.app).post("/api/pipelines/validate").send({ graph: raw.graph });
    expect(errorsOf(original.body.problems), `${file} as exported`).toEqual([]);

    const stored = await request(t.app).get(`/api/pipelines/${imported.get(file)}`);
    expect(stored.status).toBe(200);
    const graph = stored.body.graph as PipelineGraph;
    const validation = await request(t.app).post("/api/pipelines/validate").send({ graph });
    expect(errorsOf(validation.body.problems), `${file} as stored`).toEqual([]);

    for (const node of graph.nodes) {
      const outputs = getNodeDefinition(node.type)?.outputs.map((p) => p.name) ?? [];
      // Every output port (a retype's rejects too); a sink shows the rows it would write.
      for (const port of outputs.length ? outputs : [undefined]) {
        const res = await request(t.app).post("/api/preview").send({ graph, nodeId: node.id, limit: 20, ...(port ? { port } : {}) });
        expect(res.status, `${file}: preview of node "${node.id}" (${node.type})${port ? ` port ${port}` : ""}: ${JSON.stringify(res.body)}`).toBe(200);
        expect(errorsOf(res.body.problems ?? []), `${file}: preview of node "${node.id}"`).toEqual([]);
      }
    }
  });

  it("every fixture runs to success", async () => {
    const started = await Promise.all(
      fixtures.map(async ({ file }) => {
        const res = await request(t.app).post(`/api/pipelines/${imported.get(file)}/runs`).send({});
        expect(res.status, `${file}: ${JSON.stringify(res.body)}`).toBe(202);
        return { file, runId: res.body.runId as string };
      }),
    );
    const failed: string[] = [];
    for (const { file, runId } of started) {
      const run = await waitForRun(t.app, runId, undefined, 50_000);
      if (run.status !== "succeeded") failed.push(`${file}: ${run.status} ${run.error ?? ""}`);
    }
    expect(failed).toEqual([]);

    // The sink fixture's modes did what they say to the tables of data/warehouse.sql.
    const c = new pg.Client({ connectionString: t.warehouse.url });
    await c.connect();
    try {
      const rows = async (table: string) => (await c.query(`SELECT id::int AS id, name FROM warehouse.${table} ORDER BY id`)).rows;
      expect(await rows("fixture_append_target")).toEqual([{ id: 1, name: "new name" }, { id: 2, name: "two" }, { id: 100, name: "already there" }]);
      expect(await rows("fixture_upsert_target")).toEqual([{ id: 1, name: "new name" }, { id: 2, name: "two" }]);
      expect(await rows("fixture_sink_created")).toHaveLength(2);
    } finally {
      await c.end();
    }
  }, 60_000);
});
