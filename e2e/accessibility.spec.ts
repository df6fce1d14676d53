import type { APIRequestContext, APIResponse, Page } from "@playwright/test";
import { demoGraph } from "../apps/server/src/seed/demo-graph.ts";
import { expectNoSeriousViolations } from "./axe.ts";
import { demoFile } from "./demo-data.ts";
import { expect, test } from "./fixtures.ts";
import { nodeCard } from "./editor-helpers.ts";

/**
 * Every page of the app, with real data on it (the demo pipeline, run once, its files, an API token, an invitation),
 * and the editor in each of its states, checked with axe: no critical or serious violation anywhere.
 */
test.use({ viewport: { width: 1440, height: 900 } });

const BUILT_IN = "00000000-0000-4000-8000-00000000c0de";

/** The answer's JSON, once its status is the one expected. */
async function ok<T = { id: string }>(res: Promise<APIResponse>, status: number): Promise<T> {
  const r = await res;
  expect(r.status(), await r.text()).toBe(status);
  return (await r.json()) as T;
}

/** The demo pipeline with its own copies of the demo files, saved and run to its end. */
async function demoPipeline(request: APIRequestContext, create: (name: string) => Promise<{ id: string }>) {
  const upload = (name: "orders.csv" | "customers.csv") => ok(request.post("/api/files", { multipart: { file: { ...demoFile(name), name: `a11y-${name}` } } }), 201);
  const files = [await upload("orders.csv"), await upload("customers.csv")];
  const p = await create("Demo: revenue by country (accessibility)");
  const graph = demoGraph({ ordersFileId: files[0]!.id, customersFileId: files[1]!.id, connectionId: BUILT_IN });
  await ok(request.put(`/api/pipelines/${p.id}`, { data: { baseVersion: 1, graph } }), 200);
  const { runId } = await ok<{ runId: string }>(request.post(`/api/pipelines/${p.id}/runs`, { data: {} }), 202);
  await expect.poll(async () => ((await (await request.get(`/api/runs/${runId}`)).json()) as { status: string }).status, { timeout: 30_000 }).toBe("succeeded");
  const cleanUp = async () => {
    // The pipeline goes first: a file a pipeline reads cannot be deleted.
    expect((await request.delete(`/api/pipelines/${p.id}`)).status()).toBe(204);
    for (const f of files) expect((await request.delete(`/api/files/${f.id}`)).status()).toBe(204);
  };
  return { id: p.id, runId, cleanUp };
}

/** Opens a dialog with its button, checks the page with it open, and closes it with Escape. */
async function withDialog(page: Page, button: string, dialog: string, where: string) {
  await page.getByRole("button", { name: button, exact: true }).click();
  await expect(page.getByRole("dialog", { name: dialog })).toBeVisible();
  await expectNoSeriousViolations(page, where);
  await page.keyboard.press("Escape");
  await expect(page.getByRole("dialog", { name: dialog })).toBeHidden();
}

test("signed out: sign-in, an invitation link and an incomplete one have no serious accessibility violations", async ({ browser, baseURL, request }) => {
  const invitation = await ok<{ id: string; link: string }>(request.post("/api/invitations", { data: { role: "viewer" } }), 201);
  const context = await browser.newContext({ baseURL: baseURL!, storageState: { cookies: [], origins: [] } });
  try {
    const page = await context.newPage();
    await page.goto("/sign-in");
    await expect(page.getByRole("button", { name: "Sign in", exact: true })).toBeVisible();
    await expectNoSeriousViolations(page, "the sign-in page");

    await page.goto(new URL(invitation.link).pathname + new URL(invitation.link).hash);
    await expect(page.getByRole("heading", { name: /^Join / })).toBeVisible();
    await expectNoSeriousViolations(page, "the invitation page");

    await page.goto("/invite");
    await expect(page.getByText("This invitation link is incomplete")).toBeVisible();
    await expectNoSeriousViolations(page, "an incomplete invitation link");
  } finally {
    await context.close();
    // The members page of later specs counts pending invitations.
    expect((await request.delete(`/api/invitations/${invitation.id}`)).status()).toBe(204);
  }
});

