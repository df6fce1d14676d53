import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import pg from "pg";
import { createTestApp, type TestApp } from "../testing/test-app.ts";
import { waitForRun } from "../testing/wait-for-run.ts";
import { DEMO_DIR, seedDemo } from "./seed-demo.ts";

/** Cents per country, added up here in whole numbers from the demo files, as the demo must: first order per id, "" and n/a missing. */
function expectedCents(): Map<string, bigint> {
  const rows = (name: string) => readFileSync(path.join(DEMO_DIR, name), "utf8").trim().split("\n").slice(1);
  const country = new Map(rows("customers.csv").map((l) => [l.split(",")[0]!, l.split(",")[2]!]));
  const seen = new Set<string>();
  const out = new Map<string, bigint>();
  for (const line of rows("orders.csv")) {
    // order_id,customer_id,order_date,amount,status, where an amount with a thousands comma is quoted.
    const m = /^([^,]*),([^,]*),([^,]*),("[^"]*"|[^,]*),/.exec(line);
    if (!m || seen.has(m[1]!)) continue;
    seen.add(m[1]!);
    const amount = m[4]!.replaceAll('"', "").replaceAll(",", "").trim();
    const c = country.get(m[2]!);
    if (amount === "" || amount === "n/a" || c === undefined) continue;
    const [whole, frac = ""] = amount.split(".");
    out.set(c, (out.get(c) ?? 0n) + BigInt(whole!) * 100n + BigInt(frac.padEnd(2, "0")));
  }
  return out;
}
const asMoney = (cents: bigint) => `${cents / 100n}.${String(cents % 100n).padStart(2, "0")}`;

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
      // Money is a decimal all the way, so revenue is exact cents (a double sum gave 11147.309999999998).
      const types = await c.query("SELECT data_type, numeric_scale FROM information_schema.columns WHERE table_schema = 'warehouse' AND table_name = 'revenue_by_country' AND column_name = 'revenue'");
      expect(types.rows).toEqual([{ data_type: "numeric", numeric_scale: 2 }]);
      const expected = expectedCents();
      expect(Object.fromEntries(rows.map((r) => [r.country, String(r.revenue)]))).toEqual(Object.fromEntries([...expected].map(([k, v]) => [k, asMoney(v)])));
      const total = await c.query("SELECT sum(orders)::int AS n FROM warehouse.revenue_by_country");
      // 43 raw rows: 3 repeated order ids and 6 without an amount (blank or n/a) leave 34 orders.
      expect(total.rows[0].n).toBe(34);
    } finally {
      await c.end();
    }
  }, 60_000);
});
