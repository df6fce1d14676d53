import { expect, test } from "./fixtures.ts";
import { demoFile } from "./demo-data.ts";

test("files: drop to upload with progress, see columns and first rows; a delete is refused with the reason while a pipeline reads the file", async ({ page, request, pipelines, consoleErrors }) => {
  consoleErrors.allow(/status of (409|422)/);
  await page.goto("/files");
  // Drag and drop, as from the desktop.
  const csv = demoFile("customers.csv").buffer.toString("utf8");
  const dataTransfer = await page.evaluateHandle((text) => {
    const dt = new DataTransfer();
    dt.items.add(new File([text], "dropped-customers.csv", { type: "text/csv" }));
    return dt;
  }, csv);
  await page.getByTestId("upload-zone").dispatchEvent("drop", { dataTransfer });
  await expect(page.getByRole("list", { name: "Uploads" })).toContainText("uploaded");
  // And with the file picker.
  await page.getByLabel("Files to upload").setInputFiles({ ...demoFile("orders.csv"), name: "picked-orders.csv" });
  const orders = page.getByTestId("file-row").filter({ hasText: "picked-orders.csv" });
  await expect(orders).toContainText("order_id, customer_id, order_date, amount, status");
  await expect(orders).toContainText("csv");
  // Its size on one line ("1.8 KB", not "1.8" above "KB"): an inline text broken across lines has a box per line.
  expect(await orders.getByTestId("file-size").evaluate((el) => el.getClientRects().length)).toBe(1);
  await page.getByRole("button", { name: "First rows of picked-orders.csv" }).click();
  await expect(page.getByRole("grid", { name: "Rows of picked-orders.csv" })).toContainText("ORD-1001");

  // A broken file is refused with what is wrong.
  await page.getByLabel("Files to upload").setInputFiles({ name: "empty.csv", mimeType: "text/csv", buffer: Buffer.from("") });
  await expect(page.getByRole("alert").filter({ hasText: "empty.csv" })).toBeVisible();

  const files = (await (await request.get("/api/files")).json()) as { files: { id: string; name: string }[] };
  const ordersId = files.files.find((f) => f.name === "picked-orders.csv")!.id;
  const p = await pipelines.create("Reads orders");
  const graph = { formatVersion: 1, nodes: [{ id: "src", type: "file", position: { x: 0, y: 0 }, config: { fileId: ordersId } }], edges: [] };
  expect((await request.put(`/api/pipelines/${p.id}`, { data: { baseVersion: 1, graph } })).status()).toBe(200);

  await page.getByRole("button", { name: "Delete picked-orders.csv" }).click();
  const dialog = page.getByRole("dialog", { name: "Delete file?" });
  await dialog.getByRole("button", { name: "Delete" }).click();
  await expect(dialog.getByRole("alert")).toContainText('"Reads orders"');
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(orders).toHaveCount(1);

  await page.getByRole("button", { name: "Delete dropped-customers.csv" }).click();
  await dialog.getByRole("button", { name: "Delete" }).click();
  await expect(page.getByTestId("file-row").filter({ hasText: "dropped-customers.csv" })).toHaveCount(0);
});

test("connections: create, test, break, edit and delete a Postgres connection; the password is never shown", async ({ page }) => {
  await page.goto("/connections");
  const builtIn = page.getByTestId("connection-row").filter({ hasText: "built-in" });
  await expect(builtIn).toBeVisible();
  await expect(builtIn.getByRole("button", { name: /Delete/ })).toHaveCount(0);

  await page.getByRole("button", { name: "New connection" }).click();
  const form = page.getByRole("dialog", { name: "New connection" });
  await form.getByLabel("Name").fill("Local test database");
  await form.getByLabel("Host").fill("127.0.0.1");
  await form.getByLabel("Port").fill("5432");
  await form.getByLabel("Database").fill("postgres");
  await form.getByLabel("User").fill("postgres");
  await form.getByLabel("Password").fill("not-needed-but-stored");
  await form.getByRole("button", { name: "Create connection" }).click();
  await expect(form).toBeHidden();

  const row = page.getByTestId("connection-row").filter({ hasText: "Local test database" });
  await expect(row).toContainText("password stored");
  await row.getByRole("button", { name: "Test Local test database" }).click();
  await expect(row.getByTestId("connection-test-result")).toContainText("Connected");

  await row.getByRole("button", { name: "Edit Local test database" }).click();
  const edit = page.getByRole("dialog", { name: "Edit connection" });
  await expect(edit.getByLabel("Password")).toHaveValue("");
  await edit.getByLabel("Port").fill("1");
  // A new port is a new server: the stored password is not sent there unless it is typed again.
  await expect(edit.getByText("Enter the password again: it is only sent to the server it was saved for, and the port changed.")).toBeVisible();
  await expect(edit.getByLabel("Password")).toHaveAttribute("required", "");
  await edit.getByLabel("Password").fill("not-needed-but-stored");
  await edit.getByRole("button", { name: "Save connection" }).click();
  await expect(edit).toBeHidden();
  await row.getByRole("button", { name: "Test Local test database" }).click();
  await expect(row.getByTestId("connection-test-result")).not.toContainText("Connected");
  await expect(row.getByTestId("connection-test-result")).toContainText("Nothing is listening on 127.0.0.1:1");

  await row.getByRole("button", { name: "Delete Local test database" }).click();
  await page.getByRole("dialog", { name: "Delete connection?" }).getByRole("button", { name: "Delete" }).click();
  await expect(row).toHaveCount(0);
});

test("API tokens: created with a name, shown once, usable by another system, revoked", async ({ page, playwright, pipelines }) => {
  const p = await pipelines.create("Triggered from outside");
  await page.goto("/tokens");
  await page.getByLabel("Token name").fill("Nightly job");
  await page.getByRole("button", { name: "Create token" }).click();
  const token = (await page.getByTestId("new-token").textContent())!.trim();
  expect(token).toMatch(/^slc_/);
  await page.getByRole("button", { name: "Done" }).click();
  const row = page.getByTestId("token-row").filter({ hasText: "Nightly job" });
  await expect(row).toContainText(token.slice(0, 8));
  await expect(page.getByText(token)).toHaveCount(0);

  // Another system: no browser headers, a bearer token.
  const outside = await playwright.request.newContext({ baseURL: page.url().replace(/\/tokens$/, "") });
  const withToken = await outside.post(`/api/pipelines/${p.id}/runs`, { data: {}, headers: { authorization: `Bearer ${token}` } });
  expect(withToken.status()).toBe(202);
  await row.getByRole("button", { name: "Revoke Nightly job" }).click();
  await expect(row).toContainText("revoked");
  const revoked = await outside.post(`/api/pipelines/${p.id}/runs`, { data: {}, headers: { authorization: `Bearer ${token}` } });
  expect(revoked.status()).toBe(401);
  await outside.dispose();
});
