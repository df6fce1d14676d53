import { mkdirSync } from "node:fs";
import path from "node:path";
import type { APIRequestContext, Locator, Page } from "@playwright/test";
import { demoGraph } from "../apps/server/src/seed/demo-graph.ts";
import { expect, test } from "./fixtures.ts";
import { demoFile } from "./demo-data.ts";
import { expectNoSeriousViolations } from "./axe.ts";
import { clickCard, nodeCard } from "./editor-helpers.ts";

/**
 * The canvas as a new user meets it at 1440x900 with the demo pipeline: readable at first sight, a minimap that
 * never takes a drag meant for the canvas, panels that never hide the selected node, and a run page that reads well.
 */
test.use({ viewport: { width: 1440, height: 900 } });

const BUILT_IN = "00000000-0000-4000-8000-00000000c0de";
/** The smallest zoom a fit may choose (apps/web/src/graph/fit-view.ts): a card's name at 14 px reads as 12.6 px. */
const MIN_FIT_ZOOM = 0.9;

/** README screenshots: CI or SLUICE_E2E_SCREENSHOTS=1 write them into docs/images, other runs into e2e/artifacts. */
function screenshotPath(name: string): string {
  const forDocs = Boolean(process.env.CI) || process.env.SLUICE_E2E_SCREENSHOTS === "1";
  const dir = forDocs ? path.join(import.meta.dirname, "..", "docs", "images") : path.join(import.meta.dirname, "artifacts");
  mkdirSync(dir, { recursive: true });
  return path.join(dir, name);
}

async function putGraph(request: APIRequestContext, id: string, graph: unknown) {
  const res = await request.put(`/api/pipelines/${id}`, { data: { baseVersion: 1, graph } });
  expect(res.status(), await res.text()).toBe(200);
}

/** Runs the pipeline's saved version to its end and returns the run's id. */
async function runToEnd(request: APIRequestContext, id: string): Promise<string> {
  const res = await request.post(`/api/pipelines/${id}/runs`, { data: {} });
  expect(res.status(), await res.text()).toBe(202);
  const runId = ((await res.json()) as { runId: string }).runId;
  await expect.poll(async () => ((await (await request.get(`/api/runs/${runId}`)).json()) as { status: string }).status, { timeout: 30_000 }).toBe("succeeded");
  return runId;
}

/**
 * The demo files, uploaded once for this file under names of their own (another spec may upload orders.csv, and a
 * name that exists is refused), removed at the end.
 */
let demoFiles: { ordersFileId: string; customersFileId: string };
let api: APIRequestContext;
test.beforeAll(async ({ playwright, baseURL }) => {
  api = await playwright.request.newContext({ baseURL: baseURL!, extraHTTPHeaders: { authorization: `Bearer ${process.env.SLUICE_E2E_OWNER_TOKEN}` } });
  const tag = Date.now().toString(36);
  const upload = async (name: "orders.csv" | "customers.csv") => {
    const res = await api.post("/api/files", { multipart: { file: { ...demoFile(name), name: `canvas-${tag}-${name}` } } });
    expect(res.status(), await res.text()).toBe(201);
    return ((await res.json()) as { id: string }).id;
  };
  demoFiles = { ordersFileId: await upload("orders.csv"), customersFileId: await upload("customers.csv") };
});
test.afterAll(async () => {
  for (const id of Object.values(demoFiles)) expect((await api.delete(`/api/files/${id}`)).status()).toBe(204);
  await api.dispose();
});

/** The demo pipeline (the one a first start seeds), saved and run once. */
async function demoPipeline(request: APIRequestContext, create: (name: string) => Promise<{ id: string }>) {
  const p = await create("Demo: revenue by country");
  await putGraph(request, p.id, demoGraph({ ...demoFiles, connectionId: BUILT_IN }));
  const runId = await runToEnd(request, p.id);
  return { id: p.id, runId };
}

