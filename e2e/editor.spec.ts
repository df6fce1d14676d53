import { expect, test } from "./fixtures.ts";
import { cards, clickCard, connect, edges, nodeCard } from "./editor-helpers.ts";

test("a broken graph shows its problems on the nodes and Run says why it is disabled", async ({ page, request, pipelines }) => {
  const p = await pipelines.create("Broken on purpose");
  const graph = {
    formatVersion: 1,
    nodes: [
      { id: "people", type: "inline", position: { x: 0, y: 0 }, config: { columns: [{ name: "name", type: "string" }], rows: [["Ada"]] } },
      {
        id: "adults",
        type: "filter",
        position: { x: 300, y: 0 },
        config: { condition: { kind: "group", op: "and", conditions: [{ kind: "rule", column: "agee", operator: "is_not_null" }] } },
      },
      { id: "match", type: "join", position: { x: 600, y: 0 }, config: { kind: "inner", keys: [{ left: "name", right: "name" }] } },
    ],
    edges: [
      { id: "e1", source: "people", target: "adults" },
      { id: "e2", source: "adults", target: "match", targetPort: "left" },
    ],
  };
  expect((await request.put(`/api/pipelines/${p.id}`, { data: { baseVersion: 1, graph } })).status()).toBe(200);

  await page.goto(`/pipelines/${p.id}`);
  await expect(nodeCard(page, "adults")).toHaveAttribute("data-invalid", "true");
  await expect(nodeCard(page, "adults")).toContainText('"agee"');
  await expect(nodeCard(page, "adults")).toHaveAttribute("title", /does not exist/);
  await expect(nodeCard(page, "match")).toHaveAttribute("data-invalid", "true");
  await expect(nodeCard(page, "match")).toHaveAttribute("title", /right/i);
  await expect(nodeCard(page, "people")).toHaveAttribute("data-invalid", "false");
  const run = page.getByRole("button", { name: "Run" });
  await expect(run).toBeDisabled();
  await expect(page.locator("#run-blocked")).toContainText("Fix");

  // The preview of the broken node says what is wrong instead of showing rows.
  await clickCard(page, "adults");
  await expect(page.getByRole("region", { name: "Preview" }).getByRole("alert")).toContainText("agee");
});

test("undo and redo walk back and forth through edits; copy and paste carry nodes within and between pipelines", async ({ page, pipelines }) => {
  const a = await pipelines.create("Scratch A");
  const b = await pipelines.create("Scratch B");
  await page.goto(`/pipelines/${a.id}`);
  await expect(page.getByText("Drag a source from the left")).toBeVisible();

  // Nothing selected before each click, so each node is added on its own (with a node selected it would be connected).
  for (const label of ["Inline table", "Filter rows", "Sort rows"]) {
    await page.getByLabel("Pipeline canvas").click({ position: { x: 5, y: 5 } });
    await page.getByRole("button", { name: `Add ${label}`, exact: true }).click();
  }
  await expect(cards(page)).toHaveCount(3);
  await page.getByRole("button", { name: "Auto-layout" }).click();
  // Validation marks the unconnected nodes; wait for it so the cards have their final size before wiring them.
  await expect(nodeCard(page, "sort")).toHaveAttribute("data-invalid", "true");
  await connect(page, "inline", "filter");
  await expect(edges(page)).toHaveCount(1);
  await connect(page, "filter", "sort");
  await expect(edges(page)).toHaveCount(2);
  await expect(page.getByTestId("dirty-marker")).toBeVisible();

  // A second edge into a one-input port is refused, with the reason.
  await connect(page, "inline", "sort");
  await expect(page.getByRole("status").filter({ hasText: "takes one connection" })).toBeVisible();
  await expect(edges(page)).toHaveCount(2);

  await page.getByLabel("Pipeline canvas").click({ position: { x: 5, y: 5 } });
  await page.keyboard.press("Control+z");
  await expect(edges(page)).toHaveCount(1);
  await page.keyboard.press("Control+z");
  await expect(edges(page)).toHaveCount(0);
  await page.keyboard.press("Control+z"); // the auto-layout
  await page.keyboard.press("Control+z");
  await expect(cards(page)).toHaveCount(2);
  await page.keyboard.press("Control+Shift+z");
  await expect(cards(page)).toHaveCount(3);
  await page.getByRole("button", { name: "Redo" }).click();
  await page.getByRole("button", { name: "Redo" }).click();
  await page.getByRole("button", { name: "Redo" }).click();
  await expect(edges(page)).toHaveCount(2);
  await expect(page.getByRole("button", { name: "Redo" })).toBeDisabled();

  // Copy two connected nodes and paste them: new ids, the edge between them comes along.
  await clickCard(page, "filter");
  await clickCard(page, "sort", { modifiers: ["Control"] });
  await page.keyboard.press("Control+c");
  await page.keyboard.press("Control+v");
  await expect(cards(page)).toHaveCount(5);
  await expect(nodeCard(page, "filter_2")).toBeVisible();
  await expect(nodeCard(page, "sort_2")).toBeVisible();
  await expect(edges(page)).toHaveCount(3);
  await page.keyboard.press("Delete");
  await expect(cards(page)).toHaveCount(3);
  await page.keyboard.press("Control+z");
  await expect(cards(page)).toHaveCount(5);
  await clickCard(page, "inline");
  await page.getByRole("button", { name: "Duplicate", exact: true }).click();
  await expect(cards(page)).toHaveCount(6);
  await expect(nodeCard(page, "inline_2")).toBeVisible();
  await page.getByRole("button", { name: "Delete", exact: true }).click();
  await expect(cards(page)).toHaveCount(5);

  // Leaving asks first, then the clipboard still holds the nodes for the other pipeline.
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Pipelines" }).click();
  const leave = page.getByRole("dialog", { name: "Leave with unsaved changes?" });
  await expect(leave).toBeVisible();
  await leave.getByRole("button", { name: "Leave without saving" }).click();
  await page.goto(`/pipelines/${b.id}`);
  await page.getByLabel("Pipeline canvas").click({ position: { x: 5, y: 5 } });
  await page.keyboard.press("Control+v");
  await expect(cards(page)).toHaveCount(2);
  await expect(edges(page)).toHaveCount(1);
  await expect(nodeCard(page, "filter")).toBeVisible();
});

