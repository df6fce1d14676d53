import type { APIRequestContext, Page } from "@playwright/test";
import { expect, test } from "./fixtures.ts";
import { nodeCard } from "./editor-helpers.ts";

/**
 * The editor's toolbar keeps one line of a fixed height whatever it has to say: problems go in a badge with a
 * popover, a run in progress is a neutral note with a link, and the pipeline's name stays readable.
 */
const BUILT_IN = "00000000-0000-4000-8000-00000000c0de";
const NAME = "Clean messy orders, join customers";

async function putGraph(request: APIRequestContext, id: string, graph: unknown) {
  const res = await request.put(`/api/pipelines/${id}`, { data: { baseVersion: 1, graph } });
  expect(res.status(), await res.text()).toBe(200);
}

const people = { id: "people", type: "inline", position: { x: 0, y: 0 }, config: { columns: [{ name: "age", type: "string" }], rows: [["1"], ["2"]] } };
const validGraph = {
  formatVersion: 1,
  nodes: [people, { id: "out", type: "file-sink", position: { x: 300, y: 0 }, config: { name: "ages", format: "csv" } }],
  edges: [{ id: "e1", source: "people", target: "out" }],
};
/** Two problems on two branches, on nodes with labels of their own. */
const brokenGraph = {
  formatVersion: 1,
  nodes: [
    people,
    {
      id: "adults",
      type: "filter",
      label: "Adults only",
      position: { x: 300, y: 0 },
      config: { condition: { kind: "group", op: "and", conditions: [{ kind: "rule", column: "agee", operator: "is_not_null" }] } },
    },
    { id: "top", type: "limit", label: "Top rows", position: { x: 300, y: 200 }, config: { count: -1, skip: 0 } },
    { id: "out", type: "file-sink", position: { x: 600, y: 0 }, config: { name: "ages", format: "csv" } },
    { id: "out2", type: "file-sink", position: { x: 600, y: 200 }, config: { name: "top", format: "csv" } },
  ],
  edges: [
    { id: "e1", source: "people", target: "adults" },
    { id: "e2", source: "adults", target: "out" },
    { id: "e3", source: "people", target: "top" },
    { id: "e4", source: "top", target: "out2" },
  ],
};

const toolbar = (page: Page) => page.locator("main header");
const problemsBadge = (page: Page) => toolbar(page).getByRole("button", { name: /\d+ problems?/ });

/** The toolbar's height, the canvas's top and whether the name's text is cut, once validation has answered. */
async function measure(page: Page) {
  const header = (await toolbar(page).boundingBox())!;
  const canvas = (await page.getByLabel("Pipeline canvas").boundingBox())!;
  const nameCut = await toolbar(page)
    .getByRole("heading", { level: 1 })
    .evaluate((h) => h.scrollWidth > h.clientWidth);
  return { height: header.height, canvasTop: canvas.y, nameCut };
}

test("the toolbar keeps one line of the same height with and without problems, and the name is not cut", async ({ page, request, pipelines }) => {
  const valid = await pipelines.create(NAME);
  await putGraph(request, valid.id, validGraph);
  const broken = await pipelines.create(NAME);
  await putGraph(request, broken.id, brokenGraph);

  for (const viewport of [
    { width: 1440, height: 900 },
    { width: 1280, height: 800 },
  ]) {
    await page.setViewportSize(viewport);
    await page.goto(`/pipelines/${valid.id}`);
    await expect(page.getByRole("button", { name: "Run", exact: true })).toBeEnabled();
    const clean = await measure(page);

    await page.goto(`/pipelines/${broken.id}`);
    await expect(nodeCard(page, "top")).toHaveAttribute("data-invalid", "true");
    await expect(page.getByRole("button", { name: "Run", exact: true })).toBeDisabled();
    const withProblems = await measure(page);

    expect(withProblems, `at ${viewport.width}x${viewport.height}`).toEqual(clean);
    expect(clean.nameCut, `the name is cut at ${viewport.width}x${viewport.height}`).toBe(false);
    // One line of buttons: no taller than a button and its padding.
    expect(clean.height).toBeLessThanOrEqual(56);
    await expect(toolbar(page).getByRole("heading", { level: 1 })).toHaveAttribute("title", NAME);
  }

  // Narrower still, the toolbar does not reflow: what does not fit goes into "More".
  await page.setViewportSize({ width: 1024, height: 768 });
  await page.goto(`/pipelines/${broken.id}`);
  await expect(nodeCard(page, "top")).toHaveAttribute("data-invalid", "true");
  expect((await measure(page)).height).toBeLessThanOrEqual(56);
  await toolbar(page).getByRole("button", { name: "More" }).click();
  await page.getByRole("menuitemcheckbox", { name: "History" }).click();
  await expect(page.getByRole("complementary", { name: /history/i }).or(page.getByRole("dialog", { name: /history/i })).first()).toBeVisible();
});

