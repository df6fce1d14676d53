import { createHmac, timingSafeEqual } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import { SMTPServer } from "smtp-server";
import { createTestApp, type TestApp } from "../testing/test-app.ts";
import { waitForRun } from "../testing/wait-for-run.ts";
import { slowPipelineGraph } from "../testing/slow-pipeline.ts";
import { BUILT_IN_CONNECTION_ID } from "../connections/connection.repository.ts";

/**
 * Notifications against real receivers: an HTTP server on a free loopback port that checks each webhook's
 * signature as docs/notifications.md tells receivers to, and an SMTP server (smtp-server) for the mails; the runs
 * are real (DuckDB, and the built-in PostgreSQL warehouse as target).
 */
interface Hook {
  path: string;
  headers: http.IncomingHttpHeaders;
  raw: string;
  body: { event: string; run: { id: string; status: string; url: string; error: string | null } | null; warnings: { rule: string }[]; summary: string; text?: string };
  signatureOk: boolean;
}
interface Mail {
  to: string[];
  raw: string;
}

let t: TestApp;
let receiver: http.Server;
let smtp: SMTPServer;
let base = "";
let downUrl = "";
const hooks: Hook[] = [];
const mails: Mail[] = [];
/** The secret each webhook path was created with, as a receiver would keep it. */
const secrets = new Map<string, string>();

/** How docs/notifications.md says to verify a request: HMAC-SHA256 of `<timestamp>.<raw body>`, compared in constant time. */
function verify(secret: string, headers: http.IncomingHttpHeaders, raw: string): boolean {
  const timestamp = String(headers["x-sluice-timestamp"] ?? "");
  const signature = String(headers["x-sluice-signature"] ?? "");
  if (Math.abs(Date.now() / 1000 - Number(timestamp)) > 300) return false;
  const expected = Buffer.from(`v1=${createHmac("sha256", secret).update(`${timestamp}.${raw}`).digest("hex")}`);
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

const decodeQuotedPrintable = (s: string) =>
  Buffer.from(s.replace(/=\r?\n/g, "").replace(/=([0-9A-F]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16))), "latin1").toString("utf8");

