import { test, expect } from "./fixtures.ts";
import { expectNoSeriousViolations } from "./axe.ts";
import { quickPipelineGraph } from "../apps/server/src/testing/quick-pipeline.ts";

test("backfill: start one from the editor for three days, two at once, and see the group finish on the runs dashboard", async ({ page, request }) => {
  const graph = { ...quickPipelineGraph("daily"), parameters: [{ name: "day", type: "date", default: "2024-01-01" }] };
  const created = await request.post("/api/pipelines", { data: { name: "Daily backfill", graph } });
  expect(created.status()).toBe(201);
  const id = ((await created.json()) as { id: string }).id;
  try {
    await page.goto(`/pipelines/${id}`);
    await page.getByRole("button", { name: "Schedules" }).click();
    const form = page.getByRole("form", { name: "Backfill a date range" });
    await form.getByLabel("From").fill("2024-03-03");
    await form.getByLabel("To").fill("2024-03-01");
    await expect(form.getByRole("alert")).toContainText("The range is reversed");
    await expect(form.getByRole("button", { name: "Start backfill" })).toBeDisabled();
    await form.getByLabel("From").fill("2024-03-01");
    await form.getByLabel("To").fill("2024-03-03");
    await form.getByLabel("At most at once").fill("2");
    await expect(form.getByTestId("backfill-slots")).toContainText("3 runs: 2024-03-01 … 2024-03-03");
    await form.getByRole("button", { name: "Start backfill" }).click();

    await expect(page).toHaveURL(new RegExp(`/runs\\?pipeline=${id}`));
    const group = page.getByTestId("backfill");
    await expect(group).toHaveCount(1);
    await expect(group).toContainText("day from 2024-03-01 to 2024-03-03 by day, 2 at once");
    await expect(group.getByTestId("backfill-progress")).toHaveText("3 of 3 succeeded", { timeout: 30_000 });
    // Each run is listed with its date.
    for (const day of ["2024-03-01", "2024-03-02", "2024-03-03"]) await expect(page.getByRole("cell", { name: `backfill ${day}` })).toBeVisible();
    await expectNoSeriousViolations(page, "the runs dashboard with a backfill");
  } finally {
    await request.delete(`/api/pipelines/${id}`);
  }
});