test("save makes versions with messages, a conflicting save is explained, and history opens and restores versions", async ({ page, request, pipelines, consoleErrors }) => {
  consoleErrors.allow(/status of 409/);
  const p = await pipelines.create("Versioned");
  await page.goto(`/pipelines/${p.id}`);
  await page.getByRole("button", { name: "Add Inline table", exact: true }).click();
  await expect(page.getByTestId("dirty-marker")).toBeVisible();
  await page.keyboard.press("Control+s");
  const save = page.getByRole("dialog", { name: "Save a new version" });
  await save.getByLabel("What changed (optional)").fill("first table");
  await save.getByRole("button", { name: "Save version" }).click();
  await expect(save).toBeHidden();
  await expect(page.getByTestId("editor-version")).toHaveText("v2");
  await expect(page.getByTestId("dirty-marker")).toHaveCount(0);

  // Someone else saves version 3 meanwhile; our next save is refused and explained, and ours can go on top.
  const theirs = await request.put(`/api/pipelines/${p.id}`, { data: { baseVersion: 2, description: "edited elsewhere" } });
  expect(theirs.status()).toBe(200);
  await page.getByRole("button", { name: "Add Filter rows", exact: true }).click();
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await save.getByRole("button", { name: "Save version" }).click();
  const conflict = page.getByRole("dialog", { name: "This pipeline changed while you edited it" });
  await expect(conflict).toContainText("version 3 has been saved since");
  await conflict.getByRole("button", { name: "Save mine as version 4" }).click();
  await expect(page.getByTestId("editor-version")).toHaveText("v4");
  const stored = await (await request.get(`/api/pipelines/${p.id}`)).json();
  expect(stored.graph.nodes.map((n: { id: string }) => n.id)).toEqual(["inline", "filter"]);

  // History: open version 2 read-only (one node), go back, then restore it as version 5.
  await page.getByRole("button", { name: "History" }).click();
  const history = page.getByTestId("version-history").getByRole("listitem");
  await expect(history).toHaveCount(4);
  const v2 = history.filter({ hasText: "Version 2" });
  await expect(v2).toContainText("first table");
  await v2.getByRole("button", { name: "Open read-only" }).click();
  await expect(page.getByText("Viewing version 2 (read-only).")).toBeVisible();
  await expect(page.locator(".react-flow__node")).toHaveCount(1);
  await expect(page.getByRole("button", { name: "Save", exact: true })).toBeDisabled();
  await v2.getByRole("button", { name: "Back to editing" }).click();
  await expect(page.locator(".react-flow__node")).toHaveCount(2);
  await v2.getByRole("button", { name: "Restore" }).click();
  await expect(page.getByTestId("editor-version")).toHaveText("v5");
  await expect(page.locator(".react-flow__node")).toHaveCount(1);
});

