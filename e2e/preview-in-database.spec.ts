import { expectNoSeriousViolations } from "./axe.ts";
import { selectNode } from "./editor-helpers.ts";
import { expect, test } from "./fixtures.ts";

const BUILT_IN = "00000000-0000-4000-8000-00000000c0de";
/** Typed-in rows into a table of the built-in warehouse, upper-cased on the way; `engine` says where runs (and previews) go. */
const graph = (engine: string) => ({
  formatVersion: 1,
  engine,
  nodes: [
    { id: "people", type: "inline", label: "People", position: { x: 0, y: 0 }, config: { columns: [{ name: "name", type: "string" }], rows: [["ada"], ["grace"]] } },
    { id: "up", type: "clean", label: "Upper", position: { x: 300, y: 0 }, config: { columns: [{ column: "name", operations: [{ op: "case", to: "upper" }] }] } },
    { id: "load", type: "postgres-sink", position: { x: 600, y: 0 }, config: { connectionId: BUILT_IN, schema: "warehouse", table: "e2e_preview_in_db", mode: "create" } },
  ],
  edges: [
    { id: "e1", source: "people", target: "up" },
    { id: "e2", source: "up", target: "load" },
  ],
});

test("the preview of a pipeline that runs in the database says it was computed there", async ({ page, request, pipelines }) => {
  const p = await pipelines.create("Preview in the database");
  expect((await request.put(`/api/pipelines/${p.id}`, { data: { baseVersion: 1, graph: graph("database") } })).status()).toBe(200);
  await page.goto(`/pipelines/${p.id}`);
  await selectNode(page, "load");
  const preview = page.getByRole("region", { name: "Preview" });
  await expect(preview.getByTestId("preview-row-count")).toHaveText("2 rows");
  await expect(preview.getByTestId("preview-engine")).toHaveText("in your database");
  await expect(preview.getByRole("gridcell", { name: "GRACE" })).toBeVisible();
  await expectNoSeriousViolations(page, "editor, preview computed in the database");

  // On DuckDB the preview says nothing about where it ran.
  expect((await request.put(`/api/pipelines/${p.id}`, { data: { baseVersion: 2, graph: graph("duckdb") } })).status()).toBe(200);
  await page.reload();
  await selectNode(page, "load");
  await expect(preview.getByTestId("preview-row-count")).toHaveText("2 rows");
  await expect(preview.getByTestId("preview-engine")).toHaveCount(0);
});
