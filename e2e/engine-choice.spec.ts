import type { Page } from "@playwright/test";
import { expectNoSeriousViolations } from "./axe.ts";
import { clickCard, nodeCard } from "./editor-helpers.ts";
import { expect, test } from "./fixtures.ts";

/** Typed-in rows into a table of the built-in warehouse: Automatic keeps it on DuckDB, "In the database" runs it there. */
const BUILT_IN = "00000000-0000-4000-8000-00000000c0de";
const graph = {
  formatVersion: 1,
  nodes: [
    { id: "people", type: "inline", label: "People", position: { x: 0, y: 0 }, config: { columns: [{ name: "name", type: "string" }], rows: [["ada"], ["grace"]] } },
    { id: "load", type: "postgres-sink", position: { x: 300, y: 0 }, config: { connectionId: BUILT_IN, schema: "warehouse", table: "e2e_engine_choice", mode: "replace" } },
  ],
  edges: [{ id: "e1", source: "people", target: "load" }],
};

const badge = (page: Page) => page.locator("main header").getByTestId("engine-badge");

test("the engine is chosen in the editor, saved, and the run page says where each node ran", async ({ page, request, pipelines }) => {
  const p = await pipelines.create("Engine choice");
  expect((await request.put(`/api/pipelines/${p.id}`, { data: { baseVersion: 1, graph } })).status()).toBe(200);
  await page.goto(`/pipelines/${p.id}`);

  // Automatic: DuckDB, and why in words once the badge is opened; the typed-in source is marked on its card.
  await expect(badge(page)).toContainText("Runs on DuckDB");
  await badge(page).click();
  const panel = page.getByRole("dialog", { name: "Where runs execute" });
  await expect(panel.getByTestId("engine-reason")).toContainText("source people is not on the PostgreSQL connection");
  await expect(panel.getByRole("radio", { name: "Automatic", exact: true })).toBeChecked();
  await expect(nodeCard(page, "people").getByTestId("node-engine-people")).toHaveCount(0);
  await expectNoSeriousViolations(page, "editor, engine choices open");

  await panel.getByRole("radio", { name: "In the database", exact: true }).check();
  await expect(badge(page)).toContainText("Runs in your database");
  await expect(panel.getByTestId("engine-reason")).toContainText("set to run in the database");
  await expect(page.getByTestId("dirty-marker")).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(panel).toBeHidden();

  await page.getByRole("button", { name: "Save & run" }).click();
  await expect(page.getByTestId("editor-version")).toHaveText("v3");
  expect(((await (await request.get(`/api/pipelines/${p.id}`)).json()) as { graph: { engine?: string } }).graph.engine).toBe("database");
  await expect(nodeCard(page, "load")).toHaveAttribute("data-status", "succeeded", { timeout: 60_000 });

  const runs = (await (await request.get(`/api/runs?pipelineId=${p.id}`)).json()) as { runs: { id: string }[] };
  await page.goto(`/runs/${runs.runs[0]!.id}`);
  await expect(page.getByTestId("run-ran-in")).toHaveText("In the database: Sluice warehouse (built-in)");
  await expect(page.getByTestId("run-engine-reason")).toContainText("Ran in the database: the pipeline is set to run in the database");
  await expect(page.getByTestId("node-ran-in-people")).toHaveText("In the database");
  await expect(page.getByTestId("node-ran-in-load")).toHaveText("In the database");
  await expectNoSeriousViolations(page, "run page of a run in the database");
});

test("a node that cannot run in the database is marked, says why, and the database choice says why not", async ({ page, request, pipelines }) => {
  const p = await pipelines.create("Engine refused");
  const titled = {
    ...graph,
    nodes: [
      graph.nodes[0]!,
      { id: "tidy", type: "clean", label: "Tidy", position: { x: 150, y: 150 }, config: { columns: [{ column: "name", operations: [{ op: "case", to: "title" }] }] } },
      graph.nodes[1]!,
    ],
    edges: [
      { id: "e1", source: "people", target: "tidy" },
      { id: "e2", source: "tidy", target: "load" },
    ],
  };
  expect((await request.put(`/api/pipelines/${p.id}`, { data: { baseVersion: 1, graph: titled } })).status()).toBe(200);
  await page.goto(`/pipelines/${p.id}`);

  await expect(nodeCard(page, "tidy").getByTestId("node-engine-tidy")).toContainText("Not in the database");
  await clickCard(page, "tidy");
  await expect(page.getByTestId("inspector-engine-note")).toContainText("title case needs Unicode letter classes");
  await badge(page).click();
  const panel = page.getByRole("dialog", { name: "Where runs execute" });
  await expect(panel.getByRole("radio", { name: "In the database", exact: true })).toBeDisabled();
  await expect(panel.getByTestId("engine-database-unavailable")).toHaveText("Not possible now: 1 node cannot run in the database.");
  await expect(panel.getByRole("listitem")).toContainText("Tidy: title case needs Unicode letter classes");
  await expectNoSeriousViolations(page, "editor, a node that cannot run in the database");
});