type Viewport = { x: number; y: number; zoom: number };
async function viewport(canvas: Locator): Promise<Viewport> {
  const t = await canvas.locator(".react-flow__viewport").evaluate((el) => (el as HTMLElement).style.transform);
  const m = /translate\(([-\d.e]+)px, ([-\d.e]+)px\) scale\(([-\d.e]+)\)/.exec(t);
  if (!m) throw new Error(`unexpected viewport transform ${t}`);
  return { x: Number(m[1]), y: Number(m[2]), zoom: Number(m[3]) };
}
/** The viewport once it has stopped moving (fit and pans animate). */
async function settled(canvas: Locator): Promise<Viewport> {
  let last = await viewport(canvas);
  for (let same = 0, i = 0; i < 40; i++) {
    await canvas.page().waitForTimeout(100);
    const now = await viewport(canvas);
    same = now.x === last.x && now.y === last.y && now.zoom === last.zoom ? same + 1 : 0;
    if (same === 3) return now;
    last = now;
  }
  throw new Error("the canvas kept moving");
}

type Box = { x: number; y: number; width: number; height: number };
const inside = (a: Box, b: Box) => a.x >= b.x - 0.5 && a.y >= b.y - 0.5 && a.x + a.width <= b.x + b.width + 0.5 && a.y + a.height <= b.y + b.height + 0.5;
const overlap = (a: Box, b: Box) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
const box = async (l: Locator): Promise<Box> => {
  const b = await l.boundingBox();
  if (!b) throw new Error("not on screen");
  return b;
};

async function openEditor(page: Page, id: string) {
  await page.goto(`/pipelines/${id}`);
  const canvas = page.getByLabel("Pipeline canvas");
  await expect(nodeCard(page, "orders")).toBeVisible();
  await settled(canvas);
  return canvas;
}

test("the demo pipeline opens readable: fit never zooms below the minimum, it starts at the sources, and row counts never overlap", async ({ page, request, pipelines }) => {
  const demo = await demoPipeline(request, (n) => pipelines.create(n));
  const canvas = await openEditor(page, demo.id);
  const v = await settled(canvas);
  expect(v.zoom).toBeGreaterThanOrEqual(MIN_FIT_ZOOM);
  // Too wide to fit at a readable zoom: the view starts where the data does, and the user pans on.
  const area = await box(canvas);
  expect(inside(await box(nodeCard(page, "orders")), area)).toBe(true);
  const name = nodeCard(page, "orders").getByText("Orders (raw text)");
  expect(await name.evaluate((el) => parseFloat(getComputedStyle(el).fontSize))).toBeGreaterThanOrEqual(14);
  expect((await box(name)).height).toBeGreaterThanOrEqual(11);

  // The last run's row counts label the edges, each clear of the others and of every card.
  const labels = canvas.locator(".react-flow__edge-textwrapper");
  await expect(labels).toHaveCount(8);
  await page.getByRole("button", { name: "Fit view" }).click();
  await settled(canvas);
  const labelBoxes = await Promise.all((await labels.all()).map((l) => box(l)));
  const cardBoxes = await Promise.all((await canvas.locator(".react-flow__node").all()).map((c) => box(c)));
  for (const [i, a] of labelBoxes.entries()) {
    for (const b of labelBoxes.slice(i + 1)) expect(overlap(a, b), "two row counts overlap").toBe(false);
    for (const c of cardBoxes) expect(overlap(a, c), "a row count covers a card").toBe(false);
  }
});

