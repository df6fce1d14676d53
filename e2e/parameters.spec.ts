import { expect, test } from "./fixtures.ts";
import { clickCard, nodeCard } from "./editor-helpers.ts";

test("parameters: declare one, read it in an expression with completion, preview with its default, run with another value", async ({ page, request, pipelines, consoleErrors }) => {
  consoleErrors.allow(/status of 422/);
  const p = await pipelines.create("Parameterised");
  const graph = {
    formatVersion: 1,
    nodes: [
      {
        id: "orders",
        type: "inline",
        position: { x: 0, y: 0 },
        config: { columns: [{ name: "id", type: "integer" }, { name: "amount", type: "integer" }], rows: [[1, 5], [2, 15], [3, 30]] },
      },
      { id: "flag", type: "derive", position: { x: 300, y: 0 }, config: { derivations: [{ column: "big", expression: "" }] } },
      { id: "out", type: "file-sink", position: { x: 600, y: 0 }, config: { name: "flagged", format: "csv" } },
    ],
    edges: [
      { id: "e1", source: "orders", target: "flag" },
      { id: "e2", source: "flag", target: "out" },
    ],
  };
  expect((await request.put(`/api/pipelines/${p.id}`, { data: { baseVersion: 1, graph } })).status()).toBe(200);
  await page.goto(`/pipelines/${p.id}`);

  // Declare "min_amount", an integer with default 10.
  await page.getByRole("button", { name: "Parameters" }).click();
  const panel = page.getByRole("complementary", { name: "Parameters" });
  await panel.getByRole("button", { name: "Add parameter" }).click();
  const param = panel.getByTestId("parameter");
  await param.getByLabel("Name").fill("min_amount");
  await param.getByLabel("Type").selectOption("integer");
  await param.getByLabel("Default of min_amount").fill("ten");
  await expect(param.getByRole("alert")).toContainText("is not a whole number");
  await param.getByLabel("Default of min_amount").fill("10");
  await expect(param.getByRole("alert")).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Parameters (1)" })).toBeVisible();

  // The expression editor knows it: completion offers it, an unknown name is an error on the spot.
  await clickCard(page, "flag");
  const inspector = page.getByRole("complementary", { name: "Inspector" });
  const expression = inspector.getByLabel("Expression", { exact: true });
  await expression.fill("amount >= param('min_amt')");
  await expect(inspector.getByText(/no parameter "min_amt"; did you mean "min_amount"/)).toBeVisible();
  await expression.fill("amount >= ");
  await expression.pressSequentially("min_a");
  await expect(inspector.getByRole("listbox", { name: "Suggestions" })).toContainText("min_amount");
  await expression.press("Tab");
  await expect(expression).toHaveValue("amount >= param('min_amount')");
  await expect(inspector.getByText(/line 1, column/)).toHaveCount(0);

  // The preview uses the default: 15 and 30 are at least 10.
  const preview = page.getByRole("region", { name: "Preview" });
  await expect(preview.getByRole("columnheader", { name: /big/ })).toBeVisible();
  await expect(preview.getByRole("row").nth(1)).toContainText("false");
  await expect(preview.getByRole("row").nth(2)).toContainText("true");

  // Run asks for the values; a value that does not fit is refused with the reason and nothing starts.
  await page.getByRole("button", { name: "Save & run" }).click();
  const dialog = page.getByRole("dialog", { name: "Run with parameters" });
  await expect(dialog.getByLabel("Value of min_amount")).toHaveValue("10");
  await dialog.getByLabel("Value of min_amount").fill("lots");
  await dialog.getByRole("button", { name: "Run" }).click();
  await expect(dialog.getByRole("alert")).toContainText('Parameter "min_amount": "lots" is not a whole number');
  await dialog.getByLabel("Value of min_amount").fill("20");
  await dialog.getByRole("button", { name: "Run" }).click();
  await expect(dialog).toBeHidden();

  await expect(page.getByRole("link", { name: "Open the run's page" })).toBeVisible();
  const runs = await (await request.get(`/api/runs?pipelineId=${p.id}`)).json();
  expect(runs.total).toBe(1);
  let run = await (await request.get(`/api/runs/${runs.runs[0].id}`)).json();
  for (let i = 0; i < 100 && !["succeeded", "failed", "cancelled"].includes(run.status); i++) {
    await page.waitForTimeout(200);
    run = await (await request.get(`/api/runs/${run.id}`)).json();
  }
  expect(run.status, run.error ?? "").toBe("succeeded");
  expect(run.params).toEqual({ min_amount: 20 });
  const csv = await (await request.get(`/api/runs/${run.id}/outputs/flagged.csv`)).text();
  expect(csv).toBe("id,amount,big\n1,5,false\n2,15,false\n3,30,true\n");

  // The saved pipeline keeps the declaration.
  const saved = await (await request.get(`/api/pipelines/${p.id}`)).json();
  expect(saved.graph.parameters).toEqual([{ name: "min_amount", type: "integer", default: 10 }]);
});

test("a filter keeps rows by an expression condition that reads a parameter", async ({ page, request, pipelines }) => {
  const p = await pipelines.create("Filtered by parameter");
  const graph = {
    formatVersion: 1,
    parameters: [{ name: "since", type: "date", default: "2024-02-01" }],
    nodes: [
      {
        id: "orders",
        type: "inline",
        position: { x: 0, y: 0 },
        config: { columns: [{ name: "id", type: "integer" }, { name: "day", type: "date" }], rows: [[1, "2024-01-05"], [2, "2024-02-10"], [3, "2024-03-01"], [4, null]] },
      },
      { id: "recent", type: "filter", position: { x: 300, y: 0 }, config: {} },
    ],
    edges: [{ id: "e1", source: "orders", target: "recent" }],
  };
  expect((await request.put(`/api/pipelines/${p.id}`, { data: { baseVersion: 1, graph } })).status()).toBe(200);
  await page.goto(`/pipelines/${p.id}`);
  await clickCard(page, "recent");
  const rowCount = page.getByTestId("preview-row-count");
  await expect(rowCount).toHaveText(/^4 rows/);
  const inspector = page.getByRole("complementary", { name: "Inspector" });
  await inspector.getByRole("button", { name: "+ Add expression" }).click();
  const expression = inspector.getByLabel("Expression", { exact: true });
  await expression.fill("day >= param('snce')");
  await expect(inspector.getByText(/no parameter "snce"; did you mean "since"/)).toBeVisible();
  await expression.fill("day >= param('since')");
  // 2024-02-10 and 2024-03-01; the null day is not kept.
  await expect(rowCount).toHaveText(/^2 rows/);
  await expect(nodeCard(page, "recent")).toContainText("day >= param('since')");
});
