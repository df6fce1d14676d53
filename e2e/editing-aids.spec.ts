import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures.ts";
import { cards, clickCard, dropConnection, edges, nodeCard, settledBox } from "./editor-helpers.ts";

const inline = (id: string, x: number, y: number) => ({ id, type: "inline", position: { x, y }, config: { columns: [{ name: "name", type: "string" }], rows: [["Ada"]] } });
const node = (id: string, type: string, x: number, y: number) => ({ id, type, position: { x, y }, config: {} });

async function openWith(page: Page, request: import("@playwright/test").APIRequestContext, id: string, graph: object) {
  expect((await request.put(`/api/pipelines/${id}`, { data: { baseVersion: 1, graph } })).status()).toBe(200);
  await page.goto(`/pipelines/${id}`);
}

const overlap = (a: { x: number; y: number; width: number; height: number }, b: typeof a) =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

test.use({ viewport: { width: 1440, height: 900 } });

test("while a connection is dragged the inputs that take it light up; dropped on empty canvas it opens a palette that adds the node there, connected", async ({ page, request, pipelines }) => {
  const p = await pipelines.create("Connect from the handle");
  await openWith(page, request, p.id, {
    formatVersion: 1,
    // A column on the left, so the canvas right of it is empty.
    nodes: [inline("people", 0, 0), inline("other", 0, 240), node("tail", "sort", 0, 480)],
    edges: [],
  });
  await expect(cards(page)).toHaveCount(3);

  const handle = page.locator('.react-flow__handle[data-nodeid="people"][data-handleid="out"]');
  const box = await settledBox(handle);
  await page.mouse.move(box.x + 6, box.y + 6);
  await page.mouse.down();
  await page.mouse.move(box.x + 150, box.y + 20, { steps: 6 });
  await expect(nodeCard(page, "tail")).toHaveAttribute("data-connect-target", "valid");
  await expect(page.locator('.react-flow__handle[data-nodeid="tail"][data-handleid="in"]')).toHaveAttribute("data-connect-target", "valid");
  // A source has no input: faded.
  await expect(nodeCard(page, "other")).toHaveAttribute("data-connect-target", "invalid");
  await page.mouse.up();
  await expect(nodeCard(page, "tail")).not.toHaveAttribute("data-connect-target");

  const popup = page.getByRole("dialog", { name: "Add a connected node" });
  await expect(popup).toBeVisible();
  // Only what can follow an output: no sources.
  await expect(popup.getByRole("option", { name: "Inline table" })).toHaveCount(0);
  await page.keyboard.type("filt");
  await page.keyboard.press("Enter");
  await expect(popup).toBeHidden();
  await expect(cards(page)).toHaveCount(4);
  await expect(edges(page)).toHaveCount(1);
  await expect(page.getByRole("complementary", { name: "Inspector" })).toBeVisible();
  // Its input handle sits where the connection was let go (measured from the handle it came from: opening the
  // inspector may pan the view).
  const input = (await page.locator('.react-flow__handle[data-nodeid="filter"][data-handleid="in"]').boundingBox())!;
  const from = (await handle.boundingBox())!;
  expect(Math.abs(input.x - from.x - 144)).toBeLessThan(30);
  expect(Math.abs(input.y - from.y - 14)).toBeLessThan(30);

  // Escape closes the palette without adding anything.
  await dropConnection(page, "people", "out", { x: 150, y: 180 });
  await expect(popup).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(popup).toBeHidden();
  await expect(cards(page)).toHaveCount(4);
  await page.keyboard.press("Control+z");
  await expect(cards(page)).toHaveCount(3);
  await expect(edges(page)).toHaveCount(0);
});

test("deleting a node from the middle of a chain offers to reconnect its neighbours, undone in one step", async ({ page, request, pipelines }) => {
  const p = await pipelines.create("Reconnect");
  await openWith(page, request, p.id, {
    formatVersion: 1,
    nodes: [inline("people", 0, 0), node("middle", "limit", 300, 0), node("tail", "sort", 600, 0)],
    edges: [
      { id: "e1", source: "people", target: "middle" },
      { id: "e2", source: "middle", target: "tail" },
    ],
  });
  await clickCard(page, "middle");
  await page.keyboard.press("Delete");
  await expect(cards(page)).toHaveCount(2);
  await expect(edges(page)).toHaveCount(0);
  await page.getByRole("button", { name: "Reconnect Inline table → Sort rows" }).click();
  await expect(edges(page)).toHaveCount(1);
  await expect(page.getByRole("button", { name: /^Reconnect/ })).toHaveCount(0);
  await page.keyboard.press("Control+z");
  await expect(cards(page)).toHaveCount(3);
  await expect(edges(page)).toHaveCount(2);
});

