import type { Locator, Page } from "@playwright/test";
import { expect, test } from "./fixtures.ts";
import { demoFile, expectedRevenueByCountry } from "./demo-data.ts";
import { connect, dropFromPalette, nodeCard } from "./editor-helpers.ts";

/**
 * How many pointer actions building the messy-orders demo (apps/server/src/seed/demo-graph.ts: orders, clean,
 * types, one row per order, has an amount, customers, join, revenue by country, PostgreSQL) takes from an empty
 * canvas, by mouse. Every click, drag and pick from a list goes through `Pointer`, which counts it; clicking into a
 * text field before typing counts as one, the typing itself does not.
 */
class Pointer {
  count = 0;
  constructor(private readonly page: Page) {}
  async click(l: Locator) {
    this.count++;
    await l.click();
  }
  async pick(select: Locator, value: string) {
    this.count++;
    await select.selectOption(value);
  }
  async type(field: Locator, text: string) {
    this.count++;
    await field.click();
    await field.fill(text);
  }
  async drop(label: string, at: { x: number; y: number }) {
    this.count++;
    await dropFromPalette(this.page, label, at);
  }
  async connect(from: string, to: string, toPort = "in") {
    this.count++;
    await connect(this.page, from, to, toPort);
  }
}

test.use({ viewport: { width: 1440, height: 900 } });