test("the minimap stays out of the way: a drag beside it never pans the canvas, and it can be hidden for good", async ({ page, request, pipelines }) => {
  const demo = await demoPipeline(request, (n) => pipelines.create(n));
  const canvas = await openEditor(page, demo.id);
  const minimap = canvas.getByLabel("Minimap");
  await expect(minimap).toBeVisible();
  const before = await settled(canvas);
  const m = await box(minimap);
  // A connection drag aimed at a handle just beside the minimap, pressed a few pixels onto its edge.
  await page.mouse.move(m.x + 3, m.y + m.height / 2);
  await page.mouse.down();
  await page.mouse.move(m.x - 300, m.y - 100, { steps: 10 });
  await page.mouse.up();
  const after = await settled(canvas);
  expect(Math.abs(after.x - before.x)).toBeLessThan(1);
  expect(Math.abs(after.y - before.y)).toBeLessThan(1);

  // Small, and no node sits under it after a fit.
  expect(m.width * m.height).toBeLessThanOrEqual(140 * 90);
  for (const c of await canvas.locator(".react-flow__node").all()) {
    const b = await c.boundingBox();
    if (b) expect(overlap(b, m), "the minimap covers a node").toBe(false);
  }

  await page.getByRole("button", { name: "Hide minimap" }).click();
  await expect(minimap).toHaveCount(0);
  await page.reload();
  await expect(nodeCard(page, "orders")).toBeVisible();
  await expect(canvas.getByLabel("Minimap")).toHaveCount(0);
  await page.getByRole("button", { name: "Show minimap" }).click();
  await expect(canvas.getByLabel("Minimap")).toBeVisible();
});

test("opening the inspector or a drawer pans the selected node into what is left of the canvas; Escape closes a drawer", async ({ page, request, pipelines }) => {
  const demo = await demoPipeline(request, (n) => pipelines.create(n));
  const canvas = await openEditor(page, demo.id);
  // The rightmost card fully in view, right by the canvas's edge: the inspector opens over that side.
  const area = await box(canvas);
  let rightmost: { id: string; right: number } | null = null;
  for (const c of await canvas.locator(".react-flow__node").all()) {
    const b = await c.boundingBox();
    const id = await c.getAttribute("data-id");
    if (b && id && inside(b, area) && (!rightmost || b.x + b.width > rightmost.right)) rightmost = { id, right: b.x + b.width };
  }
  expect(rightmost).not.toBeNull();
  const card = nodeCard(page, rightmost!.id);
  expect(rightmost!.right).toBeGreaterThan(area.x + area.width - 400);

  await card.click();
  const inspector = page.getByRole("complementary", { name: "Inspector" });
  await expect(inspector).toBeVisible();
  await settled(canvas);
  const shrunk = await box(canvas);
  expect(shrunk.width).toBeLessThan(area.width - 300);
  expect(inside(await box(card), shrunk), "the selected card is inside the canvas").toBe(true);
  expect(overlap(await box(card), await box(inspector)), "the selected card is under the inspector").toBe(false);
  const shot = await page.screenshot({ path: screenshotPath("editor.png") });
  await test.info().attach("editor", { body: shot, contentType: "image/png" });

  // A drawer beside the inspector takes more room; the card moves into what is left.
  const toggle = page.getByRole("button", { name: /^Parameters/ });
  await toggle.click();
  const drawer = page.getByRole("complementary", { name: "Parameters" });
  await expect(drawer).toBeVisible();
  await settled(canvas);
  expect(inside(await box(card), await box(canvas)), "the selected card is inside the canvas beside the drawer").toBe(true);

  await page.keyboard.press("Escape");
  await expect(drawer).toHaveCount(0);
  await expect(toggle).toBeFocused();
  await page.getByRole("button", { name: "History" }).click();
  await expect(page.getByRole("complementary", { name: "Version history" })).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(page.getByRole("complementary", { name: "Version history" })).toHaveCount(0);
});

test("a node selected at the canvas's bottom right corner is panned clear of the minimap, not under it", async ({ page, request, pipelines }) => {
  const p = await pipelines.create("Corners");
  const table = (id: string, x: number, y: number) => ({ id, type: "inline", position: { x, y }, config: { columns: [{ name: "age", type: "string" }], rows: [["1"]] } });
  await putGraph(request, p.id, { formatVersion: 1, nodes: [table("a", 0, 0), table("b", 1200, 0), table("c", 0, 700), table("d", 1200, 700)], edges: [] });
  await page.goto(`/pipelines/${p.id}`);
  const canvas = page.getByLabel("Pipeline canvas");
  await expect(nodeCard(page, "d")).toBeVisible();
  await settled(canvas);
  // The inspector (right) and the preview (bottom) narrow the canvas; the card is panned back in, above the minimap.
  await clickCard(page, "d");
  await expect(page.getByTestId("preview-row-count")).toBeVisible();
  await settled(canvas);
  const card = await box(nodeCard(page, "d"));
  expect(inside(card, await box(canvas)), "the selected card is inside the canvas").toBe(true);
  expect(overlap(card, await box(canvas.getByLabel("Minimap"))), "the selected card is under the minimap").toBe(false);
  expect(overlap(card, await box(page.getByRole("button", { name: "Hide minimap" }))), "the selected card is under the minimap's button").toBe(false);
});

