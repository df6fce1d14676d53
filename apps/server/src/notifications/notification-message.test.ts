import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { mailSubject, notificationBody, slackText } from "./notification-message.ts";
import { newWebhookSecret, webhookSignature } from "./notification-senders.ts";
import type { RunFacts } from "./notification-run.repository.ts";

const hostile = 'Orders <@here> & "friends"\r\nBcc: victim@example.com';
const run: RunFacts = {
  id: "8e52b00a-880a-4dd8-8133-74c21bc5afda",
  status: "succeeded",
  trigger: "schedule",
  versionNumber: 3,
  error: null,
  rowsRead: 10,
  rowsWritten: 10,
  createdAt: new Date("2026-12-06T10:00:00.000Z"),
  startedAt: new Date("2026-12-06T10:00:01.000Z"),
  finishedAt: new Date("2026-12-06T10:00:03.500Z"),
  pipeline: { id: "p1", name: hostile },
  workspace: { id: "w1", name: "Default" },
  warnings: [{ nodeId: "check <1>", rule: "amount between 0 and 100", message: "1 row out of range <a>", failingRows: 1, rowsChecked: 2 }],
};
const body = notificationBody({
  deliveryId: "d1",
  event: "run.quality_warning",
  channel: { id: "c1", name: "Team", workspaceId: "w1", workspaceName: "Default", longRunningMinutes: null },
  run,
  appUrl: "https://sluice.example.com/",
  now: new Date("2026-12-06T10:00:04.000Z"),
});

describe("notification messages", () => {
  it("carries the run, its link and its warnings as docs/notifications.md lists them", () => {
    expect(body.run).toMatchObject({ id: run.id, url: `https://sluice.example.com/runs/${run.id}`, status: "succeeded", version: 3, durationSeconds: 2.5 });
    expect(body.warnings).toHaveLength(1);
    expect(Object.keys(body)).toEqual(["id", "event", "sentAt", "summary", "channel", "workspace", "pipeline", "run", "warnings", "longRunningMinutes"]);
  });

  it("escapes Slack markup from names and messages, so a pipeline name adds no mention or link", () => {
    const text = slackText(body);
    expect(text).not.toContain("<@here>");
    expect(text).toContain("Orders &lt;@here&gt; &amp;");
    expect(text).toContain("check &lt;1&gt;");
    expect(text).toContain(`<https://sluice.example.com/runs/${run.id}|Open the run in Sluice>`);
  });

  it("escapes the trigger too, which names the upstream pipeline (after: <name>) or the uploaded file", () => {
    const text = slackText({ ...body, run: { ...body.run!, trigger: "after: <!channel> <https://evil.example|Sign in again>" } });
    expect(text).not.toMatch(/<!channel>|<https:\/\/evil/);
    expect(text).toContain("started by after: &lt;!channel&gt; &lt;https://evil.example|Sign in again&gt;");
  });

  it("keeps a mail subject on one line", () => {
    expect(mailSubject(body)).not.toMatch(/[\r\n]/);
    expect(mailSubject(body).startsWith("[Sluice] Run of")).toBe(true);
  });

  it("signs `<timestamp>.<raw body>` with HMAC-SHA256 and a new secret per channel", () => {
    const secret = newWebhookSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(newWebhookSecret()).not.toBe(secret);
    const raw = JSON.stringify(body);
    expect(webhookSignature(secret, 1765000000, raw)).toBe(`v1=${createHmac("sha256", secret).update(`1765000000.${raw}`).digest("hex")}`);
    expect(webhookSignature(secret, 1765000001, raw)).not.toBe(webhookSignature(secret, 1765000000, raw));
  });
});
