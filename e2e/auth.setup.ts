import { expect, test as setup } from "@playwright/test";
import { expectNoSeriousViolations } from "./axe.ts";
import { OWNER, ownerState } from "./owner.ts";

// A fresh install: the first visit, wherever it goes, offers to create the owner account, then opens the app signed in.
setup("first visit creates the owner account", async ({ page }) => {
  await page.goto("/pipelines");
  await expect(page).toHaveURL(/\/setup/);
  await expect(page.getByRole("button", { name: "Create the owner account" })).toBeVisible();
  // The only time the setup page shows: checked here for accessibility, with every other page in accessibility.spec.ts.
  await expectNoSeriousViolations(page, "the setup page");
  await page.getByLabel("Email").fill(OWNER.email);
  await page.getByLabel("Name").fill(OWNER.name);
  await page.getByLabel("Password", { exact: true }).fill(OWNER.password);
  await page.getByRole("button", { name: "Create the owner account" }).click();
  await expect(page.getByRole("button", { name: `Account: ${OWNER.name}` })).toBeVisible();
  // The install now has its owner: the setup page is not offered again.
  const config = await (await page.request.get("/api/auth/config")).json();
  expect(config.setupRequired).toBe(false);
  await page.context().storageState({ path: ownerState() });
});