test("building the messy-orders demo from an empty canvas takes a counted number of pointer actions", async ({ page, request, pipelines }, testInfo) => {
  test.setTimeout(120_000);
  const upload = async (name: "orders.csv" | "customers.csv") => {
    const res = await request.post("/api/files", { multipart: { file: demoFile(name) } });
    expect(res.status(), await res.text()).toBe(201);
    return ((await res.json()) as { id: string }).id;
  };
  const ordersId = await upload("orders.csv");
  const customersId = await upload("customers.csv");
  const p = await pipelines.create("Messy orders, counted");
  await page.goto(`/pipelines/${p.id}`);

  const pointer = new Pointer(page);
  const inspector = page.getByRole("complementary", { name: "Inspector" });
  const item = (name: string) => inspector.getByRole("group", { name, exact: true });
  const add = (what: string, within: Locator = inspector) => pointer.click(within.getByRole("button", { name: `+ Add ${what}`, exact: true }).last());
  // Three rows of three cards (220 px wide), left of the inspector and above the preview.
  const at = (col: number, row: number) => ({ x: 20 + col * 260, y: 40 + row * 180 });

  // Orders, read as text so the cleaning sees the raw values.
  await pointer.drop("File", at(0, 0));
  await pointer.pick(inspector.getByLabel("File", { exact: true }), ordersId);
  await pointer.pick(inspector.getByLabel("Types", { exact: true }), "text");

  // Tidy status and amount.
  await pointer.drop("Clean values", at(1, 0));
  await pointer.connect("file", "clean");
  await add("column");
  await pointer.pick(item("Column 1").getByLabel("Column", { exact: true }), "status");
  await add("operation", item("Column 1"));
  await add("operation", item("Column 1"));
  await pointer.pick(item("Column 1").getByRole("group", { name: "Operation 2" }).getByLabel("Operation", { exact: true }), "case");
  await pointer.pick(item("Column 1").getByRole("group", { name: "Operation 2" }).getByLabel("Convert to"), "lower");
  await add("column");
  await pointer.pick(item("Column 2").getByLabel("Column", { exact: true }), "amount");
  await add("operation", item("Column 2"));
  await add("operation", item("Column 2"));
  const nullIf = item("Column 2").getByRole("group", { name: "Operation 2" });
  await pointer.pick(nullIf.getByLabel("Operation", { exact: true }), "null_if");
  await add("value", nullIf);
  await add("value", nullIf);
  await pointer.type(nullIf.getByRole("textbox", { name: "Values 2" }), "n/a");

  // Types: two date formats, amounts as numbers.
  await pointer.drop("Change types", at(2, 0));
  await pointer.connect("clean", "retype");
  await add("column");
  await pointer.pick(item("Column 1").getByLabel("Column", { exact: true }), "order_date");
  await pointer.pick(item("Column 1").getByLabel("Convert to"), "date");
  await add("format", item("Column 1"));
  await pointer.type(item("Column 1").getByRole("textbox", { name: "Formats 1" }), "%Y-%m-%d");
  await add("format", item("Column 1"));
  await pointer.type(item("Column 1").getByRole("textbox", { name: "Formats 2" }), "%d/%m/%Y");
  await add("column");
  await pointer.pick(item("Column 2").getByLabel("Column", { exact: true }), "amount");
  await pointer.pick(item("Column 2").getByLabel("Convert to"), "double");

  // One row per order.
  await pointer.drop("Remove duplicates", at(0, 1));
  await pointer.connect("retype", "dedupe");
  await pointer.pick(inspector.getByLabel("Keys", { exact: true }), "order_id");

  // Has an amount.
  await pointer.drop("Filter rows", at(1, 1));
  await pointer.connect("dedupe", "filter");
  await add("rule");
  await pointer.pick(inspector.getByLabel("Column", { exact: true }), "amount");
  await pointer.pick(inspector.getByLabel("Operator"), "is_not_null");

  // Add customer.
  await pointer.drop("Join", at(2, 1));
  await pointer.connect("filter", "join", "left");
  await pointer.drop("File", at(0, 2));
  await pointer.pick(inspector.getByLabel("File", { exact: true }), customersId);
  await pointer.connect("file_2", "join", "right");
  await pointer.click(nodeCard(page, "join"));
  await add("key");
  await pointer.pick(item("Key 1").getByLabel("Left key"), "customer_id");
  await pointer.pick(item("Key 1").getByLabel("Right key"), "customer_id");

  // Revenue by country.
  await pointer.drop("Group and aggregate", at(1, 2));
  await pointer.connect("join", "group");
  await pointer.pick(inspector.getByLabel("Keys", { exact: true }), "country");
  await add("aggregation");
  await pointer.pick(item("Aggregation 1").getByLabel("Column", { exact: true }), "amount");
  await pointer.pick(item("Aggregation 1").getByLabel("Function"), "sum");
  await pointer.type(item("Aggregation 1").getByLabel("Output name"), "revenue");
  await add("aggregation");
  await pointer.type(item("Aggregation 2").getByLabel("Output name"), "orders");

  // Into the built-in warehouse.
  await pointer.drop("PostgreSQL table", at(2, 2));
  await pointer.connect("group", "postgres-sink");
  const connection = inspector.getByLabel("Connection", { exact: true });
  const warehouse = await connection.locator("option", { hasText: "Sluice warehouse" }).getAttribute("value");
  await pointer.pick(connection, warehouse!);
  await pointer.type(inspector.getByLabel("Schema", { exact: true }), "warehouse");
  await pointer.type(inspector.getByLabel("Table", { exact: true }), "revenue_by_country");
  await pointer.pick(inspector.getByLabel("Mode", { exact: true }), "replace");

  // The result is the demo's: every node valid, and one row per country that has an amount.
  const countries = [...expectedRevenueByCountry().values()].filter((g) => g.revenue !== null).length;
  await expect(page.getByTestId("preview-row-count")).toHaveText(new RegExp(`^${countries} rows`));
  for (const id of ["file", "clean", "retype", "dedupe", "filter", "file_2", "join", "group", "postgres-sink"]) {
    await expect(nodeCard(page, id)).toHaveAttribute("data-invalid", "false");
  }
  await expect(page.locator(".react-flow__edge")).toHaveCount(8);

  testInfo.annotations.push({ type: "pointer actions", description: String(pointer.count) });
  console.log(`pointer actions to build the messy-orders demo: ${pointer.count}`);
});
