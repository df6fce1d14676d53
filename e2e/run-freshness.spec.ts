import { expect, test } from "./fixtures.ts";
import { nodeCard, selectNode } from "./editor-helpers.ts";
import { expectNoSeriousViolations } from "./axe.ts";

/**
 * A run's results belong to the version it ran: once a node or anything upstream of it is edited, the node's
 * result (and the row counts on its edges) are dimmed as from an earlier run, and undoing the edit makes them
 * current again.
 */
test("after a run, editing a node dims its result and those downstream; upstream ones stay; undo makes them current", async ({ page, request, pipelines }) => {
  const p = await pipelines.create("Fresh and stale results");
  const res = await request.put(`/api/pipelines/${p.id}`, {
    data: {
      baseVersion: 1,
      graph: {
        formatVersion: 1,
        nodes: [
          { id: "people", type: "inline", position: { x: 0, y: 0 }, config: { columns: [{ name: "age", type: "string" }], rows: [["1"], ["2"], ["3"]] } },
          { id: "top", type: "limit", position: { x: 300, y: 0 }, config: { count: 2, skip: 0 } },
          { id: "out", type: "file-sink", position: { x: 600, y: 0 }, config: { name: "top-ages", format: "csv" } },
        ],
        edges: [
          { id: "e1", source: "people", target: "top" },
          { id: "e2", source: "top", target: "out" },
        ],
      },
    },
  });
  expect(res.status(), await res.text()).toBe(200);
  const run = await request.post(`/api/pipelines/${p.id}/runs`, { data: {} });
  expect(run.status(), await run.text()).toBe(202);
  const runId = ((await run.json()) as { runId: string }).runId;
  await expect.poll(async () => ((await (await request.get(`/api/runs/${runId}`)).json()) as { status: string }).status, { timeout: 30_000 }).toBe("succeeded");

  await page.goto(`/pipelines/${p.id}`);
  const result = (id: string) => page.getByTestId(`node-run-${id}`);
  await expect(result("top")).toContainText("succeeded · 2 rows");
  for (const id of ["people", "top", "out"]) await expect(nodeCard(page, id)).toHaveAttribute("data-run", "current");
  const edgeE1 = page.getByTestId("rf__edge-e1");
  const edgeE2 = page.getByTestId("rf__edge-e2");
  await expect(edgeE2).toContainText("2 rows");
  await expect(edgeE2).not.toHaveClass(/run-stale/);
  const details = page.getByRole("link", { name: "Open the run's page" });
  const behind = page.getByTestId("run-behind");
  await expect(details).toContainText("succeeded");
  await expect(behind).toHaveCount(0);

  await selectNode(page, "top");
  await page.getByRole("complementary", { name: "Inspector" }).getByLabel("Count", { exact: true }).fill("1");

  // The edited node and the one below it show the earlier run's result, dimmed and said to be from before the edit.
  for (const id of ["top", "out"]) {
    await expect(nodeCard(page, id)).toHaveAttribute("data-run", "stale");
    await expect(result(id)).toHaveAttribute("title", /from the run of v2, before your changes/);
  }
  await expect(nodeCard(page, "people")).toHaveAttribute("data-run", "current");
  await expect(edgeE2).toHaveClass(/run-stale/);
  await expect(edgeE1).not.toHaveClass(/run-stale/);
  // The toolbar no longer vouches for the graph in green: it says the last run was before the changes, and still opens it.
  await expect(behind).toHaveText("Last run succeeded on v2 · before your changes");
  await expect(behind).toHaveAttribute("href", `/runs/${runId}`);
  await expect(details).toHaveCount(0);
  await expectNoSeriousViolations(page, "editor, last run before the changes");

  // Undo brings back the graph that ran: the results are current again.
  await page.getByRole("button", { name: "Undo" }).click();
  for (const id of ["people", "top", "out"]) await expect(nodeCard(page, id)).toHaveAttribute("data-run", "current");
  await expect(behind).toHaveCount(0);
  await expect(details).toContainText("succeeded");
  await expect(edgeE2).not.toHaveClass(/run-stale/);
  // Moving a node changes nothing a run computed.
  const card = (await nodeCard(page, "people").boundingBox())!;
  await page.mouse.move(card.x + 40, card.y + 15);
  await page.mouse.down();
  await page.mouse.move(card.x + 40, card.y + 140, { steps: 6 });
  await page.mouse.up();
  await expect(page.getByTestId("dirty-marker")).toBeVisible();
  for (const id of ["people", "top", "out"]) await expect(nodeCard(page, id)).toHaveAttribute("data-run", "current");
});
