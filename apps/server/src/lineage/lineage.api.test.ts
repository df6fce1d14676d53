import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import pg from "pg";
import { DATASET_PORT, traceColumn, type ColumnLineage } from "@sluice/pipeline";
import { createTestApp, type TestApp } from "../testing/test-app.ts";
import { seedDemo } from "../seed/seed-demo.ts";
import { BUILT_IN_CONNECTION_ID } from "../connections/connection.repository.ts";

/** Lineage through the API, on the real demo (real files, the built-in warehouse on real PostgreSQL). */
let t: TestApp;
let demoId: string;
beforeAll(async () => {
  t = await createTestApp();
  await seedDemo(t.db, t.deps, () => {});
  demoId = (await request(t.app).get("/api/pipelines")).body.pipelines[0].id;
}, 60_000);
afterAll(async () => t?.close());

/** A second pipeline that reads what the demo writes, and writes a file. */
const reader = {
  formatVersion: 1,
  nodes: [
    { id: "read", type: "postgres", position: { x: 0, y: 0 }, config: { connectionId: BUILT_IN_CONNECTION_ID, mode: "table", schema: "warehouse", table: "revenue_by_country" } },
    { id: "top", type: "sort", position: { x: 300, y: 0 }, config: { keys: [{ column: "revenue", direction: "desc" }] } },
    { id: "out", type: "file-sink", position: { x: 600, y: 0 }, config: { name: "top-countries", format: "csv" } },
  ],
  edges: [
    { id: "e1", source: "read", target: "top" },
    { id: "e2", source: "top", target: "out" },
  ],
};

describe("GET /api/pipelines/:id/lineage", () => {
  it("leads revenue in the sink table back to orders.csv amount through clean, retype, filter, join and group", async () => {
    const res = await request(t.app).get(`/api/pipelines/${demoId}/lineage`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.version).toBe(1);
    expect(res.body.problems.filter((p: { severity: string }) => p.severity === "error")).toEqual([]);
    const lineage = res.body as ColumnLineage;
    const trace = traceColumn(lineage, { nodeId: "load", port: DATASET_PORT, column: "revenue" }, { indirect: false });
    const through = trace.upstream.filter((s) => s.column === "amount").map((s) => `${lineage.nodes[s.nodeId]!.type}:${s.nodeId}`);
    expect(through).toEqual(["join:join", "filter:has_amount", "dedupe:dedupe", "retype:retype", "clean:clean", "file:orders", "file:orders"]);
    const file = trace.upstream.at(-1)!;
    expect(file).toMatchObject({ port: DATASET_PORT, column: "amount", transformation: { type: "DIRECT", subtype: "AGGREGATION" } });
    expect(file.dataset).toMatchObject({ kind: "file", namespace: "sluice://files", label: "orders.csv" });
    // The table it writes is named by the warehouse's address, never with its user or password.
    const table = lineage.nodes.load!.dataset!;
    expect(table.namespace).toMatch(/^postgres:\/\/[^@/]+:\d+$/);
    expect(table.name).toMatch(/\.warehouse\.revenue_by_country$/);
  });

  it("answers for a given version, and says what is wrong with a bad one", async () => {
    expect((await request(t.app).get(`/api/pipelines/${demoId}/lineage?version=1`)).status).toBe(200);
    const missing = await request(t.app).get(`/api/pipelines/${demoId}/lineage?version=7`);
    expect([missing.status, missing.body.error.code]).toEqual([404, "VERSION_NOT_FOUND"]);
    const bad = await request(t.app).get(`/api/pipelines/${demoId}/lineage?version=latest`);
    expect([bad.status, bad.body.error.code]).toEqual([400, "VALIDATION_FAILED"]);
    expect(bad.body.error.message).toContain("version");
    const other = await request(t.app).get(`/api/pipelines/00000000-0000-4000-8000-00000000beef/lineage`);
    expect(other.status).toBe(404);
  });
});