test("with no node selected the preview is a slim bar of one line; selecting a node opens it at the height last dragged to", async ({ page, request, pipelines }) => {
  const p = await pipelines.create("Slim preview");
  const table = (id: string, x: number) => ({ id, type: "inline", position: { x, y: 0 }, config: { columns: [{ name: "age", type: "string" }], rows: [["1"]] } });
  await putGraph(request, p.id, { formatVersion: 1, nodes: [table("a", 0), table("b", 400)], edges: [] });
  await page.goto(`/pipelines/${p.id}`);
  const canvas = page.getByLabel("Pipeline canvas");
  await expect(nodeCard(page, "a")).toBeVisible();
  const dock = page.getByTestId("preview-dock");
  await expect(dock).toHaveText("Select a node to see its rows.");
  // One line, and the canvas keeps the rest of the 852 px under the toolbar (it had 586 beside a 260 px hint).
  expect((await box(dock)).height).toBeLessThan(40);
  expect((await box(canvas)).height).toBeGreaterThan(780);
  await expect(page.getByRole("separator", { name: "Resize preview" })).toHaveCount(0);
  await expectNoSeriousViolations(page, "editor, nothing selected, preview as a slim bar");

  await clickCard(page, "a");
  await expect(page.getByTestId("preview-row-count")).toBeVisible();
  expect(Math.round((await box(dock)).height)).toBe(260);
  // Drag the bar 100 px up: the preview grows to 360.
  const handle = await box(page.getByRole("separator", { name: "Resize preview" }));
  await page.mouse.move(handle.x + handle.width / 2, handle.y + handle.height / 2);
  await page.mouse.down();
  await page.mouse.move(handle.x + handle.width / 2, handle.y + handle.height / 2 - 100, { steps: 5 });
  await page.mouse.up();
  expect(Math.round((await box(dock)).height)).toBe(360);

  // A click on empty canvas (bottom middle: the cards sit in its middle) selects nothing.
  const area = await box(canvas);
  await page.mouse.click(area.x + area.width / 2, area.y + area.height - 30);
  await expect(page.getByRole("complementary", { name: "Inspector" })).toHaveCount(0);
  await expect(dock).toHaveText("Select a node to see its rows.");
  expect((await box(dock)).height).toBeLessThan(40);
  await clickCard(page, "b");
  await expect(page.getByTestId("preview-row-count")).toBeVisible();
  expect(Math.round((await box(dock)).height)).toBe(360);
});

