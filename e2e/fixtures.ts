import { test as base, expect } from "@playwright/test";
import { pipelineDetailSchema, type PipelineDetail } from "@sluice/model";

interface Fixtures {
  /** Console errors and uncaught page errors fail the test unless they match an allowed pattern. */
  consoleErrors: { allow(pattern: RegExp): void };
  /** Creates pipelines through the API; they are deleted when the test ends. */
  pipelines: { create(name: string, description?: string): Promise<PipelineDetail> };
}

export const test = base.extend<Fixtures>({
  // Setting data up through the API, as automation does: with the owner's API token, not the browser's cookie.
  request: async ({ playwright, baseURL }, use) => {
    const api = await playwright.request.newContext({ baseURL: baseURL!, extraHTTPHeaders: { authorization: `Bearer ${process.env.SLUICE_E2E_OWNER_TOKEN}` } });
    await use(api);
    await api.dispose();
  },
  consoleErrors: [
    async ({ page }, use) => {
      const seen: string[] = [];
      const allowed: RegExp[] = [];
      page.on("console", (m) => {
        if (m.type() === "error") seen.push(m.text());
      });
      page.on("pageerror", (e) => seen.push(`uncaught: ${e.message}`));
      // Names the request behind a "Failed to load resource" line, so a server fault is easy to find.
      page.on("response", (r) => {
        if (r.status() >= 500) seen.push(`${r.request().method()} ${r.url()} answered ${r.status()}`);
      });
      await use({ allow: (pattern) => void allowed.push(pattern) });
      expect(seen.filter((text) => !allowed.some((a) => a.test(text))), "console errors").toEqual([]);
    },
    { auto: true },
  ],
  pipelines: async ({ request }, use) => {
    const made: string[] = [];
    await use({
      async create(name, description = "") {
        const res = await request.post("/api/pipelines", { data: { name, description } });
        expect(res.status(), await res.text()).toBe(201);
        const p = pipelineDetailSchema.parse(await res.json());
        made.push(p.id);
        return p;
      },
    });
    // A run that just finished may still be settling (409 "run in progress"): wait for it, so no test leaves
    // a pipeline behind for the next one, and say so if one cannot be deleted.
    for (const id of made) {
      let status = 0;
      for (let i = 0; i < 60; i++) {
        status = (await request.delete(`/api/pipelines/${id}`)).status();
        if (status !== 409) break;
        await new Promise((r) => setTimeout(r, 250));
      }
      expect([204, 404], `deleting pipeline ${id} after the test`).toContain(status);
    }
  },
});

export { expect };
