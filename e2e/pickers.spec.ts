import type { APIRequestContext, Page } from "@playwright/test";
import pg from "pg";
import { expect, test } from "./fixtures.ts";
import { databaseUrl } from "./e2e-database.ts";
import { expectNoSeriousViolations } from "./axe.ts";
import { selectNode } from "./editor-helpers.ts";

// Connections and files from where a node needs them: made in place, listed when made elsewhere, told apart by
// more than their names, and an upload of a name that exists asks first.

type Node = { id: string; type: string; config: Record<string, unknown> };
async function savedPipeline(request: APIRequestContext, pipelines: { create(name: string): Promise<{ id: string }> }, name: string, node: Node) {
  const p = await pipelines.create(name);
  const graph = { formatVersion: 1, nodes: [{ ...node, position: { x: 0, y: 0 } }], edges: [] };
  expect((await request.put(`/api/pipelines/${p.id}`, { data: { baseVersion: 1, graph } })).status()).toBe(200);
  return p;
}
const sinkNode: Node = { id: "out", type: "postgres-sink", config: { connectionId: "", schema: "public", table: "picked", mode: "create", keys: [] } };
const inspectorOf = (page: Page) => page.getByRole("complementary", { name: "Inspector" });
async function fillConnection(dialog: ReturnType<Page["getByRole"]>, name: string) {
  await dialog.getByLabel("Name").fill(name);
  await dialog.getByLabel("Host").fill("127.0.0.1");
  await dialog.getByLabel("Port").fill("5432");
  await dialog.getByLabel("Database").fill("postgres");
  await dialog.getByLabel("User").fill("postgres");
  await dialog.getByRole("button", { name: "Create connection" }).click();
  await expect(dialog).toBeHidden();
}
async function deleteConnection(request: APIRequestContext, name: string) {
  const list = (await (await request.get("/api/connections")).json()) as { connections: { id: string; name: string }[] };
  for (const c of list.connections.filter((x) => x.name === name)) expect((await request.delete(`/api/connections/${c.id}`)).status()).toBe(204);
}

test("the Postgres sink's picker makes a new connection in place, with the Connections page's form, and chooses it", async ({ page, request, pipelines }) => {
  const p = await savedPipeline(request, pipelines, "Sink with a new connection", sinkNode);
  await page.goto(`/pipelines/${p.id}`);
  await selectNode(page, "out");
  const inspector = inspectorOf(page);
  await inspector.getByRole("button", { name: "New connection…" }).click();
  const dialog = page.getByRole("dialog", { name: "New PostgreSQL connection" });
  // The node reads PostgreSQL: no kind to choose.
  await expect(dialog.getByLabel("Kind")).toHaveCount(0);
  await expectNoSeriousViolations(page, "editor, New connection dialog from the sink's picker");
  await fillConnection(dialog, "Made from the sink");
  await expect(inspector.getByLabel("Connection", { exact: true }).locator("option:checked")).toHaveText("Made from the sink");
  await expect(inspector.getByText("Choose a database connection.")).toHaveCount(0);
  await deleteConnection(request, "Made from the sink");
});

test("a picker lists a connection made in another tab, without a reload", async ({ page, context, request, pipelines }) => {
  const p = await savedPipeline(request, pipelines, "Sink, connection from another tab", sinkNode);
  await page.goto(`/pipelines/${p.id}`);
  await selectNode(page, "out");
  const picker = inspectorOf(page).getByLabel("Connection", { exact: true });
  await expect(picker.locator("option", { hasText: "Made in another tab" })).toHaveCount(0);

  const other = await context.newPage();
  await other.goto("/connections");
  await other.getByRole("button", { name: "New connection" }).click();
  await fillConnection(other.getByRole("dialog", { name: "New connection" }), "Made in another tab");
  await expect(picker.locator("option", { hasText: "Made in another tab" })).toHaveCount(1);
  await other.close();
  await deleteConnection(request, "Made in another tab");
});

test("the file picker tells apart files of the same name, and its upload asks about a name that exists", async ({ page, request, pipelines }) => {
  const up = async (content: string, onExists = "") => {
    const res = await request.post(`/api/files${onExists}`, { multipart: { file: { name: "twin.csv", mimeType: "text/csv", buffer: Buffer.from(content) } } });
    expect(res.status(), await res.text()).toBe(201);
    return ((await res.json()) as { id: string }).id;
  };
  const first = await up("a,b\n1,2\n3,4\n5,6\n", "?onExists=replace");
  const second = await up("a,b\n7,8\n", "?onExists=keep-both");
  // As an install from before names were checked may hold them: two files named alike.
  const db = new pg.Client({ connectionString: databaseUrl(process.env.SLUICE_E2E_DB!) });
  await db.connect();
  await db.query("UPDATE data_files SET original_name = 'twin.csv' WHERE id = $1", [second]).finally(() => db.end());

  const p = await savedPipeline(request, pipelines, "Reads a twin", { id: "src", type: "file", config: { fileId: first } });
  await page.goto(`/pipelines/${p.id}`);
  await selectNode(page, "src");
  const inspector = inspectorOf(page);
  const picker = inspector.getByLabel("File", { exact: true });
  const twins = picker.locator("option", { hasText: /^twin\.csv / });
  await expect(twins).toHaveCount(2);
  const [a, b] = await twins.allTextContents();
  expect(a).not.toBe(b);
  await expect(picker.locator(`option[value="${first}"]`)).toHaveText(/twin\.csv \(csv, 2 columns\) · 3 rows · \d+ B · uploaded /);
  await expect(picker.locator(`option[value="${second}"]`)).toHaveText(/· 1 row · /);
  await expect(inspector.getByTestId("chosen-file-facts")).toHaveText(/^2 columns · 3 rows · \d+ B · uploaded /);
  await expectNoSeriousViolations(page, "editor, file picker with two files of one name");

  await inspector.getByLabel("File to upload").setInputFiles({ name: "twin.csv", mimeType: "text/csv", buffer: Buffer.from("a,b\n9,9\n") });
  const ask = page.getByRole("dialog", { name: "A file of this name exists" });
  await ask.getByRole("button", { name: "Keep both" }).click();
  await expect(picker.locator("option:checked")).toHaveText(/^twin \(2\)\.csv /);
});

