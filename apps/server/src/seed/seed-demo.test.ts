import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import pg from "pg";
import { createTestApp, type TestApp } from "../testing/test-app.ts";
import { waitForRun } from "../testing/wait-for-run.ts";
import { seedDemo } from "./seed-demo.ts";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ startWorker: true });
}, 60_000);
afterAll(async () => t?.close());

describe("demo seed", () => {
  it("seeds two files and a valid demo pipeline once, and the demo runs", async () => {
    await seedDemo(t.db, t.deps, () => {});
    await seedDemo(t.db, t.deps, () => {});
    const files = (await request(t.app).get("/api/files")).body.files;
    expect(files.map((f: { name: string }) => f.name).sort()).toEqual(["customers.csv", "orders.csv"]);
    const orders = files.find((f: { name: string }) => f.name === "orders.csv");
    expect(orders.columns.map((c: { name: string }) => c.name)).toEqual(["order_id", "customer_id", "order_date", "amount", "status"]);
    const pipelines = (await request(t.app).get("/api/pipelines")).body.pipelines;
    expect(pipelines).toHaveLength(1);
    const p = (await request(t.app).get(`/api/pipelines/${pipelines[0].id}`)).body;
    const validation = await request(t.app).post("/api/pipelines/validate").send({ graph: p.graph });
    expect(validation.body.problems).toEqual([]);
    expect(validation.body.valid).toBe(true);

    const start = await request(t.app).post(`/api/pipelines/${p.id}/runs`).send({});
    expect(start.status).toBe(202);
    const run = await waitForRun(t.app, start.body.runId);
    expect(run.status, run.error ?? "").toBe("succeeded");
    const c = new pg.Client({ connectionString: t.warehouse.url });
    await c.connect();
    try {
      const { rows } = await c.query("SELECT country, revenue, orders::int AS orders FROM warehouse.revenue_by_country ORDER BY country");
      expect(rows.length).toBeGreaterThan(3);
      const total = await c.query("SELECT sum(orders)::int AS n FROM warehouse.revenue_by_country");
      // 43 raw rows: 3 repeated order ids and 6 without an amount (blank or n/a) leave 34 orders.
      expect(total.rows[0].n).toBe(34);
    } finally {
      await c.end();
    }
  }, 60_000);
});