test("the preview grid keeps 1,000 rows by 100 columns light: only visible cells are in the page, nulls are marked", async ({ page, request, pipelines }) => {
  const p = await pipelines.create("Wide preview");
  const columns = Array.from({ length: 100 }, (_, c) => ({ name: `c${c}`, type: "integer" }));
  const rows = Array.from({ length: 1000 }, (_, r) => columns.map((_, c) => (r === 999 && c === 99 ? null : r * 100 + c)));
  const graph = { formatVersion: 1, nodes: [{ id: "wide", type: "inline", position: { x: 0, y: 0 }, config: { columns, rows } }], edges: [] };
  expect((await request.put(`/api/pipelines/${p.id}`, { data: { baseVersion: 1, graph } })).status()).toBe(200);

  await page.goto(`/pipelines/${p.id}`);
  await clickCard(page, "wide");
  // What this test measures is the grid's weight, not the preview's speed (that is the bench's): on a busy
  // two-core machine, compiling 100,000 literals for the first preview alone took 5-8 s.
  await expect(page.getByTestId("preview-row-count")).toHaveText(/^1,000 rows/, { timeout: 30_000 });
  const grid = page.getByRole("grid", { name: "Rows of Inline table" });
  await expect(grid.getByRole("gridcell").first()).toHaveText("0");
  expect(await grid.getByRole("gridcell").count()).toBeLessThan(1500);

  // Scroll to the far corner: the last row and column render, with the null marked as such.
  await grid.evaluate((el) => el.scrollTo(el.scrollWidth, el.scrollHeight));
  const lastRow = grid.locator('[aria-rowindex="1001"]');
  await expect(lastRow).toBeVisible();
  await expect(lastRow.locator('[aria-colindex="99"]')).toHaveText("99998");
  await expect(lastRow.locator('[aria-colindex="100"]')).toHaveText("null");
  await expect(grid.getByRole("columnheader", { name: /c99/ })).toContainText("integer");
  expect(await grid.getByRole("gridcell").count()).toBeLessThan(1500);
});

test("the filter's condition builder and derive's expression editor change the preview as they are edited", async ({ page, request, pipelines }) => {
  const p = await pipelines.create("Filter and derive");
  const graph = {
    formatVersion: 1,
    nodes: [
      {
        id: "people",
        type: "inline",
        position: { x: 0, y: 0 },
        config: { columns: [{ name: "name", type: "string" }, { name: "age", type: "integer" }], rows: [["Ada", 36], ["Bo", 12], ["Cy", 18], ["Di", null]] },
      },
      { id: "adults", type: "filter", position: { x: 280, y: 0 }, config: { condition: { kind: "group", op: "and", conditions: [] } } },
      { id: "doubled", type: "derive", position: { x: 560, y: 0 }, config: { derivations: [] } },
    ],
    edges: [
      { id: "e1", source: "people", target: "adults" },
      { id: "e2", source: "adults", target: "doubled" },
    ],
  };
  expect((await request.put(`/api/pipelines/${p.id}`, { data: { baseVersion: 1, graph } })).status()).toBe(200);
  await page.goto(`/pipelines/${p.id}`);
  const inspector = page.getByRole("complementary", { name: "Inspector" });
  const rowCount = page.getByTestId("preview-row-count");

  await clickCard(page, "adults");
  await expect(rowCount).toHaveText(/^4 rows/);
  await inspector.getByRole("button", { name: "+ Add rule" }).click();
  await inspector.getByLabel("Column", { exact: true }).selectOption("age");
  await inspector.getByLabel("Operator").selectOption(">=");
  await inspector.getByLabel("Value", { exact: true }).fill("18");
  await expect(rowCount).toHaveText(/^2 rows/);
  await expect(nodeCard(page, "adults")).toContainText("age");

  await clickCard(page, "doubled");
  await inspector.getByRole("button", { name: "+ Add a derived column" }).click();
  await inspector.getByLabel("Output column").fill("age_in_months");
  const expression = inspector.getByLabel("Expression", { exact: true });
  await expression.pressSequentially("ag");
  await expect(inspector.getByRole("listbox", { name: "Suggestions" })).toContainText("age");
  await expression.press("Tab");
  await expect(expression).toHaveValue("age");
  await expression.pressSequentially(" *");
  await expect(inspector.getByText(/line 1, column/)).toBeVisible();
  await expect(nodeCard(page, "doubled")).toHaveAttribute("data-invalid", "true");
  await expression.pressSequentially(" 12");
  await expect(inspector.getByText(/line 1, column/)).toHaveCount(0);
  await expect(page.getByRole("region", { name: "Preview" }).getByRole("columnheader", { name: /age_in_months/ })).toBeVisible();
  await expect(page.getByRole("region", { name: "Preview" }).getByRole("row").nth(1)).toContainText("432");
  await expect(nodeCard(page, "doubled")).toHaveAttribute("data-invalid", "false");
});

