import { expectNoSeriousViolations } from "./axe.ts";
import { warehouse, warehouseSql } from "./e2e-database.ts";
import { expect, test } from "./fixtures.ts";
import { selectNode } from "./editor-helpers.ts";

const BUILT_IN = "00000000-0000-4000-8000-00000000c0de";

/** Orders (customer_ref as text, one "n/a") retyped to a number and joined with customers; onError "fail" stops the run at the join. */
const graph = (t: { orders: string; customers: string; target: string }, onError: "fail" | "null") => ({
  formatVersion: 1,
  engine: "duckdb",
  nodes: [
    { id: "orders", type: "postgres", label: "Orders", position: { x: 0, y: 0 }, config: { connectionId: BUILT_IN, mode: "table", schema: "warehouse", table: t.orders } },
    { id: "customers", type: "postgres", label: "Customers", position: { x: 0, y: 200 }, config: { connectionId: BUILT_IN, mode: "table", schema: "warehouse", table: t.customers } },
    { id: "typed", type: "retype", label: "Ref as number", position: { x: 250, y: 0 }, config: { columns: [{ column: "customer_ref", to: "integer" }], onError } },
    { id: "joined", type: "join", label: "With customers", position: { x: 500, y: 100 }, config: { kind: "inner", keys: [{ left: "customer_ref", right: "id" }] } },
    { id: "out", type: "postgres-sink", label: "Report", position: { x: 750, y: 100 }, config: { connectionId: BUILT_IN, schema: "warehouse", table: t.target, mode: "replace" } },
  ],
  edges: [
    { id: "e1", source: "orders", target: "typed" },
    { id: "e2", source: "typed", target: "joined", targetPort: "left" },
    { id: "e3", source: "customers", target: "joined", targetPort: "right" },
    { id: "e4", source: "joined", target: "out" },
  ],
});

test("a failed run is fixed and resumed: the sources are reused, the rest runs again (axe on the resumed run); then Run from here on the join in the editor", async ({ page, request, pipelines }) => {
  const tag = Math.random().toString(36).slice(2, 8);
  const t = { orders: `e2e_res_orders_${tag}`, customers: `e2e_res_customers_${tag}`, target: `e2e_res_report_${tag}` };
  await warehouseSql(`CREATE TABLE warehouse.${t.orders} (id int, customer_ref text); INSERT INTO warehouse.${t.orders} VALUES (1, '1'), (2, 'n/a'), (3, '2')`);
  await warehouseSql(`CREATE TABLE warehouse.${t.customers} (id int, name text); INSERT INTO warehouse.${t.customers} VALUES (1, 'Ada'), (2, 'Grace')`);
  for (const table of [t.orders, t.customers]) await warehouseSql(`ALTER TABLE warehouse.${table} OWNER TO "${warehouse().role}"`);
  try {
    const p = await pipelines.create("Resumable report");
    expect((await request.put(`/api/pipelines/${p.id}`, { data: { baseVersion: 1, graph: graph(t, "fail") } })).status()).toBe(200);
    const start = await request.post(`/api/pipelines/${p.id}/runs`, { data: {} });
    const { runId } = (await start.json()) as { runId: string };
    await expect.poll(async () => ((await (await request.get(`/api/runs/${runId}`)).json()) as { status: string }).status, { timeout: 30_000 }).toBe("failed");
    // The fix: text that is not a number becomes null instead of stopping the run.
    expect((await request.put(`/api/pipelines/${p.id}`, { data: { baseVersion: 2, graph: graph(t, "null") } })).status()).toBe(200);

    await page.goto(`/runs/${runId}`);
    await expect(page.getByRole("alert")).toContainText("customer_ref");
    await page.getByRole("button", { name: "Resume on current version" }).click();
    await expect(page).not.toHaveURL(new RegExp(`/runs/${runId}$`));
    // The sink runs last: once it succeeded, the run has.
    await expect(page.getByTestId("node-row-out")).toContainText("succeeded", { timeout: 30_000 });
    await expect(page.getByTestId("run-resumed-from")).toContainText(`Resumed from run ${runId.slice(0, 8)}; reused: Orders, Customers.`);
    await expect(page.getByTestId("node-row-orders")).toContainText("Reused (not run again)");
    await expect(page.getByTestId("node-row-orders")).toContainText("3");
    await expect(page.getByTestId("node-row-customers")).toContainText("Reused (not run again)");
    await expect(page.getByTestId("run-rows-read")).toHaveText("0");
    await expectNoSeriousViolations(page, "resumed run page");

    // Run from here, in the editor: the join and the sink run again, the sources come from the resumed run.
    await page.goto(`/pipelines/${p.id}`);
    await selectNode(page, "joined");
    await page.getByRole("button", { name: "Run from here" }).click();
    type Detail = { id: string; status: string; trigger: string; rowsRead: number | null; nodes: { nodeId: string; ranIn: string | null }[] };
    const latest = async () => {
      const list = (await (await request.get(`/api/runs?pipelineId=${p.id}&limit=1`)).json()) as { runs: { id: string }[] };
      return (await (await request.get(`/api/runs/${list.runs[0]!.id}`)).json()) as Detail;
    };
    await expect.poll(async () => { const d = await latest(); return `${d.trigger} ${d.status}`; }, { timeout: 30_000 }).toBe("from-node succeeded");
    const from = await latest();
    expect(from.rowsRead).toBe(0);
    expect(from.nodes.find((n) => n.nodeId === "orders")?.ranIn).toBe("reused");
    expect(from.nodes.find((n) => n.nodeId === "joined")?.ranIn).toBe("duckdb");

    // A pipeline that never ran has nothing to reuse: the action says so instead of failing.
    const fresh = await pipelines.create("Never ran");
    expect((await request.put(`/api/pipelines/${fresh.id}`, { data: { baseVersion: 1, graph: graph(t, "null") } })).status()).toBe(200);
    await page.goto(`/pipelines/${fresh.id}`);
    await selectNode(page, "joined");
    await expect(page.getByRole("button", { name: "Run from here" })).toBeDisabled();
    await expect(page.getByTestId("run-from-reason")).toHaveText("Run the whole pipeline first: there are no results to reuse yet.");
  } finally {
    await warehouseSql(`DROP TABLE IF EXISTS warehouse.${t.orders}; DROP TABLE IF EXISTS warehouse.${t.customers}; DROP TABLE IF EXISTS warehouse.${t.target}`);
  }
});
