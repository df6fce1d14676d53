import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import type { RunDetail } from "@sluice/model";
import { storedFile } from "@sluice/engine";
import { relationName } from "@sluice/pipeline";
import { BUILT_IN_CONNECTION_ID } from "../connections/connection.repository.ts";
import { createTestApp, type TestApp } from "../testing/test-app.ts";
import { uploadFile } from "../testing/upload-file.ts";
import { waitForRun } from "../testing/wait-for-run.ts";
import { sqlRows } from "../testing/sql-rows.ts";
import { nodeOutputsDir } from "./node-outputs.ts";
import { pinnedFilesDir } from "./pinned-files.ts";
import { DEFAULT_WORKSPACE_ID } from "../workspaces/workspace.repository.ts";

let t: TestApp;
const target = "resf_report";

beforeAll(async () => {
  t = await createTestApp({ startWorker: true });
}, 60_000);
afterAll(async () => t?.close());

const upload = (name: string, content: string, onExists?: "replace") => uploadFile(t.app, name, content, onExists);

/** Uploaded orders, retyped (fails on "n/a" until onError is null), joined with uploaded customers, into a table. */
const graph = (orders: string, customers: string, onError: "fail" | "null") => ({
  formatVersion: 1,
  engine: "duckdb",
  nodes: [
    { id: "orders", type: "file", label: "Orders", position: { x: 0, y: 0 }, config: { fileId: orders, types: "text" } },
    { id: "customers", type: "file", label: "Customers", position: { x: 0, y: 200 }, config: { fileId: customers } },
    { id: "typed", type: "retype", position: { x: 200, y: 0 }, config: { columns: [{ column: "customer_ref", to: "integer" }], onError } },
    { id: "joined", type: "join", position: { x: 400, y: 0 }, config: { kind: "inner", keys: [{ left: "customer_ref", right: "id" }] } },
    { id: "out", type: "postgres-sink", position: { x: 600, y: 0 }, config: { connectionId: BUILT_IN_CONNECTION_ID, schema: "warehouse", table: target, mode: "replace" } },
  ],
  edges: [
    { id: "e1", source: "orders", target: "typed" },
    { id: "e2", source: "typed", target: "joined", targetPort: "left" },
    { id: "e3", source: "customers", target: "joined", targetPort: "right" },
    { id: "e4", source: "joined", target: "out" },
  ],
});

async function runOf(id: string): Promise<RunDetail> {
  const start = await request(t.app).post(`/api/pipelines/${id}/runs`).send({});
  expect(start.status, JSON.stringify(start.body)).toBe(202);
  return waitForRun(t.app, start.body.runId, undefined, 60_000);
}
const node = (d: RunDetail, id: string) => d.nodes.find((n) => n.nodeId === id);

