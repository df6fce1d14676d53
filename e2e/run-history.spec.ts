import type { APIRequestContext } from "@playwright/test";
import { test, expect } from "./fixtures.ts";
import { expectNoSeriousViolations } from "./axe.ts";

/** One inline value per row retyped to integers into a CSV file: "oops" makes the run fail at the retype. */
const graph = (values: string[]) => ({
  formatVersion: 1,
  nodes: [
    { id: "src", type: "inline", position: { x: 0, y: 0 }, config: { columns: [{ name: "v", type: "string" }], rows: values.map((v) => [v]) } },
    { id: "typed", type: "retype", position: { x: 300, y: 0 }, config: { columns: [{ column: "v", to: "integer" }], onError: "fail" } },
    { id: "out", type: "file-sink", position: { x: 600, y: 0 }, config: { name: "history", format: "csv" } },
  ],
  edges: [
    { id: "e1", source: "src", target: "typed" },
    { id: "e2", source: "typed", sourcePort: "out", target: "out" },
  ],
});

async function runToEnd(request: APIRequestContext, id: string): Promise<string> {
  const started = await request.post(`/api/pipelines/${id}/runs`, { data: {} });
  expect(started.status()).toBe(202);
  const { runId } = (await started.json()) as { runId: string };
  let status = "queued";
  await expect
    .poll(async () => (status = ((await (await request.get(`/api/runs/${runId}`)).json()) as { status: string }).status), { timeout: 30_000 })
    .toMatch(/succeeded|failed|cancelled/);
  return status;
}

test("run history: a pipeline's chart of durations and rows written marks its failed run, with a table saying the same", async ({ page, request }) => {
  const created = await request.post("/api/pipelines", { data: { name: "Charted", graph: graph(["1", "2", "3"]) } });
  expect(created.status()).toBe(201);
  const { id, currentVersion } = (await created.json()) as { id: string; currentVersion: number };
  try {
    expect(await runToEnd(request, id)).toBe("succeeded");
    expect((await request.put(`/api/pipelines/${id}`, { data: { baseVersion: currentVersion, graph: graph(["1", "oops"]) } })).status()).toBe(200);
    expect(await runToEnd(request, id)).toBe("failed");

    await page.goto(`/runs?pipeline=${id}`);
    const history = page.getByRole("region", { name: "Run history" });
    const chart = history.getByTestId("run-history-chart");
    await expect(chart).toHaveCount(1);
    await expect(chart).toHaveAttribute("aria-label", "Run history of Charted: 2 recent runs, 1 failed, 3 rows written in all");
    await expect(chart.locator(".recharts-surface").first()).toBeVisible();
    await expect(chart.getByTestId("run-history-failure")).toHaveCount(1);
    await chart.getByText("Runs as a table").click();
    await expect(chart.locator("tbody tr")).toHaveCount(2);
    await expect(chart.locator('tr[data-status="succeeded"]')).toContainText("3");
    await expect(chart.locator('tr[data-status="failed"]')).toContainText("failed");
    await expectNoSeriousViolations(page, "the runs dashboard with a run history chart");
  } finally {
    await request.delete(`/api/pipelines/${id}`);
  }
});
