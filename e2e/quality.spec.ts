import path from "node:path";
import type { APIRequestContext, Page } from "@playwright/test";
import { expect, test } from "./fixtures.ts";
import { clickCard } from "./editor-helpers.ts";

/**
 * Three rules over three orders: `id not null` passes, the warn rule on status fails on one row, and the fail
 * rule on amount (its ceiling a run parameter) fails on two (-5 and 700), which fails the run before the sink writes.
 */
const graph = {
  formatVersion: 1,
  parameters: [{ name: "max_amount", type: "integer", default: 1000 }],
  nodes: [
    {
      id: "orders",
      type: "inline",
      position: { x: 0, y: 0 },
      config: {
        columns: [{ name: "id", type: "integer" }, { name: "amount", type: "integer" }, { name: "status", type: "string" }],
        rows: [[1, 10, "paid"], [2, -5, "paid"], [3, 700, "lost"]],
      },
    },
    {
      id: "qa",
      type: "check",
      label: "Order checks",
      position: { x: 300, y: 0 },
      config: {
        rules: [
          { kind: "not_null", columns: ["id"] },
          { kind: "accepted_values", column: "status", values: ["paid", "refunded"], severity: "warn" },
          { kind: "expression", expression: "amount >= 0 and amount <= param('max_amount')", name: "amount between 0 and max_amount", severity: "fail" },
        ],
      },
    },
    { id: "out", type: "file-sink", position: { x: 600, y: 0 }, config: { name: "orders", format: "csv" } },
  ],
  edges: [
    { id: "e1", source: "orders", target: "qa", targetPort: "in" },
    { id: "e2", source: "qa", sourcePort: "out", target: "out" },
  ],
};
const FAILING = "amount between 0 and max_amount";
const WARNING = "status in ('paid', 'refunded')";
const PASSING = "id not null";

async function failedRun(request: APIRequestContext, pipelineId: string): Promise<string> {
  const put = await request.put(`/api/pipelines/${pipelineId}`, { data: { baseVersion: 1, graph } });
  expect(put.status(), await put.text()).toBe(200);
  const started = await request.post(`/api/pipelines/${pipelineId}/runs`, { data: { params: { max_amount: 100 } } });
  expect(started.status(), await started.text()).toBe(202);
  const { runId } = (await started.json()) as { runId: string };
  await expect.poll(async () => ((await (await request.get(`/api/runs/${runId}`)).json()) as { status: string }).status, { timeout: 30_000 }).toMatch(/succeeded|failed|cancelled/);
  return runId;
}

// Pictures for the docs, only when asked for (SLUICE_DOC_SHOTS=1), so ordinary runs leave the tree alone.
async function docShot(page: Page, name: string) {
  if (process.env.SLUICE_DOC_SHOTS) await page.screenshot({ path: path.join(import.meta.dirname, "..", "docs", "images", name) });
}