describe("resuming a run whose sources are uploaded files", () => {
  it("keeps each file as it was read (a link, not a copy of its rows), and a resume reads that even after the upload was replaced", async () => {
    const orders = await upload("resf-orders.csv", "order_id,customer_ref\n1,1\n2,2\n3,n/a\n4,1\n");
    const customers = await upload("resf-customers.csv", "id,name\n1,Ada\n2,Grace\n");
    const created = await request(t.app).post("/api/pipelines").send({ name: "resume files", graph: graph(orders, customers, "fail") });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const id = created.body.id as string;

    const failed = await runOf(id);
    expect(failed.status).toBe("failed");
    expect(node(failed, "orders")).toMatchObject({ status: "succeeded", rowsOut: 4 });

    // The run kept each uploaded file as a hard link to the stored upload (same inode, no bytes written), and no
    // Parquet copy of the sources' rows.
    const kept = nodeOutputsDir(path.join(t.dataDir, "outputs"), failed.id);
    const links = readdirSync(pinnedFilesDir(kept)).filter((n) => !n.endsWith(".info.json"));
    expect(links.sort()).toEqual([`${customers}.csv`, `${orders}.csv`].sort());
    const inode = statSync(path.join(pinnedFilesDir(kept), `${orders}.csv`)).ino;
    expect(readdirSync(path.join(t.dataDir, "files")).some((f) => statSync(path.join(t.dataDir, "files", f)).ino === inode), "the link shares the upload's inode").toBe(true);
    for (const source of ["orders", "customers"]) expect(existsSync(storedFile(kept, relationName(source, "out")))).toBe(false);

    // The upload changes meanwhile (same id, new content, its columns in another order): the resume still reads what
    // the failed run read, as it read it then.
    await upload("resf-orders.csv", "customer_ref,order_id\n2,9\n", "replace");
    const saved = await request(t.app).get(`/api/pipelines/${id}`);
    expect((await request(t.app).put(`/api/pipelines/${id}`).send({ baseVersion: saved.body.currentVersion, graph: graph(orders, customers, "null") })).status).toBe(200);
    const started = await request(t.app).post(`/api/runs/${failed.id}/resume`).send({ version: "current" });
    expect(started.status, JSON.stringify(started.body)).toBe(202);
    const resumed = await waitForRun(t.app, started.body.runId, undefined, 60_000);
    expect(resumed.status, resumed.error ?? "").toBe("succeeded");
    for (const n of ["orders", "customers"]) expect(node(resumed, n)).toMatchObject({ status: "succeeded", ranIn: "reused" });
    expect(node(resumed, "orders")?.rowsOut).toBe(4);
    expect(resumed.rowsRead).toBe(0);
    const rows = await sqlRows(t.warehouse.url, `SELECT order_id, name FROM warehouse.${target} ORDER BY order_id`, []);
    expect(rows).toEqual([
      { order_id: "1", name: "Ada" },
      { order_id: "2", name: "Grace" },
      { order_id: "4", name: "Ada" },
    ]);

    // Run from here on the source reads the replaced upload afresh, while the customers stay reused.
    const version = (await request(t.app).get(`/api/pipelines/${id}`)).body.currentVersion as number;
    const from = await request(t.app).post(`/api/pipelines/${id}/runs`).send({ fromNode: "orders", version });
    expect(from.status, JSON.stringify(from.body)).toBe(202);
    const again = await waitForRun(t.app, from.body.runId, undefined, 60_000);
    expect(again.status, again.error ?? "").toBe("succeeded");
    expect(node(again, "orders")).toMatchObject({ ranIn: "duckdb", rowsOut: 1 });
    expect(node(again, "customers")).toMatchObject({ ranIn: "reused" });
    expect(await sqlRows(t.warehouse.url, `SELECT order_id, name FROM warehouse.${target}`, [])).toEqual([{ order_id: "9", name: "Grace" }]);

    // A new full run reads the replaced upload too.
    const fresh = await runOf(id);
    expect(fresh.status, fresh.error ?? "").toBe("succeeded");
    expect(node(fresh, "orders")).toMatchObject({ ranIn: "duckdb", rowsOut: 1 });
  });

  it("leaves an uploaded JSON file as it was: the run's note of how it read the file is not written through the file's link", async () => {
    // The note was `<id>.json` beside the link `<id>.json`: each run wrote it into the upload itself, and every
    // later preview and run of that file read the note instead of the rows.
    const content = '[{"id":1,"name":"Ada"},{"id":2,"name":"Grace"}]';
    const events = await upload("resf-events.json", content);
    const stored = t.deps.files.pathOf((await t.deps.files.get(DEFAULT_WORKSPACE_ID, events))!.storageKey);
    expect(readFileSync(stored, "utf8")).toBe(content);
    const jsonGraph = {
      formatVersion: 1,
      engine: "duckdb",
      nodes: [
        { id: "events", type: "file", position: { x: 0, y: 0 }, config: { fileId: events } },
        { id: "out", type: "file-sink", position: { x: 300, y: 0 }, config: { name: "events-out", format: "csv" } },
      ],
      edges: [{ id: "e1", source: "events", target: "out" }],
    };
    const created = await request(t.app).post("/api/pipelines").send({ name: "json upload twice", graph: jsonGraph });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    for (const attempt of [1, 2]) {
      const run = await runOf(created.body.id as string);
      expect(run.status, `run ${attempt}: ${run.error ?? ""}`).toBe("succeeded");
      expect(node(run, "events")?.rowsOut).toBe(2);
      expect(readFileSync(stored, "utf8"), `the upload after run ${attempt}`).toBe(content);
      const links = readdirSync(pinnedFilesDir(nodeOutputsDir(path.join(t.dataDir, "outputs"), run.id)));
      expect(links.sort()).toEqual([`${events}.info.json`, `${events}.json`]);
    }
    const preview = await request(t.app).get(`/api/files/${events}/preview`);
    expect(preview.status, JSON.stringify(preview.body)).toBe(200);
    expect(preview.body.rows).toEqual([
      { id: 1, name: "Ada" },
      { id: 2, name: "Grace" },
    ]);
  });
});
