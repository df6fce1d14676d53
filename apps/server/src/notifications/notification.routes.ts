import {
  createdNotificationChannelSchema,
  createNotificationChannelRequestSchema,
  notificationChannelIdParamsSchema,
  notificationChannelListQuerySchema,
  notificationChannelListSchema,
  notificationChannelSchema,
  notificationTestResultSchema,
  updateNotificationChannelRequestSchema,
  type NotificationChannelInfo,
} from "@sluice/model";
import { checkPostTarget } from "@sluice/engine";
import type { Deps } from "../http/deps.ts";
import { AppError, notFound } from "../http/app-error.ts";
import { defineRoute } from "../http/route.ts";
import { workspaceOf } from "../auth/request-auth.ts";
import { recordAudit } from "../audit/audit.repository.ts";
import { newWebhookSecret } from "./notification-senders.ts";
import type { ChannelTarget } from "./notification-channel.repository.ts";

/** What the audit log keeps of a channel: never its URL (a Slack URL is a password) nor its secret. */
const auditOf = (c: NotificationChannelInfo) => ({
  resourceType: "notification",
  resourceId: c.id,
  resourceLabel: c.name,
  details: { kind: c.kind, events: c.events, pipelineId: c.pipelineId, ...(c.longRunningMinutes !== null ? { longRunningMinutes: c.longRunningMinutes } : {}) },
});

/** A webhook or Slack URL a member typed must lead where the server may call (the HTTP source's address rule). */
async function checkUrl(url: string, deps: Pick<Deps, "notifications">) {
  const verdict = await checkPostTarget(new URL(url), deps.notifications.httpGuard);
  if (!verdict.ok) throw new AppError(400, verdict.code === "HTTP_DNS_FAILED" ? "NOTIFICATION_HOST_UNKNOWN" : "NOTIFICATION_ADDRESS_REFUSED", verdict.message, { field: "url" });
}

export const notificationRoutes = (deps: Pick<Deps, "transaction" | "pipelines" | "notifications">) => [
  defineRoute({
    method: "get",
    path: "/notification-channels",
    tag: "notifications",
    action: "workspace.read",
    summary: "The workspace's notification channels (or one pipeline's, with ?pipelineId=), each with its last delivery; never a secret",
    query: notificationChannelListQuerySchema,
    response: notificationChannelListSchema,
    handler: async ({ query, auth }) => {
      const channels = await deps.notifications.channels.list(workspaceOf(auth), query.pipelineId);
      return { body: { channels, emailAvailable: deps.notifications.senders.emailAvailable } };
    },
  }),
  defineRoute({
    method: "post",
    path: "/notification-channels",
    tag: "notifications",
    action: "notification.edit",
    summary: "Add a notification channel (webhook, Slack incoming webhook or e-mail) for a pipeline or the whole workspace; a webhook's signing secret is in this answer only",
    body: createNotificationChannelRequestSchema,
    response: createdNotificationChannelSchema,
    status: 201,
    errors: [400, 404],
    handler: async ({ body, auth }) => {
      const workspaceId = workspaceOf(auth);
      if (body.pipelineId !== null && !(await deps.pipelines.get(workspaceId, body.pipelineId))) throw notFound("pipeline", body.pipelineId);
      let target: ChannelTarget;
      if (body.kind === "email") {
        if (!deps.notifications.senders.emailAvailable) {
          throw new AppError(400, "EMAIL_NOT_CONFIGURED", "E-mail is not set up on this server: an administrator sets SMTP_URL and SMTP_FROM (docs/notifications.md). Use a webhook or Slack meanwhile.", { field: "kind" });
        }
        target = { kind: "email", recipients: body.recipients };
      } else {
        await checkUrl(body.url, deps);
        target = body.kind === "webhook" ? { kind: "webhook", url: body.url, secret: newWebhookSecret() } : { kind: "slack", url: body.url };
      }
      const events = body.events;
      const created = await deps.transaction(async (tx) => {
        const c = await deps.notifications.channels.create(
          workspaceId,
          { name: body.name, pipelineId: body.pipelineId, events, longRunningMinutes: events.includes("run.long_running") ? body.longRunningMinutes : null, target },
          tx,
        );
        await recordAudit(tx, auth, { action: "notification.created", ...auditOf(c) });
        return c;
      });
      return { status: 201, body: { ...created, secret: target.kind === "webhook" ? target.secret : null } };
    },
  }),
  defineRoute({
    method: "put",
    path: "/notification-channels/:id",
    tag: "notifications",
    action: "notification.edit",
    summary: "Change a channel's name, events or long-run threshold (its kind and destination stay: remove it and add another)",
    params: notificationChannelIdParamsSchema,
    body: updateNotificationChannelRequestSchema,
    response: notificationChannelSchema,
    errors: [400, 404],
    handler: async ({ params, body, auth }) => {
      const workspaceId = workspaceOf(auth);
      const current = await deps.notifications.channels.get(workspaceId, params.id);
      if (!current) throw notFound("notification channel", params.id);
      const events = body.events ?? current.events;
      const minutes = body.longRunningMinutes === undefined ? current.longRunningMinutes : body.longRunningMinutes;
      if (events.includes("run.long_running") && minutes === null) {
        throw new AppError(400, "LONG_RUNNING_MINUTES_REQUIRED", "Say after how many minutes a run counts as long (longRunningMinutes), or leave out run.long_running.", { field: "longRunningMinutes" });
      }
      if (new Set(events).size !== events.length) throw new AppError(400, "DUPLICATE_EVENT", "Name each event once.", { field: "events" });
      const updated = await deps.transaction(async (tx) => {
        const u = await deps.notifications.channels.update(
          workspaceId,
          params.id,
          { name: body.name ?? current.name, events, longRunningMinutes: events.includes("run.long_running") ? minutes : null },
          tx,
        );
        if (u) await recordAudit(tx, auth, { action: "notification.changed", ...auditOf(u), details: { ...auditOf(u).details, changed: Object.keys(body) } });
        return u;
      });
      if (!updated) throw notFound("notification channel", params.id);
      return { body: updated };
    },
  }),
  defineRoute({
    method: "delete",
    path: "/notification-channels/:id",
    tag: "notifications",
    action: "notification.edit",
    summary: "Remove a notification channel and its delivery history",
    params: notificationChannelIdParamsSchema,
    status: 204,
    errors: [404],
    handler: async ({ params, res, auth }) => {
      const workspaceId = workspaceOf(auth);
      const current = await deps.notifications.channels.get(workspaceId, params.id);
      if (!current) throw notFound("notification channel", params.id);
      const removed = await deps.transaction(async (tx) => {
        const done = await deps.notifications.channels.remove(workspaceId, params.id, tx);
        if (done) await recordAudit(tx, auth, { action: "notification.deleted", ...auditOf(current) });
        return done;
      });
      if (!removed) throw notFound("notification channel", params.id);
      res.status(204).end();
      return undefined;
    },
  }),
  defineRoute({
    method: "post",
    path: "/notification-channels/:id/test",
    tag: "notifications",
    action: "notification.edit",
    summary: "Send a test notification now, once, and answer how it went (delivered, or failed with the reason)",
    params: notificationChannelIdParamsSchema,
    response: notificationTestResultSchema,
    errors: [404],
    handler: async ({ params, auth }) => {
      const workspaceId = workspaceOf(auth);
      const channel = await deps.notifications.channels.sendable(workspaceId, params.id);
      if (!channel) throw notFound("notification channel", params.id);
      const delivery = await deps.notifications.notifier.sendTest(channel, auth.workspace?.name ?? "");
      return { body: { delivery } };
    },
  }),
];