test("a failing quality rule shows on the run page with its rows, on the dashboard's trend, and in the editor's preview", async ({ page, request, pipelines }) => {
  const p = await pipelines.create("Checked orders e2e");
  const runId = await failedRun(request, p.id);

  // The run page: the run failed at the check, and each rule is listed with its status in words and its counts.
  await page.goto(`/runs/${runId}`);
  await expect(page.getByRole("alert")).toContainText("Order checks");
  await expect(page.getByRole("alert")).toContainText(`"${FAILING}" (2 of 3 rows fail)`);
  await expect(page.getByRole("region", { name: "Parameters" }).getByRole("listitem")).toHaveText(["max_amount = 100"]);
  const quality = page.getByRole("region", { name: "Data quality" });
  await expect(quality.getByTestId("quality-summary")).toHaveText("3 rules checked: 1 passed, 1 warning, 1 failed.");
  await expect(quality.getByTestId("checks-qa").getByRole("heading")).toHaveText("Order checks");
  const rows = quality.getByTestId("check-row");
  await expect(rows).toHaveCount(3);
  const failed = rows.filter({ hasText: FAILING });
  await expect(failed).toHaveAttribute("data-status", "failed");
  await expect(failed).toContainText("failed");
  await expect(failed).toContainText("fail");
  await expect(failed.getByTestId("check-counts")).toHaveText("2 of 3");
  await expect(failed).toContainText("2 of 3 rows fail");
  const warned = rows.filter({ hasText: WARNING });
  await expect(warned).toHaveAttribute("data-status", "warning");
  await expect(warned).toContainText("warning");
  await expect(warned.getByTestId("check-counts")).toHaveText("1 of 3");
  const passed = rows.filter({ hasText: PASSING });
  await expect(passed).toHaveAttribute("data-status", "passed");
  await expect(passed.getByTestId("check-counts")).toHaveText("0 of 3");
  await expect(passed.getByRole("button")).toHaveCount(0);

  const show = failed.getByRole("button", { name: "Show failing rows" });
  await expect(show).toHaveAttribute("aria-expanded", "false");
  await show.click();
  await expect(failed.getByRole("button", { name: "Hide failing rows" })).toHaveAttribute("aria-expanded", "true");
  const samples = quality.getByRole("group", { name: `Failing rows of ${FAILING}` });
  await expect(samples.getByRole("columnheader")).toHaveText(["id", "amount", "status"]);
  await expect(samples.getByTestId("sample-row")).toHaveText([/^2\s*-5\s*paid$/, /^3\s*700\s*lost$/]);
  await docShot(page, "run-quality.png");

  // The dashboard: the pipeline's trend has a red square for this run that says why and leads back to it.
  await page.goto("/runs");
  const trend = page.getByRole("region", { name: "Data quality" }).getByTestId("quality-trend-row").filter({ hasText: "Checked orders e2e" });
  await expect(trend).toHaveCount(1);
  const square = trend.getByRole("link", { name: /^failed: 2 of 3 rules failed, / });
  await expect(square).toHaveCount(1);
  await expect(square).toHaveAttribute("data-outcome", "failed");
  await expect(square).toHaveAttribute("href", `/runs/${runId}`);
  await expect(trend).toContainText("latest: failed (2 of 3 rules failed)");
  await docShot(page, "dashboard-quality.png");
  await square.click();
  await expect(page).toHaveURL(new RegExp(`/runs/${runId}$`));
  await expect(page.getByRole("region", { name: "Data quality" })).toBeVisible();

  // The editor: previewing the check node shows each rule's result above the grid, and a failing one its rows.
  // The preview uses the parameter's default (1000), so there only -5 breaks the amount rule.
  await page.goto(`/pipelines/${p.id}`);
  await clickCard(page, "qa");
  const preview = page.getByRole("region", { name: "Preview" });
  await expect(preview.getByTestId("preview-row-count")).toHaveText(/^3 rows/);
  const strip = preview.getByRole("region", { name: "Quality checks" });
  const chips = strip.getByTestId("check-chip");
  await expect(chips).toHaveCount(3);
  await expect(chips.nth(0)).toHaveText(`✓passed: ${PASSING}`);
  await expect(chips.nth(1)).toHaveText(`⚠warning: ${WARNING} — 1 of 3 rows fail`);
  await expect(chips.nth(2)).toHaveText(`✗failed: ${FAILING} — 1 of 3 rows fail`);
  await expect(strip.getByTestId("checks-sampled")).toHaveCount(0);
  await chips.nth(1).click();
  await expect(chips.nth(1)).toHaveAttribute("aria-expanded", "true");
  await expect(strip.getByRole("group", { name: `Failing rows of ${WARNING}` }).getByTestId("sample-row")).toHaveText([/^3\s*700\s*lost$/]);
  await chips.nth(2).click();
  await expect(strip.getByRole("group", { name: `Failing rows of ${FAILING}` }).getByTestId("sample-row")).toHaveText([/^2\s*-5\s*paid$/]);
  await expect(strip.getByRole("group", { name: `Failing rows of ${WARNING}` })).toHaveCount(0);
  await docShot(page, "preview-quality.png");
});