test("schedules: next run times follow the expression as it is typed, a bad one is explained, and a schedule can be added and switched off", async ({ page, pipelines }) => {
  const p = await pipelines.create("Nightly");
  await page.goto(`/pipelines/${p.id}`);
  await page.getByRole("button", { name: "Schedules" }).click();
  const panel = page.getByRole("complementary", { name: "Schedules" });
  await expect(panel.getByText("No schedules")).toBeVisible();
  await panel.getByLabel("Time zone").fill("UTC");
  const cron = panel.getByLabel("Cron expression");
  await cron.fill("61 * * * *");
  await expect(panel.getByRole("alert")).toContainText("minute");
  await expect(panel.getByRole("button", { name: "Add schedule" })).toBeDisabled();
  await cron.fill("30 2 * * *");
  await expect(panel.getByTestId("next-runs").getByRole("listitem")).toHaveCount(5);
  await panel.getByLabel("Time zone").fill("Mars/Base");
  await expect(panel.getByRole("alert")).toContainText("not a time zone");
  await panel.getByLabel("Time zone").fill("Europe/Paris");
  await panel.getByRole("button", { name: "Add schedule" }).click();
  const item = panel.getByTestId("schedule");
  await expect(item).toContainText("30 2 * * *");
  await expect(item).toContainText("Next:");
  // Edit it: the same form, filled in; a bad expression is explained before anything is saved.
  await item.getByRole("button", { name: "Edit schedule 30 2 * * *" }).click();
  const edit = item.getByRole("form", { name: "Edit schedule 30 2 * * *" });
  await edit.getByLabel("Cron expression").fill("45 3 * *");
  await expect(edit.getByRole("alert")).toContainText("5 fields");
  await edit.getByLabel("Cron expression").fill("45 3 * * *");
  await edit.getByRole("button", { name: "Save schedule" }).click();
  await expect(item).toContainText("45 3 * * *");
  await expect(item.getByRole("form")).toHaveCount(0);
  await item.getByLabel("On").click();
  await expect(item).toContainText("Switched off");
  await item.getByRole("button", { name: "Remove schedule 45 3 * * *" }).click();
  await expect(item).toHaveCount(0);
});

test("run after: pick the pipelines whose success starts this one; a loop is refused and named", async ({ page, pipelines, consoleErrors }) => {
  consoleErrors.allow(/status of 422/);
  const a = await pipelines.create("Upstream job");
  const b = await pipelines.create("Downstream job");
  await page.goto(`/pipelines/${b.id}`);
  await page.getByRole("button", { name: "Schedules" }).click();
  const panel = page.getByRole("complementary", { name: "Schedules" });
  await panel.getByRole("group", { name: "Run after" }).getByLabel("Upstream job").click();
  await expect(panel.getByRole("group", { name: "Run after" }).getByLabel("Upstream job")).toBeChecked();
  await page.goto(`/pipelines/${a.id}`);
  await page.getByRole("button", { name: "Schedules" }).click();
  await page.getByRole("complementary", { name: "Schedules" }).getByRole("group", { name: "Run after" }).getByLabel("Downstream job").click();
  await expect(page.getByRole("alert").filter({ hasText: "loop" })).toContainText("Upstream job → Downstream job → Upstream job");
  await expect(page.getByRole("complementary", { name: "Schedules" }).getByLabel("Downstream job")).not.toBeChecked();
});
