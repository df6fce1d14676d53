import { mkdirSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import type { APIRequestContext } from "@playwright/test";
import { expectNoSeriousViolations } from "./axe.ts";
import { expect, test } from "./fixtures.ts";
import { databaseUrl, warehouse } from "./e2e-database.ts";

const BUILT_IN = "00000000-0000-4000-8000-00000000c0de";
const tag = () => Date.now().toString(36);

async function putGraph(request: APIRequestContext, id: string, graph: unknown) {
  const res = await request.put(`/api/pipelines/${id}`, { data: { baseVersion: 1, graph } });
  expect(res.status(), await res.text()).toBe(200);
}
async function startRun(request: APIRequestContext, id: string): Promise<string> {
  const res = await request.post(`/api/pipelines/${id}/runs`, { data: {} });
  expect(res.status(), await res.text()).toBe(202);
  return ((await res.json()) as { runId: string }).runId;
}
async function finished(request: APIRequestContext, runId: string) {
  await expect.poll(async () => ((await (await request.get(`/api/runs/${runId}`)).json()) as { status: string }).status, { timeout: 30_000 }).toMatch(/succeeded|failed|cancelled/);
}
/** SQL in the server's built-in warehouse (its own database, not the metadata one), as the admin user. */
async function query<T extends pg.QueryResultRow>(sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: databaseUrl(warehouse().database) });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

const inline = (rows: unknown[][]) => ({ id: "people", type: "inline", position: { x: 0, y: 0 }, config: { columns: [{ name: "age", type: "string" }], rows } });

test("the dashboard lists runs with status and rows, filters by status, and a failed run's page names the failing node", async ({ page, request, pipelines }, testInfo) => {
  const ok = await pipelines.create("Loads two rows");
  await putGraph(request, ok.id, {
    formatVersion: 1,
    nodes: [inline([["1"], ["2"]]), { id: "load", type: "postgres-sink", position: { x: 300, y: 0 }, config: { connectionId: BUILT_IN, schema: "warehouse", table: `e2e_ok_${tag()}`, mode: "replace" } }],
    edges: [{ id: "e1", source: "people", target: "load" }],
  });
  const bad = await pipelines.create("Fails on a bad number");
  await putGraph(request, bad.id, {
    formatVersion: 1,
    nodes: [
      inline([["1"], ["many"]]),
      { id: "numbers", type: "retype", position: { x: 300, y: 0 }, config: { columns: [{ column: "age", to: "integer" }], onError: "fail" } },
      { id: "out", type: "file-sink", position: { x: 600, y: 0 }, config: { name: "ages", format: "csv" } },
    ],
    edges: [
      { id: "e1", source: "people", target: "numbers" },
      { id: "e2", source: "numbers", sourcePort: "out", target: "out" },
    ],
  });
  const okRun = await startRun(request, ok.id);
  const badRun = await startRun(request, bad.id);
  await finished(request, okRun);
  await finished(request, badRun);

  await page.goto("/runs");
  const rows = page.getByTestId("run-row");
  const okRow = rows.filter({ hasText: "Loads two rows" });
  await expect(okRow).toContainText("succeeded");
  await expect(okRow.getByTestId("rows-written")).toHaveText("2");
  await expect(rows.filter({ hasText: "Fails on a bad number" })).toContainText("failed");
  mkdirSync(path.join(import.meta.dirname, "artifacts"), { recursive: true });
  const shot = await page.screenshot({ path: path.join(import.meta.dirname, "artifacts", "dashboard.png") });
  await testInfo.attach("dashboard", { body: shot, contentType: "image/png" });

  await page.getByLabel("Status").selectOption("failed");
  await expect(page).toHaveURL(/status=failed/);
  await expect(rows.filter({ hasText: "Loads two rows" })).toHaveCount(0);
  await rows.filter({ hasText: "Fails on a bad number" }).first().getByRole("link").first().click();

  await expect(page.getByRole("heading", { name: /^Run / })).toBeVisible();
  await expect(page.getByRole("alert")).toContainText("many");
  await expect(page.getByTestId("node-row-numbers")).toContainText("failed");
  await expect(page.getByTestId("node-numbers")).toHaveAttribute("data-status", "failed");
  await expect(page.getByRole("list", { name: "Log" }).locator('[data-level="error"]').first()).toBeVisible();
  await expectNoSeriousViolations(page, "a failed run's page");
  await expect(page.getByRole("button", { name: "Cancel run" })).toHaveCount(0);
  await page.getByRole("button", { name: "Retry" }).click();
  await expect(page).not.toHaveURL(new RegExp(badRun));
  await expect(page.getByText("retry", { exact: false }).first()).toBeVisible();
});