test("the run page names nodes by label, offers no Cancel on a finished run, and lets the wheel scroll the page until the graph is clicked", async ({ page, request, pipelines }) => {
  const p = await pipelines.create("Ages");
  await putGraph(request, p.id, {
    formatVersion: 1,
    nodes: [
      { id: "people", type: "inline", position: { x: 0, y: 0 }, config: { columns: [{ name: "age", type: "string" }], rows: [["1"], ["2"]] } },
      { id: "out", type: "file-sink", position: { x: 300, y: 0 }, config: { name: "ages", format: "csv" } },
    ],
    edges: [{ id: "e1", source: "people", target: "out" }],
  });
  const runId = await runToEnd(request, p.id);
  await page.goto(`/runs/${runId}`);
  await expect(page.getByTestId("node-row-people").getByRole("cell").first()).toHaveText("Inline table");
  // The pipeline's name links back in a line of text (axe's link-in-text-block with a short name).
  await expectNoSeriousViolations(page, "a finished run of a pipeline with a short name");
  await expect(page.getByTestId("node-row-out").getByRole("cell").first()).toHaveText("File output");
  await expect(page.getByRole("button", { name: "Retry" })).toBeEnabled();
  await expect(page.getByRole("button", { name: "Cancel run" })).toHaveCount(0);

  const graph = page.getByLabel("Pipeline as run");
  await expect(graph.getByTestId("node-people")).toBeVisible();
  const before = await settled(graph);
  await graph.scrollIntoViewIfNeeded();
  const scrolled = await page.evaluate(() => window.scrollY);
  const g = await box(graph);
  await page.mouse.move(g.x + 20, g.y + g.height / 2);
  await page.mouse.wheel(0, 200);
  await expect.poll(() => page.evaluate(() => window.scrollY)).toBeGreaterThan(scrolled);
  expect((await settled(graph)).zoom).toBe(before.zoom);

  // Once clicked, the graph takes the wheel to zoom.
  const g2 = await box(graph);
  await page.mouse.click(g2.x + 20, g2.y + 20);
  const y = await page.evaluate(() => window.scrollY);
  await page.mouse.wheel(0, -200);
  await expect.poll(async () => (await viewport(graph)).zoom).not.toBe(before.zoom);
  expect(await page.evaluate(() => window.scrollY)).toBe(y);
});

test("a running node's card stays legible while it shows that it runs: its text at full opacity at the faintest moment of its pulse", async ({ page, request, pipelines }) => {
  const p = await pipelines.create("Slow");
  await putGraph(request, p.id, {
    formatVersion: 1,
    nodes: [
      { id: "slow", type: "postgres", label: "Slow query", position: { x: 0, y: 0 }, config: { connectionId: BUILT_IN, mode: "query", schema: "public", table: "", sql: "select pg_sleep(20)::text as x" } },
      { id: "out", type: "file-sink", position: { x: 360, y: 0 }, config: { name: "slow", format: "csv" } },
    ],
    edges: [{ id: "e1", source: "slow", target: "out" }],
  });
  const res = await request.post(`/api/pipelines/${p.id}/runs`, { data: {} });
  expect(res.status(), await res.text()).toBe(202);
  const runId = ((await res.json()) as { runId: string }).runId;
  try {
    await page.goto(`/runs/${runId}`);
    const card = page.getByLabel("Pipeline as run").getByTestId("node-slow");
    await expect(card).toHaveAttribute("data-status", "running", { timeout: 20_000 });
    // Every animation on the card held at its midpoint, where a pulse is faintest.
    await card.evaluate((el) => {
      for (const a of el.getAnimations({ subtree: true })) {
        const t = a.effect?.getComputedTiming();
        a.pause();
        if (t && typeof t.duration === "number") a.currentTime = t.duration / 2;
      }
    });
    // The pulse may fade a ring, never the text: axe does not weigh opacity, so it is read here, card to name.
    const faded = await card.getByText("Slow query").evaluate((el) => {
      let opacity = 1;
      for (let e: Element | null = el; e; e = e.parentElement) opacity *= Number(getComputedStyle(e).opacity);
      return opacity;
    });
    expect(faded).toBe(1);
    await expectNoSeriousViolations(page, "a running run's page, its running node at the faintest of its pulse");
  } finally {
    await request.post(`/api/runs/${runId}/cancel`);
  }
});

test("the demo run's page at 1440x900 reads well (docs screenshot)", async ({ page, request, pipelines }) => {
  const demo = await demoPipeline(request, (n) => pipelines.create(n));
  await page.goto(`/runs/${demo.runId}`);
  const graph = page.getByLabel("Pipeline as run");
  await expect(page.getByTestId("node-row-orders")).toContainText("Orders (raw text)");
  await expect(graph.getByTestId("node-orders")).toBeVisible();
  expect((await settled(graph)).zoom).toBeGreaterThanOrEqual(MIN_FIT_ZOOM);
  await graph.scrollIntoViewIfNeeded();
  await page.evaluate(() => window.scrollBy(0, 200));
  const shot = await page.screenshot({ path: screenshotPath("run.png") });
  await test.info().attach("run", { body: shot, contentType: "image/png" });
});