test("uploading a name that exists on the Files page asks: replace (naming the pipelines that read it), keep both or cancel", async ({ page, request, pipelines }) => {
  await page.goto("/files");
  const choose = (content: string) => page.getByLabel("Files to upload").setInputFiles({ name: "asked.csv", mimeType: "text/csv", buffer: Buffer.from(content) });
  const uploads = page.getByRole("list", { name: "Uploads" });
  const rows = page.getByTestId("file-row").filter({ hasText: /^asked/ });
  await choose("a,b\n1,2\n");
  await expect(rows).toHaveCount(1);
  const files = (await (await request.get("/api/files")).json()) as { files: { id: string; name: string }[] };
  const id = files.files.find((f) => f.name === "asked.csv")!.id;
  await savedPipeline(request, pipelines, "Reads asked", { id: "src", type: "file", config: { fileId: id } });

  const ask = page.getByRole("dialog", { name: "A file of this name exists" });
  await choose("a,b\n1,2\n3,4\n");
  await expect(ask.getByTestId("replace-used-by")).toContainText("Used by 1 pipeline (“Reads asked”)");
  await expectNoSeriousViolations(page, "files, asked what to do with a name that exists");
  await ask.getByRole("button", { name: "Replace" }).click();
  await expect(uploads).toContainText("replaced");
  await expect(rows).toHaveCount(1);
  await expect(rows.first().locator("td").nth(3)).toHaveText("2");
  expect(((await (await request.get(`/api/files/${id}`)).json()) as { rowCount: number }).rowCount).toBe(2);

  await choose("a,b\n5,6\n");
  await ask.getByRole("button", { name: "Keep both" }).click();
  await expect(page.getByTestId("file-row").filter({ hasText: "asked (2).csv" })).toHaveCount(1);
  await expect(uploads).toContainText("uploaded as asked (2).csv");

  await choose("a,b\n7,8\n");
  await ask.getByRole("button", { name: "Cancel" }).click();
  await expect(uploads).toContainText("not uploaded");
  await expect(rows).toHaveCount(2);
});

test("someone whose role may not create connections sees the picker's New connection… off, and why", async ({ browser, baseURL, request, pipelines }) => {
  const p = await savedPipeline(request, pipelines, "Sink seen by a runner", sinkNode);
  const made = await request.post("/api/tokens", { data: { name: "Runner in a browser", role: "runner" } });
  expect(made.status()).toBe(201);
  const token = (await made.json()) as { id: string; token: string };
  const context = await browser.newContext({ baseURL, storageState: { cookies: [], origins: [] }, extraHTTPHeaders: { authorization: `Bearer ${token.token}` } });
  try {
    const page = await context.newPage();
    await page.goto(`/pipelines/${p.id}`);
    await selectNode(page, "out");
    const inspector = inspectorOf(page);
    await expect(inspector.getByRole("button", { name: "New connection…" })).toBeDisabled();
    await expect(inspector.getByTestId("new-connection-refused")).toHaveText("Editors and owners can create connections; you are a runner.");
  } finally {
    await context.close();
    await request.delete(`/api/tokens/${token.id}`);
  }
});

test("an upload whose name someone else took meanwhile is asked about when the server refuses it (409)", async ({ page, request, consoleErrors }) => {
  consoleErrors.allow(/status of 409/);
  await page.goto("/files");
  // Someone else uploads the name after this page listed the files; the page's next look at the list misses it.
  const res = await request.post("/api/files", { multipart: { file: { name: "meanwhile.csv", mimeType: "text/csv", buffer: Buffer.from("a\n1\n") } } });
  expect(res.status()).toBe(201);
  const theirs = ((await res.json()) as { id: string }).id;
  await page.route("**/api/files", async (route) => {
    if (route.request().method() !== "GET") return route.fallback();
    const listed = (await (await route.fetch()).json()) as { files: { name: string }[] };
    return route.fulfill({ json: { files: listed.files.filter((f) => f.name !== "meanwhile.csv") } });
  });
  await page.getByLabel("Files to upload").setInputFiles({ name: "meanwhile.csv", mimeType: "text/csv", buffer: Buffer.from("a\n2\n3\n") });
  const ask = page.getByRole("dialog", { name: "A file of this name exists" });
  await ask.getByRole("button", { name: "Replace" }).click();
  await expect(page.getByRole("list", { name: "Uploads" })).toContainText("replaced");
  expect(((await (await request.get(`/api/files/${theirs}`)).json()) as { rowCount: number }).rowCount).toBe(2);
});