test("a succeeded run's page shows the first rows each sink wrote, read back from its table and its file", async ({ page, request, pipelines, consoleErrors }) => {
  const table = `e2e_wrote_${tag()}`;
  const p = await pipelines.create("Writes people");
  await putGraph(request, p.id, {
    formatVersion: 1,
    nodes: [
      inline([["41"], ["42"], ["43"]]),
      { id: "load", type: "postgres-sink", label: "People table", position: { x: 300, y: 0 }, config: { connectionId: BUILT_IN, schema: "warehouse", table, mode: "replace" } },
      { id: "out", type: "file-sink", label: "People file", position: { x: 300, y: 200 }, config: { name: "people", format: "csv" } },
    ],
    edges: [
      { id: "e1", source: "people", target: "load" },
      { id: "e2", source: "people", target: "out" },
    ],
  });
  const runId = await startRun(request, p.id);
  await finished(request, runId);
  await page.goto(`/runs/${runId}`);
  await expect(page.getByRole("heading", { name: "What this run wrote" })).toBeVisible();
  const tableRows = page.getByTestId("sink-rows-load");
  await expect(tableRows.getByTestId("sink-target")).toHaveText(`"warehouse"."${table}"`);
  await expect(tableRows.getByRole("grid", { name: "Rows People table wrote" }).getByRole("gridcell").filter({ hasText: /^4\d$/ })).toHaveText(["41", "42", "43"]);
  const fileRows = page.getByTestId("sink-rows-out");
  await expect(fileRows.getByTestId("sink-target")).toHaveText("people.csv");
  await expect(fileRows.getByRole("grid", { name: "Rows People file wrote" }).getByRole("gridcell").filter({ hasText: /^4\d$/ })).toHaveText(["41", "42", "43"]);

  // A table dropped since the run cannot be shown, and the page says why instead of showing nothing.
  consoleErrors.allow(/status of 410/);
  await query(`DROP TABLE warehouse.${table}`);
  await page.reload();
  await expect(page.getByTestId("sink-rows-load")).toContainText(`Cannot show what People table wrote: Table "warehouse"."${table}" is no longer there`);
  await expect(page.getByTestId("sink-rows-out").getByRole("gridcell").filter({ hasText: "42" })).toBeVisible();
});

test("a long run cancelled from its page stops, and the target table keeps its rows", async ({ page, request, pipelines }) => {
  const table = `e2e_slow_${tag()}`;
  await query(`CREATE TABLE warehouse.${table} (id integer)`);
  await query(`INSERT INTO warehouse.${table} VALUES (42)`);
  // Owned by the warehouse role, as a table an earlier run had loaded would be.
  await query(`ALTER TABLE warehouse.${table} OWNER TO "${warehouse().role}"`);
  const p = await pipelines.create("Slow load");
  await putGraph(request, p.id, {
    formatVersion: 1,
    nodes: [
      { id: "src", type: "postgres", position: { x: 0, y: 0 }, config: { connectionId: BUILT_IN, mode: "query", sql: "SELECT n AS id FROM generate_series(1, 3) AS n, pg_sleep(30) AS s" } },
      { id: "sink", type: "postgres-sink", position: { x: 300, y: 0 }, config: { connectionId: BUILT_IN, schema: "warehouse", table, mode: "replace" } },
    ],
    edges: [{ id: "e1", source: "src", target: "sink" }],
  });
  const runId = await startRun(request, p.id);
  await page.goto(`/runs/${runId}`);
  await expect(page.getByText("running", { exact: true }).first()).toBeVisible({ timeout: 20_000 });
  const started = Date.now();
  await page.getByRole("button", { name: "Cancel run" }).click();
  await expect(page.getByText("cancelled", { exact: true }).first()).toBeVisible({ timeout: 10_000 });
  expect(Date.now() - started).toBeLessThan(10_000);
  expect(await query<{ id: number }>(`SELECT id FROM warehouse.${table}`)).toEqual([{ id: 42 }]);
  await expect(page.getByRole("button", { name: "Retry" })).toBeEnabled();
});

test("a running run's page lists every node of its pipeline from the start, in graph order, those not started as waiting", async ({ page, request, pipelines }) => {
  const p = await pipelines.create("Nodes waiting");
  // The sink first in the file: the table follows the graph (sources first), not the file.
  await putGraph(request, p.id, {
    formatVersion: 1,
    nodes: [
      { id: "out", type: "file-sink", label: "CSV out", position: { x: 600, y: 0 }, config: { name: "waiting", format: "csv" } },
      { id: "slow", type: "postgres", label: "Slow query", position: { x: 0, y: 0 }, config: { connectionId: BUILT_IN, mode: "query", schema: "public", table: "", sql: "select pg_sleep(30)::text as x" } },
      { id: "top", type: "limit", label: "Top one", position: { x: 300, y: 0 }, config: { count: 1, skip: 0 } },
    ],
    edges: [
      { id: "e1", source: "slow", target: "top" },
      { id: "e2", source: "top", target: "out" },
    ],
  });
  const runId = await startRun(request, p.id);
  try {
    await page.goto(`/runs/${runId}`);
    const row = (id: string) => page.getByTestId(`node-row-${id}`);
    await expect(row("slow")).toContainText("running", { timeout: 20_000 });
    await expect(page.locator("[data-testid^=node-row-]")).toHaveText([/^Slow query\s*running/, /^Top one\s*waiting/, /^CSV out\s*waiting/]);
    await expectNoSeriousViolations(page, "a running run's page with nodes waiting");
    await page.getByRole("button", { name: "Cancel run" }).click();
    await expect(row("slow")).toContainText("cancelled", { timeout: 10_000 });
    await expect(row("out")).toContainText("not run");
  } finally {
    await request.post(`/api/runs/${runId}/cancel`);
  }
});
