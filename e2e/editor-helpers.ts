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

export async function selectNode(page: Page, id: string) {
  await nodeCard(page, id).click();
  await expect(page.getByRole("complementary", { name: "Inspector" })).toBeVisible();
}
