import pg from "pg";
import { test, expect } from "./fixtures.ts";
import { databaseUrl } from "./e2e-database.ts";

test("schedules with seconds: a cadence closer than 5 s is refused, times show seconds, and every recorded slot says what it did", async ({ page, pipelines, request }) => {
  const p = await pipelines.create("Every few seconds");
  // A schedule created three hours ago (an hourly one): its missed slots are all on record, the latest run once
  // (catch up) and the older ones skipped, each with its reason.
  const s = await request.post(`/api/pipelines/${p.id}/schedules`, { data: { cron: "0 * * * *", timezone: "UTC", enabled: false } });
  expect(s.status()).toBe(201);
  const id = ((await s.json()) as { id: string }).id;
  const db = new pg.Client({ connectionString: databaseUrl(process.env.SLUICE_E2E_DB!) });
  await db.connect();
  try {
    await db.query("UPDATE schedules SET created_at = now() - interval '3 hours', enabled = true WHERE id = $1", [id]);
  } finally {
    await db.end();
  }
  await page.goto(`/pipelines/${p.id}`);
  await page.getByRole("button", { name: "Schedules" }).click();
  const panel = page.getByRole("complementary", { name: "Schedules" });
  // "Run after" sits below its section's top border, not struck through by it (a fieldset draws its legend on its border).
  const runAfter = panel.getByTestId("run-after");
  expect((await runAfter.getByText("Run after", { exact: true }).boundingBox())!.y).toBeGreaterThan((await runAfter.boundingBox())!.y + 4);
  await panel.getByLabel("Time zone").fill("UTC");
  const cron = panel.getByLabel("Cron expression");
  await cron.fill("* * * * * *");
  await expect(panel.getByRole("alert")).toContainText("at most every 5 seconds");
  await expect(panel.getByRole("button", { name: "Add schedule" })).toBeDisabled();
  await cron.fill("*/5 * * * * *");
  const next = panel.getByTestId("next-runs").getByRole("listitem");
  await expect(next).toHaveCount(5);
  // Five seconds apart, so five different texts (to the minute they were the same).
  expect(new Set(await next.allTextContents()).size).toBe(5);

  const slots = panel.getByTestId("schedule-slot");
  await expect(slots).toHaveCount(3, { timeout: 20_000 });
  await expect(slots.first().getByRole("link", { name: "run" })).toBeVisible();
  await expect(slots.nth(1)).toContainText("skipped. Missed while no Sluice worker was running");
  await request.put(`/api/schedules/${id}`, { data: { enabled: false } });
});
