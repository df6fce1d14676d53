import { test, expect } from "./fixtures.ts";
import { expectNoSeriousViolations } from "./axe.ts";
import { quickPipelineGraph } from "../apps/server/src/testing/quick-pipeline.ts";

test("run on upload: set a file name pattern in the Schedules drawer, and an upload of a matching file starts a run", async ({ page, request }) => {
  const created = await request.post("/api/pipelines", { data: { name: "Watches uploads", graph: quickPipelineGraph("watched") } });
  expect(created.status()).toBe(201);
  const id = ((await created.json()) as { id: string }).id;
  const name = `drop-${Date.now()}.csv`;
  let fileId: string | undefined;
  try {
    await page.goto(`/pipelines/${id}`);
    await page.getByRole("button", { name: "Schedules" }).click();
    const form = page.getByRole("form", { name: "Run when a file is uploaded" });
    await expect(form).toContainText("Not watching uploads");
    await form.getByLabel("File name pattern").fill("drop-*.csv");
    await form.getByRole("button", { name: "Watch" }).click();
    await expect(form).toContainText("Watching uploads named drop-*.csv");
    await expectNoSeriousViolations(page, "the Schedules drawer watching uploads");

    const upload = await request.post("/api/files", { multipart: { file: { name, mimeType: "text/csv", buffer: Buffer.from("id\n1\n") } } });
    expect(upload.status()).toBe(201);
    fileId = ((await upload.json()) as { id: string }).id;
    const runs = await request.get(`/api/runs?pipelineId=${id}`);
    expect(((await runs.json()) as { runs: { trigger: string }[] }).runs.map((r) => r.trigger)).toEqual([`file: ${name}`]);

    await form.getByRole("button", { name: "Stop watching" }).click();
    await expect(form).toContainText("Not watching uploads");
  } finally {
    if (fileId) await request.delete(`/api/files/${fileId}`);
    await request.delete(`/api/pipelines/${id}`);
  }
});