describe("GET /api/lineage and /api/datasets/:name/usage", () => {
  it("shows two pipelines chained through a table, and the table's users, at their versions", async () => {
    const created = await request(t.app).post("/api/pipelines").send({ name: "Top countries", graph: reader });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const graph = await request(t.app).get("/api/lineage");
    expect(graph.status).toBe(200);
    expect(graph.body.pipelines.map((p: { name: string; version: number }) => [p.name, p.version]).sort()).toEqual([
      ["Demo: revenue by country", 1],
      ["Top countries", 1],
    ]);
    const table = graph.body.datasets.find((d: { label: string }) => d.label === "warehouse.revenue_by_country");
    expect(table).toMatchObject({ kind: "postgres" });
    const onTable = graph.body.edges.filter((e: { name: string; namespace: string }) => e.name === table.name && e.namespace === table.namespace);
    expect(onTable.map((e: { pipelineId: string; access: string; nodeId: string }) => [e.pipelineId, e.access, e.nodeId]).sort()).toEqual(
      [
        [demoId, "write", "load"],
        [created.body.id, "read", "read"],
      ].sort(),
    );
    expect(graph.body.datasets.map((d: { label: string }) => d.label)).toEqual(expect.arrayContaining(["orders.csv", "customers.csv", "top-countries.csv"]));

    // Before the demo has run the table does not exist, so which of its columns the reader uses is not known.
    const before = await request(t.app).get(`/api/datasets/${encodeURIComponent(table.name)}/usage`).query({ namespace: table.namespace });
    expect(before.body.datasets[0].usedBy.find((u: { access: string }) => u.access === "read").columns).toBeNull();
    const c = new pg.Client({ connectionString: t.warehouse.url });
    await c.connect();
    try {
      await c.query("CREATE SCHEMA IF NOT EXISTS warehouse; CREATE TABLE warehouse.revenue_by_country (country text, revenue numeric(38, 2), orders bigint)");
    } finally {
      await c.end();
    }
    const usage = await request(t.app).get(`/api/datasets/${encodeURIComponent(table.name)}/usage`).query({ namespace: table.namespace });
    expect(usage.status, JSON.stringify(usage.body)).toBe(200);
    expect(usage.body.datasets).toHaveLength(1);
    expect(usage.body.datasets[0].usedBy.map((u: { pipelineName: string; access: string; version: number; columns: string[] }) => [u.pipelineName, u.access, u.version, u.columns]).sort()).toEqual([
      ["Demo: revenue by country", "write", 1, ["country", "revenue", "orders"]],
      ["Top countries", "read", 1, ["country", "revenue", "orders"]],
    ]);

    // A file's name has a slash (`<id>/<name>`): encoded, it is one path segment.
    const orders = graph.body.datasets.find((d: { label: string }) => d.label === "orders.csv");
    const read = await request(t.app).get(`/api/datasets/${encodeURIComponent(orders.name)}/usage`);
    expect(read.status, JSON.stringify(read.body)).toBe(200);
    // Of orders.csv the demo uses what reaches the table: amount (summed), customer_id (join key), order_id (dedupe
    // key); order_date and status are read and dropped by the grouping.
    expect(read.body.datasets[0].usedBy).toEqual([
      { pipelineId: demoId, pipelineName: "Demo: revenue by country", version: 1, access: "read", nodeId: "orders", columns: ["order_id", "customer_id", "amount"] },
    ]);

    // A new version that reads another table: the usage follows the current version.
    const moved = { ...reader, nodes: reader.nodes.map((n) => (n.id === "read" ? { ...n, config: { ...n.config, table: "elsewhere" } } : n)) };
    const saved = await request(t.app).put(`/api/pipelines/${created.body.id}`).send({ graph: moved, baseVersion: 1 });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    const after = await request(t.app).get(`/api/datasets/${encodeURIComponent(table.name)}/usage`);
    expect(after.body.datasets[0].usedBy.map((u: { pipelineName: string }) => u.pipelineName)).toEqual(["Demo: revenue by country"]);
  });

  it("is in the OpenAPI document, readable by every role", async () => {
    const doc = (await request(t.app).get("/api/openapi.json")).body;
    for (const path of ["/api/pipelines/{id}/lineage", "/api/lineage", "/api/datasets/{name}/usage"]) {
      expect(doc.paths[path]?.get?.["x-sluice-roles"], path).toEqual(["owner", "editor", "runner", "viewer"]);
    }
  });

  it("answers 404 with what to do for a dataset nothing uses", async () => {
    const res = await request(t.app).get("/api/datasets/nope.public.nothing/usage");
    expect([res.status, res.body.error.code]).toEqual([404, "DATASET_NOT_FOUND"]);
    expect(res.body.error.message).toContain("GET /api/lineage");
  });
});
