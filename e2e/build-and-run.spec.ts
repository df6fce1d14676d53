import { mkdirSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import type { Locator } from "@playwright/test";
import { expect, test } from "./fixtures.ts";
import { demoFile, distinctOrderCount, expectedRevenueByCountry, rawOrderCount } from "./demo-data.ts";
import { databaseUrl, warehouse } from "./e2e-database.ts";
import { clickCard, connect, dropFromPalette, nodeCard } from "./editor-helpers.ts";

/** The editor once the pipeline is built, for the report (the README's screenshots come from canvas-view.spec.ts). */
function editorScreenshotPath(): string {
  const dir = path.join(import.meta.dirname, "artifacts");
  mkdirSync(dir, { recursive: true });
  return path.join(dir, "editor-built.png");
}

test("build the demo pipeline on the canvas, watch previews change at each step, save, run, and find the rows in Postgres", async ({
  page,
  request,
  pipelines,
}, testInfo) => {
  test.setTimeout(120_000);
  const upload = async (name: "orders.csv" | "customers.csv") => {
    // Replace: a retry, or an earlier spec, may have uploaded the name already.
    const res = await request.post("/api/files?onExists=replace", { multipart: { file: demoFile(name) } });
    expect(res.status(), await res.text()).toBe(201);
    return ((await res.json()) as { id: string }).id;
  };
  const ordersFile = await upload("orders.csv");
  const customersFile = await upload("customers.csv");
  const table = `e2e_revenue_${Date.now().toString(36)}`;
  const p = await pipelines.create("Revenue by country (built in the browser)");

  await page.goto(`/pipelines/${p.id}`);
  // Zoom out so the whole pipeline fits on the canvas while it is built.
  for (let i = 0; i < 4; i++) await page.getByRole("button", { name: "zoom out" }).click();

  const preview = page.getByRole("region", { name: "Preview" });
  const rowCount = page.getByTestId("preview-row-count");
  const inspector = page.getByRole("complementary", { name: "Inspector" });
  const item = (name: string) => inspector.getByRole("group", { name, exact: true });
  const add = (what: string, within: Locator = inspector) => within.getByRole("button", { name: `+ Add ${what}`, exact: true }).last().click();

  // 1. Orders, read as text so the cleaning steps see the raw values.
  await dropFromPalette(page, "File", { x: 20, y: 40 });
  await inspector.getByLabel("File", { exact: true }).selectOption(ordersFile);
  await inspector.getByLabel("Types", { exact: true }).selectOption("text");
  await expect(rowCount).toHaveText(new RegExp(`^${rawOrderCount()} rows`));
  await expect(preview.getByRole("row").nth(1)).toContainText("Shipped");

  // 2. Clean: status trimmed and lower case, amount trimmed with "" and "n/a" as missing.
  await dropFromPalette(page, "Clean values", { x: 180, y: 40 });
  await connect(page, "file", "clean");
  await add("column");
  await item("Column 1").getByLabel("Column", { exact: true }).selectOption("status");
  await add("operation", item("Column 1"));
  await add("operation", item("Column 1"));
  await item("Column 1").getByRole("group", { name: "Operation 2" }).getByLabel("Operation", { exact: true }).selectOption("case");
  await item("Column 1").getByRole("group", { name: "Operation 2" }).getByLabel("Convert to").selectOption("lower");
  await expect(preview.getByRole("row").nth(1)).toContainText("shipped");
  await expect(preview.getByRole("row").nth(1)).not.toContainText("Shipped");
  await add("column");
  await item("Column 2").getByLabel("Column", { exact: true }).selectOption("amount");
  await add("operation", item("Column 2"));
  await add("operation", item("Column 2"));
  const nullIf = item("Column 2").getByRole("group", { name: "Operation 2" });
  await nullIf.getByLabel("Operation", { exact: true }).selectOption("null_if");
  await add("value", nullIf);
  await add("value", nullIf);
  await nullIf.getByRole("textbox", { name: "Values 2" }).fill("n/a");

  // 3. Types: two date formats, amounts with thousands separators; the inspector counts what fails to convert.
  await dropFromPalette(page, "Change types", { x: 340, y: 40 });
  await connect(page, "clean", "retype");
  await add("column");
  await item("Column 1").getByLabel("Column", { exact: true }).selectOption("order_date");
  await item("Column 1").getByLabel("Convert to").selectOption("date");
  await add("format", item("Column 1"));
  await item("Column 1").getByRole("textbox", { name: "Formats 1" }).fill("%Y-%m-%d");
  await expect(inspector.getByTestId("retype-failures")).toContainText("does not convert");
  await add("format", item("Column 1"));
  await item("Column 1").getByRole("textbox", { name: "Formats 2" }).fill("%d/%m/%Y");
  await expect(inspector.getByTestId("retype-failures")).toHaveText("Every value converts.");
  await add("column");
  await item("Column 2").getByLabel("Column", { exact: true }).selectOption("amount");
  await item("Column 2").getByLabel("Convert to").selectOption("double");
  await expect(preview.getByRole("columnheader", { name: /amount/ })).toContainText("double");
  await expect(preview.getByRole("columnheader", { name: /order_date/ })).toContainText("date");

  // 4. One row per order.
  await dropFromPalette(page, "Remove duplicates", { x: 500, y: 40 });
  await connect(page, "retype", "dedupe");
  await inspector.getByLabel("Keys", { exact: true }).selectOption("order_id");
  await expect(rowCount).toHaveText(new RegExp(`^${distinctOrderCount()} rows`));

  // 5. Customers, joined on customer_id.
  await dropFromPalette(page, "File", { x: 20, y: 220 });
  await inspector.getByLabel("File", { exact: true }).selectOption(customersFile);
  await dropFromPalette(page, "Join", { x: 180, y: 220 });
  await connect(page, "dedupe", "join", "left");
  await connect(page, "file_2", "join", "right");
  await add("key");
  await item("Key 1").getByLabel("Left key").selectOption("customer_id");
  await item("Key 1").getByLabel("Right key").selectOption("customer_id");
  await expect(preview.getByRole("columnheader", { name: /country/ })).toBeVisible();
  await expect(rowCount).toHaveText(new RegExp(`^${distinctOrderCount()} rows`));

  // 6. Revenue and orders per country.
  const expected = expectedRevenueByCountry();
  await dropFromPalette(page, "Group and aggregate", { x: 340, y: 220 });
  await connect(page, "join", "group");
  await inspector.getByLabel("Keys", { exact: true }).selectOption("country");
  await add("aggregation");
  await item("Aggregation 1").getByLabel("Column", { exact: true }).selectOption("amount");
  await item("Aggregation 1").getByLabel("Function").selectOption("sum");
  await item("Aggregation 1").getByLabel("Output name").fill("revenue");
  await add("aggregation");
  await item("Aggregation 2").getByLabel("Output name").fill("orders");
  await expect(rowCount).toHaveText(new RegExp(`^${expected.size} rows`));

  // 7. Into the built-in warehouse (a database of its own beside Sluice's), schema warehouse.
  await dropFromPalette(page, "PostgreSQL table", { x: 500, y: 220 });
  await connect(page, "group", "postgres-sink");
  await inspector.getByLabel("Connection", { exact: true }).selectOption({ label: "Sluice warehouse (built-in)" });
  await inspector.getByLabel("Schema", { exact: true }).fill("warehouse");
  await inspector.getByLabel("Table", { exact: true }).fill(table);
  await inspector.getByLabel("Mode", { exact: true }).selectOption("replace");
  await expect(rowCount).toHaveText(new RegExp(`^${expected.size} rows`));
  for (const id of ["file", "clean", "retype", "dedupe", "file_2", "join", "group", "postgres-sink"]) {
    await expect(nodeCard(page, id)).toHaveAttribute("data-invalid", "false");
  }

  await clickCard(page, "join");
  await expect(rowCount).toHaveText(new RegExp(`^${distinctOrderCount()} rows`));
  await expect(preview.getByText("updating…")).toHaveCount(0);
  const shot = await page.screenshot({ path: editorScreenshotPath() });
  await testInfo.attach("editor", { body: shot, contentType: "image/png" });
  await page.getByRole("button", { name: "Auto-layout" }).click();

  // Save & run: the run is watched live on the canvas.
  await page.getByRole("button", { name: "Save & run" }).click();
  await expect(page.getByTestId("editor-version")).toHaveText("v2");
  await expect(nodeCard(page, "postgres-sink")).toHaveAttribute("data-status", "succeeded", { timeout: 60_000 });
  await expect(page.getByTestId("node-run-dedupe")).toContainText(`${distinctOrderCount()} rows`);
  await expect(page.getByTestId("node-run-clean")).toContainText(`${rawOrderCount()} rows`);
  await expect(page.getByTestId("node-run-postgres-sink")).toContainText(`${expected.size} rows`);

  // The dashboard counts the rows the run wrote.
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Runs" }).click();
  const row = page.getByTestId("run-row").filter({ hasText: "Revenue by country (built in the browser)" });
  await expect(row).toContainText("succeeded");
  await expect(row.getByTestId("rows-written")).toHaveText(String(expected.size));

  const client = new pg.Client({ connectionString: databaseUrl(warehouse().database) });
  await client.connect();
  try {
    const { rows } = await client.query<{ country: string; revenue: number | null; orders: string }>(
      `SELECT country, revenue, orders FROM warehouse.${table} ORDER BY country`,
    );
    expect(rows.map((r) => r.country)).toEqual([...expected.keys()].sort());
    for (const r of rows) {
      const e = expected.get(r.country)!;
      expect(Number(r.orders), r.country).toBe(e.orders);
      if (e.revenue === null) expect(r.revenue).toBeNull();
      else expect(Number(r.revenue), r.country).toBeCloseTo(e.revenue, 6);
    }
  } finally {
    await client.end();
  }
});
