import type { APIRequestContext, Page } from "@playwright/test";
import { expect, test } from "./fixtures.ts";
import { expectNoSeriousViolations } from "./axe.ts";
import { clickCard, nodeCard } from "./editor-helpers.ts";

const text = (...names: string[]) => names.map((name) => ({ name, type: "string" }));

async function openWith(page: Page, request: APIRequestContext, id: string, graph: object) {
  expect((await request.put(`/api/pipelines/${id}`, { data: { baseVersion: 1, graph } })).status()).toBe(200);
  await page.goto(`/pipelines/${id}`);
}

test.use({ viewport: { width: 1440, height: 900 } });

test("Change types suggests, from the previewed rows, the type every value of a text column converts to, and adds them in one click", async ({ page, request, pipelines }) => {
  const p = await pipelines.create("Suggested types");
  await openWith(page, request, p.id, {
    formatVersion: 1,
    nodes: [
      {
        id: "rows",
        type: "inline",
        position: { x: 0, y: 0 },
        config: {
          columns: text("code", "placed", "price", "paid", "note"),
          rows: [
            ["007", "2024-01-02", "1,200.50", "yes", "a"],
            ["123", "15/05/2024", "3.5", "no", "b"],
            ["200", "02/05/2024", null, "YES", "c"],
          ],
        },
      },
      { id: "types", type: "retype", position: { x: 320, y: 0 }, config: {} },
    ],
    edges: [{ id: "e1", source: "rows", target: "types" }],
  });
  await clickCard(page, "types");
  const inspector = page.getByRole("complementary", { name: "Inspector" });
  const note = inspector.getByTestId("retype-type-suggestion");
  // "007" keeps code text; "a", "b", "c" are not anything else.
  await expect(note).toHaveText(
    "Suggested from the 3 previewed rows, every value of which converts: placed → date (%Y-%m-%d, %d/%m/%Y); price → decimal(18,2); paid → boolean.Use suggested types",
  );
  await expectNoSeriousViolations(page, "editor, retype's suggested types");
  await note.getByRole("button", { name: "Use suggested types" }).click();
  await expect(note).toHaveCount(0);
  const rows = inspector.getByRole("group", { name: /^Column \d$/ });
  await expect(rows).toHaveCount(3);
  await expect(rows.nth(0).getByLabel("Column", { exact: true })).toHaveValue("placed");
  await expect(rows.nth(0).getByLabel("Convert to")).toHaveValue("date");
  await expect(rows.nth(0).getByRole("textbox", { name: "Formats 2" })).toHaveValue("%d/%m/%Y");
  await expect(rows.nth(1).getByLabel("Convert to")).toHaveValue("decimal");
  await expect(rows.nth(2).getByLabel("Convert to")).toHaveValue("boolean");
  // Every value converted: each row says so, and the node is valid.
  await expect(inspector.getByText("all convert")).toHaveCount(3);
  await expect(nodeCard(page, "types")).toHaveAttribute("data-invalid", "false");
});

test("Join offers its inputs' common identifier as the key in one click", async ({ page, request, pipelines }) => {
  const p = await pipelines.create("Suggested join key");
  await openWith(page, request, p.id, {
    formatVersion: 1,
    nodes: [
      { id: "orders", type: "inline", position: { x: 0, y: 0 }, config: { columns: text("order_id", "customer_id", "name"), rows: [["o1", "c1", "first"]] } },
      { id: "customers", type: "inline", position: { x: 0, y: 240 }, config: { columns: text("customer_id", "name"), rows: [["c1", "Ada"]] } },
      { id: "join", type: "join", position: { x: 320, y: 100 }, config: {} },
    ],
    edges: [
      { id: "e1", source: "orders", target: "join", targetPort: "left" },
      { id: "e2", source: "customers", target: "join", targetPort: "right" },
    ],
  });
  await clickCard(page, "join");
  const inspector = page.getByRole("complementary", { name: "Inspector" });
  // name is common too, but not an identifier: customer_id is the one offered.
  const suggestion = inspector.getByRole("button", { name: "Join on customer_id", exact: true });
  await expectNoSeriousViolations(page, "editor, join's suggested key");
  await suggestion.click();
  const key = inspector.getByRole("group", { name: "Key 1", exact: true });
  await expect(key.getByLabel("Left key")).toHaveValue("customer_id");
  await expect(key.getByLabel("Right key")).toHaveValue("customer_id");
  await expect(suggestion).toHaveCount(0);
  await expect(nodeCard(page, "join")).toHaveAttribute("data-invalid", "false");
});

test("a new PostgreSQL table sink starts with the workspace's one connection and a table named after the pipeline, in create mode", async ({ page, request, pipelines }) => {
  const p = await pipelines.create("Revenue, by country");
  await openWith(page, request, p.id, { formatVersion: 1, nodes: [], edges: [] });
  await page.getByRole("button", { name: "Add PostgreSQL table", exact: true }).click();
  const inspector = page.getByRole("complementary", { name: "Inspector" });
  const connection = inspector.getByLabel("Connection", { exact: true });
  const warehouse = await connection.locator("option", { hasText: "Sluice warehouse" }).getAttribute("value");
  await expect(connection).toHaveValue(warehouse!);
  await expect(inspector.getByLabel("Table", { exact: true })).toHaveValue("revenue_by_country");
  // Create fails when the table exists: the default never replaces anything.
  await expect(inspector.getByLabel("Mode", { exact: true })).toHaveValue("create");
  await expect(nodeCard(page, "postgres-sink")).toContainText("create public.revenue_by_country");
  await expectNoSeriousViolations(page, "editor, a new PostgreSQL table sink");
});

test("Clean values suggests, from the previewed rows, trimming, placeholders to null and one case for a category, in one click", async ({ page, request, pipelines }) => {
  const p = await pipelines.create("Suggested cleaning");
  await openWith(page, request, p.id, {
    formatVersion: 1,
    nodes: [
      {
        id: "rows",
        type: "inline",
        position: { x: 0, y: 0 },
        config: { columns: text("name", "status", "amount"), rows: [["Ada", " Shipped", "12.5 "], ["ada", "SHIPPED", "n/a"], ["Bo", "shipped", "3"]] },
      },
      { id: "tidy", type: "clean", position: { x: 320, y: 0 }, config: {} },
    ],
    edges: [{ id: "e1", source: "rows", target: "tidy" }],
  });
  await clickCard(page, "tidy");
  const inspector = page.getByRole("complementary", { name: "Inspector" });
  const note = inspector.getByTestId("clean-suggestion");
  // name has case variants too (Ada, ada), but two values in three rows is no category: names are not re-cased.
  await expect(note.getByRole("listitem")).toHaveText([
    "status: trim, lower case (spaces around 1 value; 3 spellings of 1 value, differing only in case)",
    'amount: trim, placeholders to null (spaces around 1 value; "n/a" for missing)',
  ]);
  await expectNoSeriousViolations(page, "editor, clean's suggested cleaning");
  await note.getByRole("button", { name: "Use suggested cleaning" }).click();
  await expect(note).toHaveCount(0);
  await expect(inspector.getByRole("group", { name: /^Column \d$/ })).toHaveCount(2);
  await expect(nodeCard(page, "tidy")).toHaveAttribute("data-invalid", "false");
  await expect(page.getByRole("region", { name: "Preview" })).toContainText("shipped");
});