test("click-added and pasted nodes land clear of the others; a node added with one selected is connected to it", async ({ page, pipelines }) => {
  const p = await pipelines.create("No stacking");
  await page.goto(`/pipelines/${p.id}`);
  for (let i = 0; i < 3; i++) {
    await page.getByLabel("Pipeline canvas").click({ position: { x: 5, y: 5 } });
    await page.getByRole("button", { name: "Add Inline table", exact: true }).click();
  }
  await expect(cards(page)).toHaveCount(3);
  await expectApart(page);
  await page.getByRole("button", { name: "Add Filter rows", exact: true }).click();
  await expect(edges(page)).toHaveCount(1);
  await clickCard(page, "inline");
  await page.keyboard.press("Control+d");
  await expect(cards(page)).toHaveCount(5);
  await expectApart(page);
});

test("a node dragged from the palette and let go on another card lands beside it, not on top", async ({ page, request, pipelines }) => {
  const p = await pipelines.create("Dropped on a card");
  await openWith(page, request, p.id, { formatVersion: 1, nodes: [inline("people", 0, 0)], edges: [] });
  const card = await settledBox(nodeCard(page, "people"));
  const canvas = (await page.getByLabel("Pipeline canvas").boundingBox())!;
  await page.getByRole("button", { name: "Add Sort rows", exact: true }).dragTo(page.getByLabel("Pipeline canvas"), {
    targetPosition: { x: card.x - canvas.x + 20, y: card.y - canvas.y + 10 },
  });
  await expect(cards(page)).toHaveCount(2);
  await expectApart(page);
});

async function expectApart(page: Page) {
  const boxes = await Promise.all((await cards(page).all()).map(async (c) => (await c.boundingBox())!));
  for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) expect(overlap(boxes[i]!, boxes[j]!), `cards ${i} and ${j} overlap`).toBe(false);
}

test("undoing back to the saved graph clears the unsaved marker", async ({ page, pipelines }) => {
  const p = await pipelines.create("Back to saved");
  await page.goto(`/pipelines/${p.id}`);
  await page.getByRole("button", { name: "Add Inline table", exact: true }).click();
  await expect(page.getByTestId("dirty-marker")).toBeVisible();
  await page.keyboard.press("Control+z");
  await expect(page.getByTestId("dirty-marker")).toHaveCount(0);
  await page.keyboard.press("Control+Shift+z");
  await expect(page.getByTestId("dirty-marker")).toBeVisible();
});

test("leaving with unsaved changes offers to save them first", async ({ page, request, pipelines }) => {
  const p = await pipelines.create("Save and leave");
  await page.goto(`/pipelines/${p.id}`);
  await page.getByRole("button", { name: "Add Inline table", exact: true }).click();
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Pipelines" }).click();
  await page.getByRole("dialog", { name: "Leave with unsaved changes?" }).getByRole("button", { name: "Save and leave" }).click();
  await expect(page).toHaveURL(/\/pipelines$/);
  const stored = (await (await request.get(`/api/pipelines/${p.id}`)).json()) as { currentVersion: number; graph: { nodes: { id: string }[] } };
  expect(stored.currentVersion).toBe(2);
  expect(stored.graph.nodes.map((n) => n.id)).toEqual(["inline"]);
});

test("unsaved edits survive a reload as a local draft, offered back, and say when the pipeline was saved since", async ({ page, request, pipelines }) => {
  const p = await pipelines.create("Draft");
  await page.goto(`/pipelines/${p.id}`);
  await page.getByRole("button", { name: "Add Inline table", exact: true }).click();
  await page.getByRole("button", { name: "Add Filter rows", exact: true }).click();
  await expect(edges(page)).toHaveCount(1);
  await page.waitForTimeout(600);
  page.once("dialog", (d) => void d.accept());
  await page.reload();

  const offer = page.getByRole("region", { name: "Unsaved draft" });
  await expect(offer).toContainText("You have unsaved changes from");
  await expect(offer).not.toContainText("saved since");
  await expect(cards(page)).toHaveCount(0);
  await offer.getByRole("button", { name: "Restore" }).click();
  await expect(offer).toBeHidden();
  await expect(cards(page)).toHaveCount(2);
  await expect(edges(page)).toHaveCount(1);
  await expect(page.getByTestId("dirty-marker")).toBeVisible();

  // Saved meanwhile elsewhere: the draft says it is based on an older version.
  expect((await request.put(`/api/pipelines/${p.id}`, { data: { baseVersion: 1, description: "edited elsewhere" } })).status()).toBe(200);
  await page.waitForTimeout(600);
  page.once("dialog", (d) => void d.accept());
  await page.reload();
  await expect(offer).toContainText("based on version 1");
  await offer.getByRole("button", { name: "Discard" }).click();
  await expect(offer).toBeHidden();
  await page.reload();
  await expect(page.getByText("Drag a source from the left")).toBeVisible();
  await expect(offer).toHaveCount(0);
});
