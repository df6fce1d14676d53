import { createHmac } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test } from "./fixtures.ts";
import { expectNoSeriousViolations } from "./axe.ts";

/**
 * A workspace-wide webhook channel added on the Notifications page, sent a test notification: a real HTTP server
 * started here receives it, signed with the secret the page showed once, and the page says "delivered".
 * (playwright.config.ts allowlists 127.0.0.1 for the server, as an administrator would.)
 */
test("add a webhook channel, send a test notification, see it delivered, then make it listen to long runs", async ({ page, request, consoleErrors }) => {
  consoleErrors.allow(/status of 400/);
  const received: { headers: http.IncomingHttpHeaders; raw: string }[] = [];
  const receiver = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      received.push({ headers: req.headers, raw: Buffer.concat(chunks).toString("utf8") });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/sluice`;
  const name = `E2E hook ${Date.now()}`;
  try {
    await page.goto("/notifications");
    await expect(page.getByRole("heading", { name: "Notifications", level: 1 })).toBeVisible();
    const form = page.getByRole("form", { name: "Add a notification channel" });
    await form.getByLabel("Channel name").fill(name);
    // A refused address is explained, and the explanation goes once another kind of channel is chosen.
    await form.getByLabel("Webhook URL").fill("http://169.254.169.254/latest");
    await form.getByRole("button", { name: "Add channel" }).click();
    await expect(form.getByText("is a cloud metadata address")).toBeVisible();
    await form.getByLabel("Send by").selectOption("slack");
    await expect(form.getByText("is a cloud metadata address")).toHaveCount(0);
    await form.getByLabel("Send by").selectOption("webhook");
    await form.getByLabel("Webhook URL").fill(url);
    await form.getByRole("button", { name: "Add channel" }).click();

    const secret = (await page.getByTestId("webhook-secret").textContent())!;
    expect(secret).toMatch(/^whsec_/);
    await page.getByRole("button", { name: "Done" }).click();
    await expect(page.getByTestId("webhook-secret")).toHaveCount(0);

    const channel = page.getByTestId("notification-channel").filter({ hasText: name });
    await expect(channel).toContainText("Nothing sent yet.");
    await channel.getByRole("button", { name: "Send test" }).click();
    await expect(channel.getByTestId("last-delivery")).toContainText("delivered");
    await expectNoSeriousViolations(page, "notifications page with a channel");

    // Listen to long runs too: the threshold appears with the event, and the channel lists it once saved.
    await channel.getByRole("button", { name: `Edit ${name}` }).click();
    const edit = page.getByRole("form", { name: `Edit ${name}` });
    await edit.getByLabel("A run is taking long").check();
    await edit.getByLabel("Long means more than (minutes)").fill("45");
    await edit.getByRole("button", { name: "Save channel" }).click();
    await expect(channel).toContainText("A run is taking long (over 45 min)");
    await expect(channel.getByTestId("last-delivery")).toContainText("delivered");

    expect(received).toHaveLength(1);
    const { headers, raw } = received[0]!;
    expect(JSON.parse(raw)).toMatchObject({ event: "test", channel: { name } });
    const timestamp = String(headers["x-sluice-timestamp"]);
    expect(headers["x-sluice-signature"]).toBe(`v1=${createHmac("sha256", secret).update(`${timestamp}.${raw}`).digest("hex")}`);
  } finally {
    const list = await request.get("/api/notification-channels");
    for (const c of ((await list.json()) as { channels: { id: string; name: string }[] }).channels.filter((c) => c.name === name)) {
      await request.delete(`/api/notification-channels/${c.id}`);
    }
    await new Promise<void>((resolve) => receiver.close(() => resolve()));
  }
});
