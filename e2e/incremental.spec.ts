import type { APIRequestContext } from "@playwright/test";
import { expectNoSeriousViolations } from "./axe.ts";
import { warehouse, warehouseSql } from "./e2e-database.ts";
import { expect, test } from "./fixtures.ts";

const BUILT_IN = "00000000-0000-4000-8000-00000000c0de";

async function run(request: APIRequestContext, pipelineId: string): Promise<string> {
  const res = await request.post(`/api/pipelines/${pipelineId}/runs`, { data: {} });
  expect(res.status(), await res.text()).toBe(202);
  const { runId } = (await res.json()) as { runId: string };
  await expect.poll(async () => ((await (await request.get(`/api/runs/${runId}`)).json()) as { status: string }).status, { timeout: 30_000 }).toBe("succeeded");
  return runId;
}

test("the run page shows an incremental source's watermark before and after, and resets it", async ({ page, request, pipelines }) => {
  const tag = Math.random().toString(36).slice(2, 8);
  const [source, target] = [`e2e_inc_src_${tag}`, `e2e_inc_dst_${tag}`];
  await warehouseSql(`CREATE TABLE warehouse.${source} (id bigint, name text); INSERT INTO warehouse.${source} SELECT n, 'row ' || n FROM generate_series(1, 5) AS n`);
  // Readable by the warehouse role, as the pipelines' connection logs in.
  await warehouseSql(`ALTER TABLE warehouse.${source} OWNER TO "${warehouse().role}"`);
  try {
    const p = await pipelines.create("Incremental orders");
    const graph = {
      formatVersion: 1,
      nodes: [
        { id: "orders", type: "postgres", label: "Orders", position: { x: 0, y: 0 }, config: { connectionId: BUILT_IN, mode: "table", schema: "warehouse", table: source, watermarkColumn: "id" } },
        { id: "load", type: "postgres-sink", position: { x: 300, y: 0 }, config: { connectionId: BUILT_IN, schema: "warehouse", table: target, mode: "append" } },
      ],
      edges: [{ id: "e1", source: "orders", target: "load" }],
    };
    expect((await request.put(`/api/pipelines/${p.id}`, { data: { baseVersion: 1, graph } })).status()).toBe(200);
    await run(request, p.id);
    await warehouseSql(`INSERT INTO warehouse.${source} SELECT n, 'row ' || n FROM generate_series(6, 8) AS n`);
    const second = await run(request, p.id);

    await page.goto(`/runs/${second}`);
    const row = page.getByTestId("watermark-orders");
    await expect(row).toContainText("Orders");
    await expect(page.getByTestId("watermark-before-orders")).toHaveText("5");
    await expect(page.getByTestId("watermark-after-orders")).toHaveText("8");
    await expect(page.getByTestId("watermark-now-orders")).toHaveText("8");
    await expect(page.getByTestId("node-row-load")).toContainText("3");
    await expectNoSeriousViolations(page, "run page with watermarks");

    await row.getByRole("button", { name: "Reset watermark" }).click();
    await row.getByRole("button", { name: "Reset: read every row next run" }).click();
    await expect(page.getByTestId("watermark-now-orders")).toHaveText("none");
    await expect(row.getByRole("button", { name: "Reset watermark" })).toBeVisible();
    const audit = await (await request.get("/api/audit?action=pipeline.watermark_reset")).text();
    expect(audit).toContain(p.id);
  } finally {
    await warehouseSql(`DROP TABLE IF EXISTS warehouse.${source}; DROP TABLE IF EXISTS warehouse.${target}`);
  }
});