test("every page of the app, with the demo pipeline run once, has no serious accessibility violations", async ({ page, request, pipelines }) => {
  test.setTimeout(120_000);
  const demo = await demoPipeline(request, pipelines.create);
  try {
    await page.goto("/");
    await expect(page.getByRole("heading").first()).toBeVisible();
    await expectNoSeriousViolations(page, "home");

    await page.goto("/pipelines");
    await expect(page.getByRole("link", { name: "Demo: revenue by country (accessibility)" })).toBeVisible();
    await expectNoSeriousViolations(page, "pipelines");
    await withDialog(page, "New pipeline", "New pipeline", "pipelines, new pipeline dialog");

    await page.goto("/runs");
    await expect(page.getByTestId("run-row").first()).toBeVisible();
    await expectNoSeriousViolations(page, "runs");

    await page.goto(`/runs/${demo.runId}`);
    await expect(page.getByRole("heading", { name: "What this run wrote" })).toBeVisible();
    await expect(page.getByTestId("node-load")).toHaveAttribute("data-status", "succeeded");
    await expectNoSeriousViolations(page, "a finished run's page");

    await page.goto("/files");
    await expect(page.getByText("a11y-orders.csv").first()).toBeVisible();
    await expectNoSeriousViolations(page, "files");

    await page.goto("/connections");
    await expect(page.getByRole("button", { name: "New connection" })).toBeVisible();
    await expectNoSeriousViolations(page, "connections");
    await withDialog(page, "New connection", "New connection", "connections, new connection dialog");

    await page.goto("/members");
    await expect(page.getByText("Olivia Owner").first()).toBeVisible();
    await expectNoSeriousViolations(page, "members");
    await withDialog(page, "Invite", "Invite someone", "members, invite dialog");

    await page.goto("/tokens");
    await expect(page.getByRole("button", { name: "Create token" })).toBeVisible();
    await expectNoSeriousViolations(page, "API tokens");

    await page.goto("/audit");
    await expect(page.getByTestId("audit-row").first()).toBeVisible();
    await expectNoSeriousViolations(page, "audit log");

    await page.goto("/no-such-page");
    await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
    await expectNoSeriousViolations(page, "not found");
  } finally {
    await demo.cleanUp();
  }
});

test("the editor, with the demo pipeline, a node selected, its inspector and preview, and each drawer open, has no serious accessibility violations", async ({ page, request, pipelines }) => {
  test.setTimeout(120_000);
  const demo = await demoPipeline(request, pipelines.create);
  try {
    await page.goto(`/pipelines/${demo.id}`);
    await expect(nodeCard(page, "load")).toHaveAttribute("data-status", "succeeded");
    await expectNoSeriousViolations(page, "the editor");

    // The demo is wider than the canvas at a readable zoom: as a keyboard user would, focus a node (the canvas pans to
    // it) and select it with Enter.
    const select = async (id: string) => {
      await page.locator(`.react-flow__node[data-id="${id}"]`).focus();
      await page.keyboard.press("Enter");
    };
    await select("join");
    await expect(page.getByRole("complementary", { name: "Inspector" })).toBeVisible();
    await expect(page.getByTestId("preview-row-count")).toBeVisible();
    await expectNoSeriousViolations(page, "the editor, a join selected with its inspector and preview");

    await select("has_amount");
    await expect(page.getByTestId("preview-row-count")).toBeVisible();
    await expectNoSeriousViolations(page, "the editor, a filter selected");

    // The sink's connection picker, and the Connections page's form it opens in place.
    await select("load");
    await withDialog(page, "New connection…", "New PostgreSQL connection", "the editor, a new connection from the sink's picker");

    for (const [button, drawer] of [["Parameters", "Parameters"], ["Schedules", "Schedules"], ["History", "Version history"]] as const) {
      await page.getByRole("button", { name: button, exact: true }).click();
      await expect(page.getByRole("complementary", { name: drawer })).toBeVisible();
      await expectNoSeriousViolations(page, `the editor, ${drawer} open`);
      await page.getByRole("button", { name: button, exact: true }).click();
      await expect(page.getByRole("complementary", { name: drawer })).toBeHidden();
    }

    await page.keyboard.press("Control+s");
    await expect(page.getByRole("dialog", { name: "Save a new version" })).toBeVisible();
    await expectNoSeriousViolations(page, "the editor, save dialog");
  } finally {
    await demo.cleanUp();
  }
});

