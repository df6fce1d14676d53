import { mkdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { expect, test } from "@playwright/test";

const artifacts = path.join(path.dirname(fileURLToPath(import.meta.url)), "artifacts");

test("create, rename, duplicate and delete a pipeline", async ({ page }, testInfo) => {
  const problems: string[] = [];
  page.on("console", (m) => m.type() === "error" && problems.push(m.text()));
  page.on("pageerror", (e) => problems.push(e.message));

  await page.goto("/");
  await expect(page.getByRole("heading", { name: "Welcome to Sluice" })).toBeVisible();
  await expect(page.getByTestId("pipeline-count")).toHaveText("0");
  await page.getByRole("link", { name: "Create your first pipeline" }).click();

  const dialog = page.getByRole("dialog", { name: "New pipeline" });
  await expect(dialog).toBeVisible();
  await dialog.getByRole("button", { name: "Create" }).click();
  await expect(dialog.getByText("a name is required")).toBeVisible();
  await dialog.getByLabel("Name").fill("Orders to warehouse");
  await dialog.getByLabel("Description").fill("Daily orders load");
  await dialog.getByRole("button", { name: "Create" }).click();
  await expect(page.getByRole("heading", { name: "Orders to warehouse" })).toBeVisible();
  await expect(page.getByText("Version 1")).toBeVisible();

  await page.getByRole("link", { name: "Pipelines", exact: true }).click();
  const rows = page.getByTestId("pipeline-row");
  await expect(rows).toHaveCount(1);

  await page.getByRole("button", { name: "Rename Orders to warehouse" }).click();
  const rename = page.getByRole("dialog", { name: "Rename pipeline" });
  await rename.getByLabel("Name").fill("Orders (daily)");
  await rename.getByRole("button", { name: "Rename" }).click();
  await expect(rename).toBeHidden();
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText("Orders (daily)");
  await expect(rows.first()).toContainText("v2");

  await page.getByRole("button", { name: "Duplicate Orders (daily)" }).click();
  await expect(rows).toHaveCount(2);
  await expect(page.getByRole("link", { name: "Orders (daily) (copy)" })).toBeVisible();

  await page.getByRole("button", { name: "Delete Orders (daily) (copy)" }).click();
  const confirm = page.getByRole("dialog", { name: "Delete pipeline?" });
  await confirm.getByRole("button", { name: "Delete" }).click();
  await expect(rows).toHaveCount(1);
  await expect(page.getByRole("link", { name: "Orders (daily) (copy)" })).toHaveCount(0);

  mkdirSync(artifacts, { recursive: true });
  const shot = await page.screenshot({ path: path.join(artifacts, "pipelines.png"), fullPage: true });
  await testInfo.attach("pipelines", { body: shot, contentType: "image/png" });

  await page.goto("/");
  await expect(page.getByTestId("pipeline-count")).toHaveText("1");
  expect(problems).toEqual([]);
});
