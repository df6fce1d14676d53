import { mkdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { expect, test } from "./fixtures.ts";

const artifacts = path.join(path.dirname(fileURLToPath(import.meta.url)), "artifacts");

// Runs first, on the empty database the config made for this run.
test("create, rename, duplicate and delete a pipeline", async ({ page }, testInfo) => {
  await page.goto("/");
  await expect(page.getByRole("heading", { name: "Welcome to Sluice" })).toBeVisible();
  await expect(page.getByTestId("pipeline-count")).toHaveText("0");
  await page.getByRole("link", { name: "Create your first pipeline" }).click();

  // Create: the shared schema's message shows inline, then a real create opens the new pipeline.
  const create = page.getByRole("dialog", { name: "New pipeline" });
  await expect(create).toBeVisible();
  await create.getByRole("button", { name: "Create" }).click();
  await expect(create.getByText("a name is required")).toBeVisible();
  await expect(create.getByLabel("Name")).toHaveAttribute("aria-invalid", "true");
  await create.getByLabel("Name").fill("Orders to warehouse");
  await create.getByLabel("Description").fill("Daily orders load");
  await create.getByRole("button", { name: "Create" }).click();
  await expect(page.getByRole("heading", { name: "Orders to warehouse" })).toBeVisible();
  await expect(page.getByTestId("editor-version")).toHaveText("v1");

  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Pipelines" }).click();
  const rows = page.getByTestId("pipeline-row");
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText("Orders to warehouse");
  await expect(rows.first()).toContainText("Daily orders load");
  await expect(rows.first()).toContainText("v1");
  await expect(rows.first()).toContainText("never run");

  // Rename, by keyboard only; focus goes back to the button that opened the dialog.
  await page.getByRole("button", { name: "Rename Orders to warehouse" }).focus();
  await page.keyboard.press("Enter");
  const rename = page.getByRole("dialog", { name: "Rename pipeline" });
  await expect(rename.getByLabel("Name")).toBeFocused();
  await page.keyboard.press("ControlOrMeta+a");
  await page.keyboard.type("Orders (daily)");
  await page.keyboard.press("Enter");
  await expect(rename).toBeHidden();
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText("Orders (daily)");
  await expect(rows.first()).toContainText("v2");
  await expect(page.getByRole("link", { name: "Orders to warehouse" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Rename Orders (daily)" })).toBeFocused();

  // Duplicate.
  await page.getByRole("button", { name: "Duplicate Orders (daily)" }).click();
  await expect(rows).toHaveCount(2);
  await expect(page.getByRole("link", { name: "Orders (daily) (copy)" })).toBeVisible();
  await expect(page.getByText("Duplicated “Orders (daily)” as “Orders (daily) (copy)”.")).toBeVisible();

  // Delete the copy, after confirming.
  await page.getByRole("button", { name: "Delete Orders (daily) (copy)" }).click();
  const confirm = page.getByRole("dialog", { name: "Delete pipeline?" });
  await expect(confirm).toContainText("“Orders (daily) (copy)”");
  await confirm.getByRole("button", { name: "Delete" }).click();
  await expect(confirm).toBeHidden();
  await expect(rows).toHaveCount(1);
  await expect(page.getByRole("link", { name: "Orders (daily) (copy)" })).toHaveCount(0);
  await expect(page.getByRole("link", { name: "Orders (daily)", exact: true })).toBeVisible();
  await expect(page.getByText("Deleted “Orders (daily) (copy)”.")).toBeVisible();

  mkdirSync(artifacts, { recursive: true });
  const shot = await page.screenshot({ path: path.join(artifacts, "pipelines.png") });
  await testInfo.attach("pipelines", { body: shot, contentType: "image/png" });

  // Home counts the survivor and offers it as the next step; its history has both versions.
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Home" }).click();
  await expect(page.getByTestId("pipeline-count")).toHaveText("1");
  await page.getByRole("link", { name: "Open “Orders (daily)”" }).click();
  await page.getByRole("button", { name: "History" }).click();
  const history = page.getByTestId("version-history").getByRole("listitem");
  await expect(history).toHaveCount(2);
  await expect(history.first()).toContainText("Renamed to “Orders (daily)”");
});

test("a rename based on an old version explains the conflict, then reloads and applies it", async ({ page, request, pipelines, consoleErrors }) => {
  consoleErrors.allow(/status of 409/);
  const p = await pipelines.create("Conflict demo");
  await page.goto("/pipelines");
  await page.getByRole("button", { name: "Rename Conflict demo" }).click();
  const rename = page.getByRole("dialog", { name: "Rename pipeline" });
  await rename.getByLabel("Name").fill("Renamed here");

  // Someone else saves a new version while the dialog is open.
  const other = await request.put(`/api/pipelines/${p.id}`, { data: { baseVersion: 1, description: "changed elsewhere" } });
  expect(other.status()).toBe(200);

  await rename.getByRole("button", { name: "Rename" }).click();
  await expect(rename.getByRole("alert")).toContainText("changed since you opened it");
  await expect(rename.getByRole("button", { name: "Rename" })).toBeDisabled();
  await rename.getByRole("button", { name: "Reload" }).click();
  await expect(rename.getByRole("status")).toContainText("it is now version 2");
  await expect(rename.getByLabel("Name")).toBeFocused();
  await expect(rename.getByLabel("Name")).toHaveValue("Renamed here");
  await rename.getByRole("button", { name: "Rename" }).click();
  await expect(rename).toBeHidden();

  const row = page.getByTestId("pipeline-row").filter({ hasText: "Renamed here" });
  await expect(row).toContainText("v3");
  await expect(row).toContainText("changed elsewhere");
});

test("a refused delete shows the server's reason and keeps the pipeline", async ({ page, pipelines, consoleErrors }) => {
  consoleErrors.allow(/status of 409/);
  const p = await pipelines.create("Busy pipeline");
  // A run cannot be held in progress from a browser test, so answer exactly as the server does while one is.
  await page.route(`**/api/pipelines/${p.id}`, (route) =>
    route.request().method() === "DELETE"
      ? route.fulfill({
          status: 409,
          json: { error: { code: "PIPELINE_RUNNING", message: "This pipeline has a run in progress. Cancel the run or wait for it to finish, then delete." } },
        })
      : route.fallback(),
  );
  await page.goto("/pipelines");
  await page.getByRole("button", { name: "Delete Busy pipeline" }).click();
  const confirm = page.getByRole("dialog", { name: "Delete pipeline?" });
  await confirm.getByRole("button", { name: "Delete" }).click();
  await expect(confirm.getByRole("alert")).toContainText("has a run in progress");
  await confirm.getByRole("button", { name: "Cancel" }).click();
  await expect(confirm).toBeHidden();
  await expect(page.getByRole("link", { name: "Busy pipeline" })).toBeVisible();
});

test("export all pipelines as a file, then import an edited file: the changes are shown before anything is saved", async ({ page, request, pipelines }) => {
  const p = await pipelines.create("Round trip");
  const graph = { formatVersion: 1, nodes: [{ id: "top", type: "limit", position: { x: 0, y: 0 }, config: { count: 10, offset: 0 } }], edges: [] };
  expect((await request.put(`/api/pipelines/${p.id}`, { data: { baseVersion: 1, graph } })).status()).toBe(200);
  await page.goto("/pipelines");
  const download = page.waitForEvent("download");
  await page.getByRole("link", { name: "Export all" }).click();
  const file = JSON.parse(readFileSync(await (await download).path(), "utf8")) as { pipelines: { name: string; graph: typeof graph }[] };
  const mine = file.pipelines.find((x) => x.name === "Round trip")!;
  mine.graph.nodes[0]!.config.count = 3;

  await page.getByLabel("Pipeline files to import").setInputFiles({ name: "round-trip.sluice.json", mimeType: "application/json", buffer: Buffer.from(JSON.stringify(mine)) });
  const dialog = page.getByRole("dialog", { name: "Import pipelines" });
  await expect(dialog.getByRole("list", { name: "What the import changes" })).toContainText('node "top" changed: config.count');
  expect((await (await request.get(`/api/pipelines/${p.id}`)).json()).currentVersion).toBe(2);
  await dialog.getByRole("button", { name: "Import" }).click();
  await expect(page.getByText("Imported: 0 created, 1 updated, 0 unchanged.")).toBeVisible();
  expect((await (await request.get(`/api/pipelines/${p.id}`)).json()).currentVersion).toBe(3);
});
