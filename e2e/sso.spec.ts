import type { Browser } from "@playwright/test";
import { expect, test } from "./fixtures.ts";
import { SSO_ACCOUNTS } from "./owner.ts";

async function signedOut(browser: Browser, baseURL: string) {
  const context = await browser.newContext({ baseURL, storageState: { cookies: [], origins: [] } });
  return context.newPage();
}

test("single sign-on through a real OpenID Connect provider: the first sign-in creates the account with the default role; another email domain is refused", async ({
  browser,
  baseURL,
  request,
}) => {
  const sam = SSO_ACCOUNTS[0]!;
  const page = await signedOut(browser, baseURL!);
  await page.goto("/runs");
  await expect(page).toHaveURL(/\/sign-in/);
  await page.getByRole("link", { name: "Sign in with Test SSO" }).click();
  // The provider's own sign-in page, on its own origin.
  await expect(page).toHaveURL(/127\.0\.0\.1:\d+\/interaction\//);
  await page.getByLabel("Login").fill(sam.id);
  await page.getByRole("button", { name: "Sign in" }).click();
  // Back in Sluice, signed in, on the page first asked for.
  await expect(page.getByRole("button", { name: `Account: ${sam.name}` })).toBeVisible();
  await expect(page).toHaveURL(/\/runs$/);
  const members = (await (await request.get("/api/members")).json()) as { members: { email: string; role: string }[] };
  expect(members.members.find((m) => m.email === sam.email)?.role).toBe("runner");
  const audit = (await (await request.get(`/api/audit?action=sign_in.sso`)).json()) as { events: { actorLabel: string }[] };
  expect(audit.events.map((e) => e.actorLabel)).toContain(sam.email);

  // Someone the provider knows, but from a domain this Sluice does not allow.
  const eve = SSO_ACCOUNTS[1]!;
  const other = await signedOut(browser, baseURL!);
  await other.goto("/sign-in");
  await other.getByRole("link", { name: "Sign in with Test SSO" }).click();
  await other.getByLabel("Login").fill(eve.id);
  await other.getByRole("button", { name: "Sign in" }).click();
  await expect(other).toHaveURL(/\/sign-in\?.*error=SSO_DOMAIN_NOT_ALLOWED/);
  await expect(other.getByText("Accounts of your email's domain may not sign in to this Sluice.", { exact: false })).toBeVisible();
  const after = (await (await request.get("/api/members")).json()) as { members: { email: string }[] };
  expect(after.members.map((m) => m.email)).not.toContain(eve.email);

  await page.context().close();
  await other.context().close();
});
