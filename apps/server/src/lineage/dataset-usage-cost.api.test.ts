import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import { DATASET_PORT, traceColumn, type ColumnLineage } from "@sluice/pipeline";
import { createTestApp, type TestApp } from "../testing/test-app.ts";
import { uploadFile } from "../testing/upload-file.ts";
import { seedDemo } from "../seed/seed-demo.ts";
import { reachingSinks } from "./lineage.facade.ts";

/**
 * Which columns of a dataset a pipeline uses is found in one walk over the pipeline's lineage, not one per column per
 * source: a viewer's GET /api/datasets/:name/usage costs about the lineage's size, however many sources read the
 * dataset and however wide it is.
 */
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ bodyLimit: "2mb" });
  await seedDemo(t.db, t.deps, () => {});
}, 60_000);
afterAll(async () => t?.close());

describe("the columns a pipeline uses of a dataset", () => {
  it("are the ones tracing each source column downstream finds reaching a sink", async () => {
    const demoId = (await request(t.app).get("/api/pipelines")).body.pipelines[0].id as string;
    const lineage = (await request(t.app).get(`/api/pipelines/${demoId}/lineage`)).body as ColumnLineage;
    const reaching = reachingSinks(lineage);
    let compared = 0;
    for (const [nodeId, node] of Object.entries(lineage.nodes)) {
      const read = Object.values(node.ports.out?.columns ?? {}).flatMap((list) => list.filter((o) => o.from.port === DATASET_PORT).map((o) => o.from.column));
      for (const column of new Set(read)) {
        const traced = traceColumn(lineage, { nodeId, port: DATASET_PORT, column }).downstream.some((s) => s.port === DATASET_PORT);
        expect(reaching.has(`${nodeId}\u0000${DATASET_PORT}\u0000${column}`), `${nodeId}.${column}`).toBe(traced);
        compared++;
      }
    }
    // Both answers occur: the demo reads columns that reach its table and columns it drops.
    expect(compared).toBeGreaterThan(5);
    expect([...reaching].filter((k) => k.includes(`\u0000${DATASET_PORT}\u0000`)).length).toBeGreaterThan(0);
  });

  it("are answered in a time that grows with the lineage, not with sources times columns times the lineage", async () => {
    const columns = Array.from({ length: 300 }, (_, i) => `c${i}`);
    const fileId = await uploadFile(t.app, "wide.csv", `${columns.join(",")}\n${columns.map(() => "1").join(",")}\n`);
    // 20 sources of the one 300-column file, one of them through 20 selects of every column: a 100 kB graph.
    const nodes: object[] = Array.from({ length: 20 }, (_, s) => ({ id: `src${s}`, type: "file", position: { x: 0, y: s }, config: { fileId } }));
    const edges: object[] = [];
    for (let i = 0; i < 20; i++) {
      nodes.push({ id: `n${i}`, type: "select", position: { x: i + 1, y: 0 }, config: { columns: columns.map((name) => ({ name })) } });
      edges.push({ id: `e${i}`, source: i ? `n${i - 1}` : "src0", target: `n${i}` });
    }
    nodes.push({ id: "out", type: "file-sink", position: { x: 30, y: 0 }, config: { name: "wide-out", format: "csv" } });
    edges.push({ id: "e-out", source: "n19", target: "out" });
    const created = await request(t.app).post("/api/pipelines").send({ name: "Wide", graph: { formatVersion: 1, nodes, edges } });
    expect(created.status, JSON.stringify(created.body).slice(0, 500)).toBe(201);

    const started = performance.now();
    const usage = await request(t.app).get(`/api/datasets/${encodeURIComponent(`${fileId}/wide.csv`)}/usage`);
    const ms = performance.now() - started;
    expect(usage.status, JSON.stringify(usage.body).slice(0, 500)).toBe(200);
    const uses = usage.body.datasets[0].usedBy as { nodeId: string; columns: string[] }[];
    expect(uses).toHaveLength(20);
    // The source through the selects to the sink uses every column; the others reach nothing.
    expect(uses.find((u) => u.nodeId === "src0")!.columns).toEqual(columns);
    expect(uses.filter((u) => u.nodeId !== "src0").every((u) => u.columns.length === 0)).toBe(true);
    // One walk takes well under a second here; tracing each column of each source took 53 s, all of it on the event
    // loop. The bound sits far from both, so a loaded machine cannot fail it and the old way cannot pass it.
    expect(ms).toBeLessThan(20_000);
  }, 120_000);
});
