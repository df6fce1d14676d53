import type { Locator, Page } from "@playwright/test";
import { expect, test } from "./fixtures.ts";
import { demoFile, expectedRevenueByCountry } from "./demo-data.ts";
import { dropConnection, dropFromPalette, nodeCard } from "./editor-helpers.ts";

/**
 * How many pointer actions building the messy-orders demo (apps/server/src/seed/demo-graph.ts: orders, clean,
 * types, one row per order, has an amount, customers, join, revenue by country, PostgreSQL) takes from an empty
 * canvas, by mouse. Every click, drag and pick from a list goes through `Pointer`, which counts it; clicking into a
 * text field before typing counts as one, the typing itself does not. Each node after the first is added by
 * clicking it in the palette while the node it follows is selected (it lands beside it, connected), and the
 * customers file by dropping a connection from the join's right input on empty canvas and clicking File. The
 * inspector's suggestions are used where a user would: the cleaning and the types suggested from the data, the join's common key;
 * the sink's connection and table are the ones a new sink starts with (the workspace's one connection, the pipeline's name).
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
  /** Drags a connection from a node's handle and lets go on empty canvas, `by` pixels from the handle. */
  async dropConnection(node: string, port: string, by: { x: number; y: number }) {
    this.count++;
    await dropConnection(this.page, node, port, by);
  }
}

/** Before the editing aids of issue 15 (commit 52f377a): a drag from the palette and a drag to connect for each node. */
const BEFORE = 63;

test.use({ viewport: { width: 1440, height: 900 } });

test("building the messy-orders demo from an empty canvas by mouse takes at least 33 fewer pointer actions than before the editing aids", async ({ page, request, pipelines }, testInfo) => {
  test.setTimeout(120_000);
  const upload = async (name: "orders.csv" | "customers.csv") => {
    const res = await request.post("/api/files?onExists=replace", { multipart: { file: demoFile(name) } });
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
  const palette = (label: string) => page.getByRole("button", { name: `Add ${label}`, exact: true });
  const add = (what: string, within: Locator = inspector) => pointer.click(within.getByRole("button", { name: `+ Add ${what}`, exact: true }).last());
  // Orders, read as text so the cleaning sees the raw values.
  await pointer.drop("File", { x: 20, y: 40 });
  await pointer.pick(inspector.getByLabel("File", { exact: true }), ordersId);
  await pointer.pick(inspector.getByLabel("Types", { exact: true }), "text");

  // Tidy status and amount, as suggested from the rows read.
  await pointer.click(palette("Clean values"));
  const cleaning = inspector.getByTestId("clean-suggestion");
  await expect(cleaning).toContainText("status: trim, lower case");
  await expect(cleaning).toContainText('amount: trim, placeholders to null');
  await pointer.click(cleaning.getByRole("button", { name: "Use suggested cleaning" }));

  // Types: two date formats, amounts as numbers, as suggested from the cleaned rows.
  await pointer.click(palette("Change types"));
  const suggestion = inspector.getByTestId("retype-type-suggestion");
  await expect(suggestion).toContainText("order_date → date (%Y-%m-%d, %d/%m/%Y); amount → decimal(18,2)");
  await pointer.click(suggestion.getByRole("button", { name: "Use suggested types" }));

  // One row per order.
  await pointer.click(palette("Remove duplicates"));
  await pointer.pick(inspector.getByLabel("Keys", { exact: true }), "order_id");

  // Has an amount.
  await pointer.click(palette("Filter rows"));
  await add("rule");
  await pointer.pick(inspector.getByLabel("Column", { exact: true }), "amount");
  await pointer.pick(inspector.getByLabel("Operator"), "is_not_null");

  // Add customer.
  await pointer.click(palette("Join"));
  await pointer.dropConnection("join", "right", { x: -80, y: 160 });
  await pointer.click(page.getByRole("dialog", { name: "Add a connected node" }).getByRole("option", { name: "File", exact: true }));
  await pointer.pick(inspector.getByLabel("File", { exact: true }), customersId);
  await pointer.click(nodeCard(page, "join"));
  await pointer.click(inspector.getByRole("button", { name: "Join on customer_id", exact: true }));

  // Revenue by country.
  await pointer.click(palette("Group and aggregate"));
  await pointer.pick(inspector.getByLabel("Keys", { exact: true }), "country");
  await add("aggregation");
  await pointer.pick(item("Aggregation 1").getByLabel("Column", { exact: true }), "amount");
  await pointer.pick(item("Aggregation 1").getByLabel("Function"), "sum");
  await pointer.type(item("Aggregation 1").getByLabel("Output name"), "revenue");
  await add("aggregation");
  await pointer.type(item("Aggregation 2").getByLabel("Output name"), "orders");

  // Into the built-in warehouse.
  await pointer.click(palette("PostgreSQL table"));
  // The workspace's one connection and a table named after the pipeline are already chosen.
  const connection = inspector.getByLabel("Connection", { exact: true });
  const warehouse = await connection.locator("option", { hasText: "Sluice warehouse" }).getAttribute("value");
  await expect(connection).toHaveValue(warehouse!);
  await expect(inspector.getByLabel("Table", { exact: true })).toHaveValue("messy_orders_counted");
  await pointer.type(inspector.getByLabel("Schema", { exact: true }), "warehouse");
  await pointer.pick(inspector.getByLabel("Mode", { exact: true }), "replace");

  // The result is the demo's: every node valid, and one row per country that has an amount.
  const countries = [...expectedRevenueByCountry().values()].filter((g) => g.revenue !== null).length;
  await expect(page.getByTestId("preview-row-count")).toHaveText(new RegExp(`^${countries} rows`));
  for (const id of ["file", "clean", "retype", "dedupe", "filter", "file_2", "join", "group", "postgres-sink"]) {
    await expect(nodeCard(page, id)).toHaveAttribute("data-invalid", "false");
  }
  await expect(page.locator(".react-flow__edge")).toHaveCount(8);

  testInfo.annotations.push({ type: "pointer actions", description: String(pointer.count) });
  console.log(`pointer actions to build the messy-orders demo: ${pointer.count} (before the editing aids: ${BEFORE})`);
  // Seven nodes added and connected with one click each instead of two drags (7 fewer); the types suggested from
  // the data in one click instead of ten picks and typings (9 fewer); the join's key in one click instead of three (2 fewer);
  // the sink's connection and table chosen for it (2 fewer); the cleaning suggested in one click instead of 14 (13 fewer).
  expect(pointer.count).toBeLessThanOrEqual(BEFORE - 33);
});
