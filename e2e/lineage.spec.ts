import type { APIRequestContext, Page } from "@playwright/test";
import type { PipelineGraph } from "@sluice/model";
import { demoGraph } from "../apps/server/src/seed/demo-graph.ts";
import { expectNoSeriousViolations } from "./axe.ts";
import { demoFile } from "./demo-data.ts";
import { nodeCard, selectNode } from "./editor-helpers.ts";
import { expect, test } from "./fixtures.ts";

/**
 * Lineage in the UI (docs/lineage.md, "In the app"): a preview column traced on the canvas back to the file column it
 * comes from, the Lineage page's pipelines chained through a table and that table's "used by", and the save
 * dialog's warning when a save drops a column another pipeline reads.
 */
test.use({ viewport: { width: 1440, height: 900 } });

const BUILT_IN = "00000000-0000-4000-8000-00000000c0de";
const tag = Date.now().toString(36);
const table = `lineage_${tag}`;

let api: APIRequestContext;
let files: { ordersFileId: string; customersFileId: string };
test.beforeAll(async ({ playwright, baseURL }) => {
  api = await playwright.request.newContext({ baseURL: baseURL!, extraHTTPHeaders: { authorization: `Bearer ${process.env.SLUICE_E2E_OWNER_TOKEN}` } });
  const upload = async (name: "orders.csv" | "customers.csv") => {
    const res = await api.post("/api/files", { multipart: { file: { ...demoFile(name), name: `lineage-${tag}-${name}` } } });
    expect(res.status(), await res.text()).toBe(201);
    return ((await res.json()) as { id: string }).id;
  };
  files = { ordersFileId: await upload("orders.csv"), customersFileId: await upload("customers.csv") };
});
test.afterAll(async () => {
  for (const id of Object.values(files)) expect((await api.delete(`/api/files/${id}`)).status()).toBe(204);
  await api.dispose();
});

async function save(request: APIRequestContext, id: string, graph: unknown) {
  const res = await request.put(`/api/pipelines/${id}`, { data: { baseVersion: 1, graph } });
  expect(res.status(), await res.text()).toBe(200);
}

/** Pipeline A: the demo, writing warehouse.<table>; run once so the table exists for B to read. */
async function writer(request: APIRequestContext, create: (name: string) => Promise<{ id: string }>) {
  const p = await create(`Lineage A ${tag}`);
  const graph = demoGraph({ ...files, connectionId: BUILT_IN });
  const load = graph.nodes.find((n) => n.id === "load")!;
  load.config = { ...load.config, table };
  await save(request, p.id, graph);
  const res = await request.post(`/api/pipelines/${p.id}/runs`, { data: {} });
  expect(res.status(), await res.text()).toBe(202);
  const { runId } = (await res.json()) as { runId: string };
  await expect.poll(async () => ((await (await request.get(`/api/runs/${runId}`)).json()) as { status: string }).status, { timeout: 30_000 }).toBe("succeeded");
  return p;
}

/** Pipeline B: reads A's table and copies it on. */
async function reader(request: APIRequestContext, create: (name: string) => Promise<{ id: string }>) {
  const p = await create(`Lineage B ${tag}`);
  const graph: PipelineGraph = {
    formatVersion: 1,
    nodes: [
      { id: "src", type: "postgres", label: "Revenue table", position: { x: 0, y: 0 }, config: { connectionId: BUILT_IN, mode: "table", schema: "warehouse", table } },
      { id: "out", type: "postgres-sink", label: "Report", position: { x: 360, y: 0 }, config: { connectionId: BUILT_IN, schema: "warehouse", table: `${table}_report`, mode: "replace", keys: [] } },
    ],
    edges: [{ id: "e1", source: "src", target: "out" }],
  } as PipelineGraph;
  await save(request, p.id, graph);
  return p;
}

const header = (page: Page, column: string) => page.getByRole("grid").getByRole("button", { name: new RegExp(`^${column}\\b`) });

test("clicking revenue in the sink's preview traces it on the canvas back to amount in orders.csv through clean, types, filter, join and group", async ({ page, request, pipelines }) => {
  const a = await writer(request, (n) => pipelines.create(n));
  await page.goto(`/pipelines/${a.id}`);
  await expect(nodeCard(page, "load")).toBeVisible();
  await selectNode(page, "load");
  await header(page, "revenue").click();

  const said = page.getByTestId("lineage-trace");
  await expect(said).toContainText(`revenue ← amount in lineage-${tag}-orders.csv via Tidy status and amount, Types, One row per order, Has an amount, Add customer, Revenue by country`);
  for (const id of ["orders", "clean", "retype", "dedupe", "has_amount", "join"]) await expect(page.getByTestId(`node-lineage-${id}`)).toContainText("amount");
  await expect(page.getByTestId("node-lineage-by_country")).toContainText("revenue");
  await expect(nodeCard(page, "orders")).toHaveAttribute("data-lineage", "upstream");
  // The customers file only decides which rows join: marked for its key, not as where the value comes from.
  await expect(page.getByTestId("node-lineage-customers")).toContainText("rows: customer_id");
  await expect(header(page, "revenue")).toHaveAttribute("aria-pressed", "true");
  await expectNoSeriousViolations(page, "the editor with a column traced");

  await page.keyboard.press("Escape");
  await expect(page.getByTestId("node-lineage-orders")).toHaveCount(0);
  await expect(said).toHaveText("");

  // Keyboard: the header is a button; a click elsewhere clears the trace too.
  await header(page, "orders").focus();
  await page.keyboard.press("Enter");
  await expect(said).toContainText("orders ←");
  await page.getByRole("complementary", { name: "Inspector" }).click({ position: { x: 5, y: 5 } });
  await expect(said).toHaveText("");

  // The inspector lists the group's output columns and where each comes from.
  await selectNode(page, "by_country");
  await page.getByText("Where its columns come from").click();
  await expect(page.getByTestId("column-origins")).toContainText("revenue = sum(amount) from Add customer");
  await expect(page.getByTestId("column-origins")).toContainText("country: identity of Add customer.country");
});

