import type { Browser, Page } from "@playwright/test";
import { expect, test } from "./fixtures.ts";
import { OWNER } from "./owner.ts";

/** A new person's own browser, with nobody signed in. */
async function freshBrowser(browser: Browser, baseURL: string): Promise<Page> {
  const context = await browser.newContext({ baseURL, storageState: { cookies: [], origins: [] } });
  return context.newPage();
}

/** The owner invites someone by link, as on the members page: the link is shown once. */
async function inviteLink(owner: Page, role: "Editor" | "Runner" | "Viewer"): Promise<string> {
  await owner.goto("/members");
  await owner.getByRole("button", { name: "Invite", exact: true }).click();
  const dialog = owner.getByRole("dialog");
  await dialog.getByLabel("Role", { exact: true }).selectOption({ label: role });
  await dialog.getByRole("button", { name: "Create invite link" }).click();
  const link = await dialog.getByLabel("Invite link").inputValue();
  expect(link).toMatch(/\/invite#[A-Za-z0-9_-]{40,}$/);
  await dialog.getByRole("button", { name: "Done" }).click();
  return link;
}

/** Opens the invitation in a fresh browser and creates the account it asks for. */
async function join(browser: Browser, baseURL: string, link: string, who: { email: string; name: string }): Promise<Page> {
  const page = await freshBrowser(browser, baseURL);
  await page.goto(link);
  await expect(page.getByRole("heading", { name: "Join Default" })).toBeVisible();
  await page.getByLabel("Email").fill(who.email);
  await page.getByLabel("Name").fill(who.name);
  await page.getByLabel("Password", { exact: true }).fill("a long enough password");
  await page.getByRole("button", { name: "Create account and join" }).click();
  await expect(page.getByRole("button", { name: `Account: ${who.name}` })).toBeVisible();
  return page;
}

test("a team: the owner invites an editor, a viewer and a runner by link; each does what the role allows and no more; the owner sees it all in the audit log", async ({
  page: owner,
  browser,
  baseURL,
  consoleErrors,
}) => {
  test.setTimeout(120_000);
  const editorLink = await inviteLink(owner, "Editor");
  const viewerLink = await inviteLink(owner, "Viewer");
  const runnerLink = await inviteLink(owner, "Runner");
  await expect(owner.getByTestId("invitation-row")).toHaveCount(3);

  // The editor builds a pipeline in the browser and saves it as a new version.
  const editor = await join(browser, baseURL!, editorLink, { email: "edda@sluice.test", name: "Edda Editor" });
  await editor.goto("/pipelines");
  await editor.getByRole("button", { name: "New pipeline" }).click();
  const create = editor.getByRole("dialog", { name: "New pipeline" });
  await create.getByLabel("Name").fill("Team pipeline");
  await create.getByRole("button", { name: "Create" }).click();
  await expect(editor.getByRole("heading", { name: "Team pipeline" })).toBeVisible();
  await editor.getByRole("button", { name: "Add Inline table", exact: true }).click();
  const inspector = editor.getByRole("complementary", { name: "Inspector" });
  await inspector.getByRole("button", { name: "+ Add column", exact: true }).click();
  await inspector.getByRole("group", { name: "Column 1" }).getByLabel("Column name").fill("city");
  await editor.keyboard.press("Tab");
  await inspector.getByRole("button", { name: "+ Add row", exact: true }).click();
  await inspector.getByLabel("city in row 1").fill("Lisbon");
  await editor.keyboard.press("Tab");
  await expect(editor.getByRole("region", { name: "Preview" })).toContainText("Lisbon");
  await editor.keyboard.press("Control+s");
  const save = editor.getByRole("dialog", { name: "Save a new version" });
  await save.getByLabel("What changed (optional)").fill("a first table");
  await save.getByRole("button", { name: "Save version" }).click();
  await expect(editor.getByTestId("editor-version")).toHaveText("v2");
  const pipelineUrl = editor.url();

  // A link used once does not work again.
  const again = await freshBrowser(browser, baseURL!);
  await again.goto(editorLink);
  await expect(again.getByText(/already been used|no longer|used/i).first()).toBeVisible();
  await again.context().close();

  // The viewer opens it and sees its preview, but can neither save nor run it; the server refuses anyway.
  consoleErrors.allow(/status of 403/);
  const viewer = await join(browser, baseURL!, viewerLink, { email: "vic@sluice.test", name: "Vic Viewer" });
  await viewer.goto(pipelineUrl);
  await expect(viewer.getByRole("heading", { name: "Team pipeline" })).toBeVisible();
  await expect(viewer.getByText(/View only/)).toBeVisible();
  await viewer.getByTestId("node-inline").click();
  await expect(viewer.getByRole("region", { name: "Preview" })).toContainText("Lisbon");
  await expect(viewer.getByRole("button", { name: "Save", exact: true })).toBeDisabled();
  const viewerRun = viewer.getByRole("button", { name: "Run", exact: true });
  await expect(viewerRun).toBeDisabled();
  const pipelineId = pipelineUrl.split("/pipelines/")[1]!;
  const refused = await viewer.request.post(`/api/pipelines/${pipelineId}/runs`, { data: {}, headers: { origin: new URL(baseURL!).origin } });
  expect(refused.status()).toBe(403);
  expect((await refused.json()).error.code).toBe("ROLE_FORBIDDEN");

  // The runner runs it; it succeeds.
  const runner = await join(browser, baseURL!, runnerLink, { email: "rue@sluice.test", name: "Rue Runner" });
  await runner.goto(pipelineUrl);
  await expect(runner.getByRole("button", { name: "Save", exact: true })).toBeDisabled();
  await runner.getByRole("button", { name: "Run", exact: true }).click();
  await runner.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Runs" }).click();
  await expect(runner.getByTestId("run-row").filter({ hasText: "Team pipeline" })).toContainText("succeeded", { timeout: 60_000 });

  // The owner sees every one of those actions, by whom.
  await owner.goto("/members");
  await expect(owner.getByLabel("Role of edda@sluice.test")).toHaveValue("editor");
  await expect(owner.getByLabel("Role of vic@sluice.test")).toHaveValue("viewer");
  await expect(owner.getByLabel("Role of rue@sluice.test")).toHaveValue("runner");
  await owner.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Audit" }).click();
  const rows = owner.getByTestId("audit-row");
  const row = (who: string, action: string) => rows.filter({ hasText: who }).filter({ hasText: action });
  await expect(row(OWNER.email, "member.invited")).toHaveCount(3);
  for (const who of ["edda@sluice.test", "vic@sluice.test", "rue@sluice.test"]) await expect(row(who, "member.joined")).toHaveCount(1);
  await expect(row("edda@sluice.test", "pipeline.created")).toHaveCount(1);
  await expect(row("edda@sluice.test", "pipeline.saved")).toHaveCount(1);
  await expect(row("rue@sluice.test", "run.started")).toHaveCount(1);
  await expect(row("vic@sluice.test", "run.started")).toHaveCount(0);
  // Filtered by who: only the runner's entries.
  await owner.getByLabel("Who").fill("rue@");
  await owner.getByRole("button", { name: "Apply filters" }).click();
  await expect(rows.filter({ hasNotText: "rue@sluice.test" })).toHaveCount(0);
  await expect(rows.first()).toBeVisible();

  for (const p of [editor, viewer, runner]) await p.context().close();
});