test("keyboard alone: Tab to a node shows a focus ring, Enter selects it, C lists where it can connect, Enter connects, and Ctrl+Z undoes it", async ({ page, request, pipelines }) => {
  const p = await pipelines.create("Connected by keyboard");
  const graph = {
    formatVersion: 1,
    nodes: [
      { id: "people", type: "inline", label: "People", position: { x: 0, y: 0 }, config: { columns: [{ name: "name", type: "string" }], rows: [["Ada"]] } },
      { id: "keep", type: "filter", label: "Keep some", position: { x: 300, y: 0 }, config: { condition: { kind: "group", op: "and", conditions: [] } } },
      { id: "out", type: "file-sink", label: "People file", position: { x: 600, y: 0 }, config: { name: "people", format: "csv" } },
    ],
    edges: [],
  };
  await ok(request.put(`/api/pipelines/${p.id}`, { data: { baseVersion: 1, graph } }), 200);
  await page.goto(`/pipelines/${p.id}`);
  await expect(nodeCard(page, "people")).toBeVisible();

  // Tab through the page until the People node has the focus, as a keyboard user would.
  const focusedNode = () => page.evaluate(() => (document.activeElement as HTMLElement | null)?.closest(".react-flow__node")?.getAttribute("data-id") ?? null);
  for (let i = 0; i < 120 && (await focusedNode()) !== "people"; i++) await page.keyboard.press("Tab");
  expect(await focusedNode()).toBe("people");
  const node = page.locator('.react-flow__node[data-id="people"]');
  // What a screen reader announces: the node's name and type.
  await expect(page.getByRole("group", { name: "People, Inline table" })).toBeFocused();
  const ring = await node.evaluate((el) => getComputedStyle(el));
  expect(ring.outlineStyle).toBe("solid");
  expect(Number.parseFloat(ring.outlineWidth)).toBeGreaterThanOrEqual(2);
  await expectNoSeriousViolations(page, "the editor, a node focused");

  await page.keyboard.press("Enter");
  const inspector = page.getByRole("complementary", { name: "Inspector" });
  await expect(inspector).toBeVisible();
  await expect(inspector.getByRole("button", { name: /Connect to/ })).toHaveAttribute("title", /\(C\)/);

  // The arrow keys move the selected node a grid step, and Ctrl+Z puts it back: each press is one undo step.
  const at = () => node.evaluate((el) => (el as HTMLElement).style.transform);
  const start = await at();
  await page.keyboard.press("ArrowDown");
  await expect.poll(at).not.toBe(start);
  await page.keyboard.press("Control+z");
  await expect.poll(at).toBe(start);

  await page.keyboard.press("c");
  const dialog = page.getByRole("dialog", { name: "Connect People" });
  await expect(dialog).toBeVisible();
  const list = dialog.getByRole("listbox", { name: "Connections for People" });
  await expect(list.getByRole("option")).toHaveText(["to Keep some", "to People file"]);
  await expectNoSeriousViolations(page, "the editor, the connect dialog");
  await page.keyboard.type("file");
  await expect(list.getByRole("option")).toHaveText(["to People file"]);
  await page.keyboard.press("Backspace");
  await page.keyboard.press("Backspace");
  await page.keyboard.press("Backspace");
  await page.keyboard.press("Backspace");
  await page.keyboard.press("ArrowDown");
  await expect(list.getByRole("option", { selected: true })).toHaveText("to People file");
  await page.keyboard.press("ArrowUp");
  await page.keyboard.press("Enter");
  await expect(dialog).toBeHidden();
  await expect(page.locator(".react-flow__edge")).toHaveCount(1);
  await expect(page.getByRole("status").filter({ hasText: "Connected People to Keep some." })).toBeVisible();
  await expect(page.getByTestId("dirty-marker")).toBeVisible();

  // Back on the node: the next connection is one more C away, and the one made is one undo step.
  expect(await focusedNode()).toBe("people");
  await page.keyboard.press("c");
  await expect(list.getByRole("option")).toHaveText(["to People file"]);
  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();
  await page.keyboard.press("Control+z");
  await expect(page.locator(".react-flow__edge")).toHaveCount(0);

  // The toolbar's problems (the filter and the sink have no input), listed in its popover.
  await page.getByRole("button", { name: /problems?/ }).click();
  await expect(page.getByRole("dialog", { name: "Problems" })).toBeVisible();
  await expectNoSeriousViolations(page, "the editor, the problems popover");
});