test("the problems badge opens a list of the problems; picking one selects its node, Escape closes it", async ({ page, request, pipelines }) => {
  const p = await pipelines.create(NAME);
  await putGraph(request, p.id, brokenGraph);
  await page.goto(`/pipelines/${p.id}`);

  const badge = problemsBadge(page);
  await expect(badge).toBeVisible();
  await expect(badge).toHaveAttribute("aria-expanded", "false");
  await badge.click();
  const list = page.getByRole("dialog", { name: "Problems" });
  await expect(list).toBeVisible();
  await expect(badge).toHaveAttribute("aria-expanded", "true");
  const adults = list.getByRole("button", { name: /Adults only/ });
  await expect(adults).toContainText("agee");
  const top = list.getByRole("button", { name: /Top rows/ });
  await expect(top).toContainText(/negative/);

  await top.click();
  await expect(list).toBeHidden();
  await expect(page.locator('.react-flow__node[data-id="top"]')).toHaveClass(/selected/);
  await expect(page.getByRole("complementary", { name: "Inspector" })).toBeVisible();

  // By keyboard: Enter opens it with the first problem focused, Escape closes it and gives the focus back.
  await badge.focus();
  await page.keyboard.press("Enter");
  await expect(list).toBeVisible();
  await expect(list.getByRole("button").first()).toBeFocused();
  await page.keyboard.press("Escape");
  await expect(list).toBeHidden();
  await expect(badge).toBeFocused();
  await expect(nodeCard(page, "top")).toBeVisible();
});

test("a run in progress is a neutral note with a link to the run, not an error", async ({ page, request, pipelines }) => {
  const p = await pipelines.create(NAME);
  await putGraph(request, p.id, {
    formatVersion: 1,
    nodes: [
      { id: "src", type: "postgres", position: { x: 0, y: 0 }, config: { connectionId: BUILT_IN, mode: "query", sql: "SELECT n AS id FROM generate_series(1, 3) AS n, pg_sleep(30) AS s" } },
      { id: "out", type: "file-sink", position: { x: 300, y: 0 }, config: { name: "slow", format: "csv" } },
    ],
    edges: [{ id: "e1", source: "src", target: "out" }],
  });
  const res = await request.post(`/api/pipelines/${p.id}/runs`, { data: {} });
  expect(res.status(), await res.text()).toBe(202);
  const runId = ((await res.json()) as { runId: string }).runId;
  try {
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(`/pipelines/${p.id}`);
    const note = toolbar(page).getByRole("link", { name: /in progress/i });
    await expect(note).toBeVisible({ timeout: 20_000 });
    await expect(page.getByRole("button", { name: "Run", exact: true })).toBeDisabled();
    await expect(toolbar(page).getByRole("link", { name: /in progress/i })).toHaveAttribute("href", `/runs/${runId}`);
    // Its colour, as the screen shows it, is not a red.
    const [r, g, b] = await note.evaluate((el) => {
      const ctx = document.createElement("canvas").getContext("2d")!;
      ctx.fillStyle = getComputedStyle(el).color;
      ctx.fillRect(0, 0, 1, 1);
      return [...ctx.getImageData(0, 0, 1, 1).data];
    });
    expect(r! > 140 && r! > g! * 1.6 && r! > b! * 1.6, `text colour rgb(${r}, ${g}, ${b}) is a red`).toBe(false);
    expect((await measure(page)).height).toBeLessThanOrEqual(56);
  } finally {
    await request.post(`/api/runs/${runId}/cancel`);
    await expect.poll(async () => ((await (await request.get(`/api/runs/${runId}`)).json()) as { status: string }).status, { timeout: 30_000 }).toMatch(/succeeded|failed|cancelled/);
  }
});
