import { expect, type Locator, type Page } from "@playwright/test";

/** A handle's box once the viewport has stopped moving (fit view animates). */
export async function settledBox(l: Locator) {
  let last = await l.boundingBox();
  let same = 0;
  for (let i = 0; i < 30; i++) {
    await l.page().waitForTimeout(100);
    const now = await l.boundingBox();
    same = now && last && now.x === last.x && now.y === last.y ? same + 1 : 0;
    if (same === 3) return now!;
    last = now;
  }
  throw new Error("the canvas kept moving");
}

/** Drags from one node's output handle to another node's input handle, as a user wires the canvas. */
export async function connect(page: Page, from: string, to: string, toPort = "in", fromPort = "out") {
  const source = page.locator(`.react-flow__handle[data-nodeid="${from}"][data-handleid="${fromPort}"]`);
  const target = page.locator(`.react-flow__handle[data-nodeid="${to}"][data-handleid="${toPort}"]`);
  const a = await settledBox(source);
  const b = await settledBox(target);
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
  await page.mouse.down();
  await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 8 });
  await page.mouse.up();
}

/** Drags a connection from a node's handle and lets go on empty canvas, `by` pixels away from the handle. */
export async function dropConnection(page: Page, node: string, port: string, by: { x: number; y: number }) {
  const a = await settledBox(page.locator(`.react-flow__handle[data-nodeid="${node}"][data-handleid="${port}"]`));
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
  await page.mouse.down();
  await page.mouse.move(a.x + a.width / 2 + by.x / 8, a.y + a.height / 2 + by.y / 8);
  // A connection is being drawn (not the view panned, as when the handle moved away just before the press).
  await expect(page.locator(".react-flow__connectionline")).toHaveCount(1);
  await page.mouse.move(a.x + a.width / 2 + by.x, a.y + a.height / 2 + by.y, { steps: 8 });
  await page.mouse.up();
}

export const nodeCard = (page: Page, id: string) => page.getByTestId(`node-${id}`);
export const edges = (page: Page) => page.locator(".react-flow__edge");
export const cards = (page: Page) => page.locator(".react-flow__node");

/** Drags a palette entry onto the canvas at a point given relative to the canvas's top-left corner. */
export async function dropFromPalette(page: Page, label: string, at: { x: number; y: number }) {
  const canvas = page.getByLabel("Pipeline canvas");
  await page.getByRole("button", { name: `Add ${label}`, exact: true }).dragTo(canvas, { targetPosition: at });
}

/**
 * Drags the canvas's background, as a user pans, until the card lies wholly inside the canvas. Clicking a card that
 * does not would make Playwright scroll React Flow's overflow-hidden wrapper to reach it; React Flow undoes such a
 * scroll on its next scroll event, and a click pressed before that and released after it lands on the background.
 */
export async function panIntoView(page: Page, id: string) {
  const canvas = page.getByLabel("Pipeline canvas");
  const card = nodeCard(page, id);
  for (let attempt = 0; attempt < 8; attempt++) {
    const c = (await canvas.boundingBox())!;
    const n = await settledBox(card);
    if (n.x >= c.x && n.y >= c.y && n.x + n.width <= c.x + c.width && n.y + n.height <= c.y + c.height) return;
    // Toward the middle of the part above the minimap, a third of the canvas at a time so the drag stays on it.
    const limit = (v: number, most: number) => Math.max(-most, Math.min(most, v));
    const by = {
      x: limit(c.x + c.width / 2 - (n.x + n.width / 2), c.width / 3),
      y: limit(c.y + (c.height - 130) / 2 - (n.y + n.height / 2), c.height / 3),
    };
    const from = await canvas.evaluate((el, by) => {
      const r = el.getBoundingClientRect();
      // A point of bare background whose drag ends on the canvas too.
      for (let y = r.top + 8; y < r.bottom - 8; y += 16)
        for (let x = r.left + 8; x < r.right - 8; x += 16) {
          const end = { x: x + by.x, y: y + by.y };
          if (end.x < r.left || end.x > r.right || end.y < r.top || end.y > r.bottom) continue;
          if (document.elementFromPoint(x, y)?.classList.contains("react-flow__pane")) return { x, y };
        }
      return null;
    }, by);
    if (!from) throw new Error(`no bare canvas to drag to bring ${id} into view`);
    await page.mouse.move(from.x, from.y);
    await page.mouse.down();
    await page.mouse.move(from.x + by.x, from.y + by.y, { steps: 8 });
    await page.mouse.up();
  }
  throw new Error(`could not pan ${id} into view`);
}

/** Clicks a card, first panning it into view when it lies (partly) outside the canvas. */
export async function clickCard(page: Page, id: string, options?: Parameters<Locator["click"]>[0]) {
  await panIntoView(page, id);
  await nodeCard(page, id).click(options);
}

export async function selectNode(page: Page, id: string) {
  await clickCard(page, id);
  await expect(page.getByRole("complementary", { name: "Inspector" })).toBeVisible();
}