async function until<T>(what: string, get: () => T | undefined | Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await get();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

beforeAll(async () => {
  receiver = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const raw = Buffer.concat(chunks).toString("utf8");
      const path = req.url ?? "";
      const secret = secrets.get(path);
      hooks.push({ path, headers: req.headers, raw, body: JSON.parse(raw) as Hook["body"], signatureOk: secret !== undefined && verify(secret, req.headers, raw) });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  // A receiver that is down: a port that was just free and is closed again.
  const gone = http.createServer();
  await new Promise<void>((resolve) => gone.listen(0, "127.0.0.1", resolve));
  downUrl = `http://127.0.0.1:${(gone.address() as AddressInfo).port}/down`;
  await new Promise<void>((resolve) => gone.close(() => resolve()));

  smtp = new SMTPServer({
    disabledCommands: ["STARTTLS", "AUTH"],
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        mails.push({ to: session.envelope.rcptTo.map((r) => r.address), raw: decodeQuotedPrintable(Buffer.concat(chunks).toString("utf8")) });
        cb();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, "127.0.0.1", () => resolve()));
  t = await createTestApp({
    startWorker: true,
    // The administrator lets notifications reach this machine's loopback receivers (and nothing else private).
    httpAllowlist: ["127.0.0.1"],
    network: { listenHost: "127.0.0.1", publicUrl: "http://sluice.example.test:8080" },
    invitations: { smtp: { url: `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`, from: "Sluice <sluice@sluice.test>" } },
    notifications: { retryDelaysMs: [100, 200], longRunningCheckMs: 200 },
  });
}, 60_000);

afterAll(async () => {
  await t?.close();
  await new Promise<void>((resolve) => (receiver ? receiver.close(() => resolve()) : resolve()));
  await new Promise<void>((resolve) => (smtp ? smtp.close(() => resolve()) : resolve()));
});

/** Inline rows into a warehouse table; mode "create" fails once the table exists, which is how runs fail here. */
function graphInto(table: string, mode: "create" | "replace", extra: { nodes?: object[]; edges?: object[]; sinkFrom?: string } = {}) {
  return {
    formatVersion: 1,
    nodes: [
      { id: "src", type: "inline", position: { x: 0, y: 0 }, config: { columns: [{ name: "id", type: "integer" }, { name: "amount", type: "integer" }], rows: [[1, 5], [2, 500]] } },
      { id: "sink", type: "postgres-sink", position: { x: 600, y: 0 }, config: { connectionId: BUILT_IN_CONNECTION_ID, schema: "warehouse", table, mode } },
      ...(extra.nodes ?? []),
    ],
    edges: extra.edges ?? [{ id: "e1", source: "src", target: "sink" }],
  };
}

async function createPipeline(name: string, graph: object): Promise<string> {
  const res = await request(t.app).post("/api/pipelines").send({ name, graph });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.id as string;
}

async function runToEnd(pipelineId: string) {
  const start = await request(t.app).post(`/api/pipelines/${pipelineId}/runs`).send({});
  expect(start.status, JSON.stringify(start.body)).toBe(202);
  return waitForRun(t.app, start.body.runId as string);
}

async function addWebhook(path: string, body: object) {
  const res = await request(t.app).post("/api/notification-channels").send({ kind: "webhook", url: `${base}${path}`, ...body });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  expect(res.body.secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
  secrets.set(path, res.body.secret as string);
  return res.body as { id: string; secret: string };
}

const hooksAt = (path: string, event?: string) => hooks.filter((h) => h.path === path && (!event || h.body.event === event));

describe("notifications", () => {
  it("a failing run sends a signed webhook and an e-mail that real receivers get; the next success after it is reported once as recovered", async () => {
    const pipelineId = await createPipeline("Orders load", graphInto("notify_orders", "create"));
    await addWebhook("/orders", { name: "Ops webhook", pipelineId, events: ["run.failed", "run.recovered"] });
    const mail = await request(t.app).post("/api/notification-channels").send({ kind: "email", name: "On-call mail", recipients: ["oncall@sluice.test"], events: ["run.failed"] });
    expect(mail.status, JSON.stringify(mail.body)).toBe(201);
    expect(mail.body.secret).toBeNull();

    expect((await runToEnd(pipelineId)).status).toBe("succeeded"); // creates the table
    const failed = await runToEnd(pipelineId); // the table exists now: mode create fails
    expect(failed.status).toBe("failed");

    const hook = await until("the failure webhook", () => hooksAt("/orders", "run.failed")[0]);
    expect(hook.signatureOk).toBe(true);
    expect(hook.headers["content-type"]).toBe("application/json");
    expect(hook.headers["x-sluice-event"]).toBe("run.failed");
    expect(hook.body.run).toMatchObject({ id: failed.id, status: "failed", url: `http://sluice.example.test:8080/runs/${failed.id}` });
    expect(hook.body.run!.error).toBe(failed.error);
    expect(hook.body.summary).toContain('Run of "Orders load" failed');
    // Signed with this channel's secret only: another secret does not verify it.
    expect(verify("whsec_other", hook.headers, hook.raw)).toBe(false);

    const got = await until("the failure mail", () => mails.find((m) => m.to.includes("oncall@sluice.test")));
    // The subject has quotes, so it comes as RFC 2047 encoded words ("_" for spaces).
    expect(got.raw).toMatch(/^Subject: =\?UTF-8\?Q\?\[Sluice\]_Run_of_"Orders_load"_fa/m);
    expect(got.raw).toContain('Run of "Orders load" failed: ');
    expect(got.raw).toContain(`http://sluice.example.test:8080/runs/${failed.id}`);

    // Fixed (replace instead of create): the first success is "recovered", the second one is not.
    const put = await request(t.app).put(`/api/pipelines/${pipelineId}`).send({ baseVersion: 1, graph: graphInto("notify_orders", "replace") });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    const fixed = await runToEnd(pipelineId);
    expect(fixed.status).toBe("succeeded");
    const recovered = await until("the recovered webhook", () => hooksAt("/orders", "run.recovered")[0]);
    expect(recovered.signatureOk).toBe(true);
    expect(recovered.body.run!.id).toBe(fixed.id);
    const again = await runToEnd(pipelineId);
    expect(again.status).toBe("succeeded");
    // The worker has finished with `again` (its status is recorded before notifications start): give them time to show.
    await new Promise((r) => setTimeout(r, 1500));
    expect(hooksAt("/orders", "run.recovered")).toHaveLength(1);
    expect(hooksAt("/orders", "run.failed")).toHaveLength(1);
    expect(await t.db.notificationDelivery.count({ where: { runId: again.id } })).toBe(0);

    const list = await request(t.app).get(`/api/notification-channels?pipelineId=${pipelineId}`);
    expect(list.status).toBe(200);
    expect(list.body.channels).toHaveLength(1);
    expect(list.body.channels[0]).toMatchObject({ name: "Ops webhook", target: `${base}/orders`, lastDelivery: { event: "run.recovered", status: "delivered", attempts: 1 } });
    expect(JSON.stringify(list.body)).not.toContain(secrets.get("/orders"));
  });

  it("reports a check node's warnings; a receiver that is down is retried and does not change the run", async () => {
    const check = { id: "check", type: "check", position: { x: 300, y: 0 }, config: { rules: [{ kind: "range", column: "amount", min: 0, max: 100, severity: "warn" }] } };
    const edges = [{ id: "e1", source: "src", target: "check" }, { id: "e2", source: "check", target: "sink" }];
    const pipelineId = await createPipeline("Amounts", graphInto("notify_amounts", "replace", { nodes: [check], edges }));
    await addWebhook("/quality", { name: "Quality", pipelineId, events: ["run.quality_warning"] });
    const down = await request(t.app).post("/api/notification-channels").send({ kind: "webhook", url: downUrl, name: "Down", pipelineId, events: ["run.quality_warning"] });
    expect(down.status, JSON.stringify(down.body)).toBe(201);

    const run = await runToEnd(pipelineId);
    expect(run.status).toBe("succeeded");
    const hook = await until("the quality webhook", () => hooksAt("/quality", "run.quality_warning")[0]);
    expect(hook.signatureOk).toBe(true);
    expect(hook.body.warnings.map((w) => w.rule)).toEqual([expect.stringContaining("amount")]);

    const failedDelivery = await until("the failed delivery", async () => (await t.db.notificationDelivery.findFirst({ where: { channelId: down.body.id, status: "failed" } })) ?? undefined);
    expect(failedDelivery.attempts).toBe(3);
    expect(failedDelivery.error).toMatch(/ECONNREFUSED/);
    expect((await waitForRun(t.app, run.id)).status).toBe("succeeded");
    // The worker goes on with the next run.
    expect((await runToEnd(pipelineId)).status).toBe("succeeded");
  });

  it("tells about a run that takes longer than the threshold once, however often the check runs", async () => {
    const pipelineId = await createPipeline("Slow load", slowPipelineGraph("notify_slow", { sleepSeconds: 3 }));
    await addWebhook("/slow", { name: "Slow", pipelineId, events: ["run.long_running"], longRunningMinutes: 1 });
    const start = await request(t.app).post(`/api/pipelines/${pipelineId}/runs`).send({});
    const running = await waitForRun(t.app, start.body.runId as string, ["running"]);
    // Two minutes pass, as far as the run's start time says (the check compares it with the database's clock).
    await t.db.$executeRaw`UPDATE runs SET started_at = started_at - interval '2 minutes' WHERE id = ${running.id}::uuid`;
    const hook = await until("the long-run webhook", () => hooksAt("/slow", "run.long_running")[0]);
    expect(hook.signatureOk).toBe(true);
    expect(hook.body.run).toMatchObject({ id: running.id, status: "running" });
    expect(hook.body.summary).toMatch(/running for 2 min, longer than 1 min/);
    await waitForRun(t.app, running.id);
    await new Promise((r) => setTimeout(r, 600)); // three more checks
    expect(hooksAt("/slow", "run.long_running")).toHaveLength(1);
  });

  it("sends a test notification on request, to a Slack-compatible webhook too, whose URL is never shown again", async () => {
    const slack = await request(t.app).post("/api/notification-channels").send({ kind: "slack", url: `${base}/slack/T000/B000/XXXX`, name: "Team channel", events: ["run.failed"] });
    expect(slack.status, JSON.stringify(slack.body)).toBe(201);
    expect(slack.body.target).toBe(`Slack incoming webhook at ${new URL(base).host}`);
    const test = await request(t.app).post(`/api/notification-channels/${slack.body.id}/test`).send();
    expect(test.status, JSON.stringify(test.body)).toBe(200);
    expect(test.body.delivery).toMatchObject({ event: "test", status: "delivered", attempts: 1, error: null });
    const got = hooks.find((h) => h.path === "/slack/T000/B000/XXXX")!;
    expect(Object.keys(got.body)).toEqual(["text"]);
    expect(got.body.text).toContain('Test notification from Sluice for "Team channel"');
    const list = await request(t.app).get("/api/notification-channels");
    expect(JSON.stringify(list.body)).not.toContain("XXXX");

    // A webhook that authenticates by a query parameter (as Google Chat's do): its value is not shown to the workspace.
    const keyed = await request(t.app).post("/api/notification-channels").send({ kind: "webhook", url: `${base}/chat?space=ops&key=K3Y-VALUE&token=T0K3N-VALUE`, name: "Chat", events: ["run.failed"] });
    expect(keyed.status, JSON.stringify(keyed.body)).toBe(201);
    expect(keyed.body.target).toBe(`${base}/chat?space=ops&key=***&token=***`);
    expect((await request(t.app).post(`/api/notification-channels/${keyed.body.id}/test`).send()).body.delivery).toMatchObject({ status: "delivered" });
    expect(hooks.find((h) => h.path === "/chat?space=ops&key=K3Y-VALUE&token=T0K3N-VALUE")).toBeDefined();
    expect(JSON.stringify((await request(t.app).get("/api/notification-channels")).body)).not.toMatch(/K3Y-VALUE|T0K3N-VALUE/);

    const down = await request(t.app).post("/api/notification-channels").send({ kind: "webhook", url: downUrl, name: "Down test", events: ["run.failed"] });
    const failed = await request(t.app).post(`/api/notification-channels/${down.body.id}/test`).send();
    expect(failed.body.delivery).toMatchObject({ status: "failed", attempts: 1 });
    expect(failed.body.delivery.error).toMatch(/ECONNREFUSED/);
  });

  it("refuses URLs at addresses the administrator has not allowed, and records adding, changing and removing in the audit log", async () => {
    for (const url of ["http://10.0.0.5/hook", "http://169.254.169.254/latest", "http://127.0.0.2:9/x"]) {
      const res = await request(t.app).post("/api/notification-channels").send({ kind: "webhook", url, name: "Internal", events: ["run.failed"] });
      expect(res.status, url).toBe(400);
      expect(res.body.error.code).toBe("NOTIFICATION_ADDRESS_REFUSED");
      expect(res.body.error.message).toMatch(/HTTP_SOURCE_ALLOWLIST/);
    }
    const bad = await request(t.app).post("/api/notification-channels").send({ kind: "webhook", url: "ftp://x", name: "x", events: [] });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/http:\/\/ or https:\/\//);
    expect(bad.body.error.message).toMatch(/choose at least one event/);
    const noMinutes = await request(t.app).post("/api/notification-channels").send({ kind: "webhook", url: `${base}/x`, name: "x", events: ["run.long_running"] });
    expect(noMinutes.status).toBe(400);
    expect(noMinutes.body.error.message).toMatch(/longRunningMinutes/);

    const created = await addWebhook("/audited", { name: "Audited", events: ["run.failed"] });
    const noThreshold = await request(t.app).put(`/api/notification-channels/${created.id}`).send({ events: ["run.failed", "run.long_running"] });
    expect(noThreshold.status).toBe(400);
    expect(noThreshold.body.error.code).toBe("LONG_RUNNING_MINUTES_REQUIRED");
    const changed = await request(t.app).put(`/api/notification-channels/${created.id}`).send({ name: "Audited, renamed", events: ["run.failed", "run.long_running"], longRunningMinutes: 45 });
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    expect(changed.body).toMatchObject({ name: "Audited, renamed", events: ["run.failed", "run.long_running"], longRunningMinutes: 45, target: `${base}/audited` });
    expect(changed.body).not.toHaveProperty("secret");
    expect((await request(t.app).delete(`/api/notification-channels/${created.id}`)).status).toBe(204);
    expect((await request(t.app).delete(`/api/notification-channels/${created.id}`)).status).toBe(404);
    const audit = await t.db.auditEvent.findMany({ where: { resourceId: created.id }, orderBy: { id: "asc" } });
    expect(audit.map((a) => a.action)).toEqual(["notification.created", "notification.changed", "notification.deleted"]);
    expect(JSON.stringify(audit.map((a) => a.details))).not.toContain(created.secret);
    expect(audit[0]!.details).toEqual({ kind: "webhook", events: ["run.failed"], pipelineId: null });
  });
});