test("the Lineage page chains two pipelines through a table, and the table's used by lists both", async ({ page, request, pipelines }) => {
  await writer(request, (n) => pipelines.create(n));
  await reader(request, (n) => pipelines.create(n));
  await page.goto("/");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Lineage" }).click();
  await expect(page.getByRole("heading", { name: "Lineage", level: 1 })).toBeVisible();
  await expect(page.getByTestId("lineage-pipeline").filter({ hasText: `Lineage A ${tag}` })).toHaveCount(1);
  await expect(page.getByTestId("lineage-pipeline").filter({ hasText: `Lineage B ${tag}` })).toHaveCount(1);
  const row = page.getByTestId("dataset-row").filter({ hasText: `warehouse.${table}` }).filter({ hasNotText: "_report" });
  await expect(row.getByRole("list", { name: `Pipelines that use warehouse.${table}`, exact: true })).toContainText(`Lineage A ${tag} writes (v2)`);
  await expect(row).toContainText(`Lineage B ${tag} reads (v2)`);
  await row.getByRole("button", { name: `Usage of warehouse.${table}` }).click();
  const usedBy = page.getByTestId("dataset-used-by");
  await expect(usedBy).toContainText(`Lineage A ${tag} writes it (version 2, node load)`);
  await expect(usedBy).toContainText(`Lineage B ${tag} reads it (version 2, node src)`);
  await expect(usedBy).toContainText("Columns: country, revenue, orders");
  await expectNoSeriousViolations(page, "the Lineage page with a table's usage open");
  // The panel takes width from the graph: it is fitted again, and the chosen dataset (the rightmost one) is not cut off.
  await page.getByTestId("dataset-row").filter({ hasText: `warehouse.${table}_report` }).getByRole("button", { name: `Usage of warehouse.${table}_report` }).click();
  const chosen = page.getByTestId("lineage-dataset").filter({ has: page.locator('button[aria-pressed="true"]') });
  await expect(chosen).toContainText(`${table}_report`);
  const canvas = page.locator(".react-flow");
  await expect
    .poll(async () => {
      const [c, n] = [await canvas.boundingBox(), await chosen.boundingBox()];
      return c !== null && n !== null && n.x >= c.x - 1 && n.x + n.width <= c.x + c.width + 1;
    })
    .toBe(true);

  await page.goto("/connections");
  const conn = page.getByTestId("connection-used-by").filter({ hasText: `warehouse.${table}` });
  await expect(conn.getByRole("list", { name: `Pipelines that use warehouse.${table}`, exact: true })).toContainText(`Lineage A ${tag} writes (v2)`);
  await expect(conn.getByRole("list", { name: `Pipelines that use warehouse.${table}`, exact: true })).toContainText(`Lineage B ${tag} reads (v2)`);
  await page.goto("/files");
  await expect(page.getByTestId("file-row").filter({ hasText: `lineage-${tag}-orders.csv` }).getByTestId("file-used-by")).toContainText(`Lineage A ${tag} reads (v2)`);
});

test("the save dialog warns, before saving, that a removed sink column is read by another pipeline", async ({ page, request, pipelines }) => {
  const a = await writer(request, (n) => pipelines.create(n));
  await reader(request, (n) => pipelines.create(n));
  await page.goto(`/pipelines/${a.id}`);
  await selectNode(page, "by_country");
  // The count of orders is the group's second aggregation: removing it drops `orders` from the table A writes.
  await page.getByRole("button", { name: /^Remove aggregation 2$/i }).click();
  await page.getByRole("button", { name: "Save", exact: true }).click();
  const dialog = page.getByRole("dialog", { name: "Save a new version" });
  const impact = dialog.getByTestId("save-impact");
  await expect(impact).toContainText(`warehouse.${table} no longer gets orders`);
  await expect(impact).toContainText(`Lineage B ${tag} (version 2) uses orders`);
  await expectNoSeriousViolations(page, "the save dialog with a save's impact");
  await dialog.getByRole("button", { name: "Save version" }).click();
  await expect(dialog).toBeHidden();
});
