import type { APIRequestContext, Page } from "@playwright/test";
import { expect, test } from "./fixtures.ts";

/** The toolbar says where a run would execute and why; set to run in the database, it says so. */
const BUILT_IN = "00000000-0000-4000-8000-00000000c0de";

async function putGraph(request: APIRequestContext, id: string, graph: unknown) {
  const res = await request.put(`/api/pipelines/${id}`, { data: { baseVersion: 1, graph } });
  expect(res.status(), await res.text()).toBe(200);
}

const graph = (engine?: string) => ({
  formatVersion: 1,
  ...(engine ? { engine } : {}),
  nodes: [
    { id: "people", type: "inline", label: "People", position: { x: 0, y: 0 }, config: { columns: [{ name: "name", type: "string" }], rows: [["ada"]] } },
    { id: "load", type: "postgres-sink", position: { x: 300, y: 0 }, config: { connectionId: BUILT_IN, schema: "warehouse", table: "e2e_engine_badge", mode: "replace" } },
  ],
  edges: [{ id: "e1", source: "people", target: "load" }],
});

const badge = (page: Page) => page.locator("main header").getByTestId("engine-badge");

test("the toolbar says where a run would execute and why", async ({ page, request, pipelines }) => {
  const auto = await pipelines.create("Engine auto");
  await putGraph(request, auto.id, graph());
  await page.goto(`/pipelines/${auto.id}`);
  await expect(badge(page)).toContainText("Runs on DuckDB");
  await expect(badge(page)).toHaveAttribute("title", /source people is not on the PostgreSQL connection/);

  const inside = await pipelines.create("Engine database");
  await putGraph(request, inside.id, graph("database"));
  await page.goto(`/pipelines/${inside.id}`);
  await expect(badge(page)).toContainText("Runs in your database");
  await expect(badge(page)).toHaveAttribute("title", /set to run in the database/);
});
