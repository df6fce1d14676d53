import { z } from "zod";
import { displayNameSchema } from "../display-name.ts";

/**
 * What a notification channel is told about (docs/notifications.md): a run that failed, the first success after a
 * failure, a check node's warnings, a run still going after `longRunningMinutes`.
 */
export const notificationEventSchema = z.enum(["run.failed", "run.recovered", "run.quality_warning", "run.long_running"]);
export type NotificationEvent = z.infer<typeof notificationEventSchema>;

/** What people read for each event, in the form and in messages. */
export const notificationEventLabels: Record<NotificationEvent, string> = {
  "run.failed": "A run failed",
  "run.recovered": "A run succeeded after a failure",
  "run.quality_warning": "A quality rule warned",
  "run.long_running": "A run is taking long",
};

export const notificationChannelKindSchema = z.enum(["webhook", "slack", "email"]);
export type NotificationChannelKind = z.infer<typeof notificationChannelKindSchema>;

const httpUrl = z
  .string()
  .trim()
  .max(2000)
  .refine((v) => URL.canParse(v) && /^https?:$/.test(new URL(v).protocol) && new URL(v).hostname !== "", "an http:// or https:// URL, e.g. https://hooks.example.com/sluice")
  .refine((v) => !URL.canParse(v) || (new URL(v).username === "" && new URL(v).password === ""), "no user name or password in the URL; the signature proves the sender");

/** For run.long_running: how many minutes count as long. */
const longRunningMinutes = z.number().int().min(1).max(7 * 24 * 60);
const events = z.array(notificationEventSchema).min(1, "choose at least one event").max(4);

const common = {
  name: displayNameSchema,
  /** null: every pipeline of the workspace. */
  pipelineId: z.uuid("not a pipeline id").nullable().default(null),
  events,
  longRunningMinutes: longRunningMinutes.nullable().default(null),
};

export const createNotificationChannelRequestSchema = z
  .discriminatedUnion("kind", [
    z.strictObject({ kind: z.literal("webhook"), url: httpUrl, ...common }),
    z.strictObject({ kind: z.literal("slack"), url: httpUrl, ...common }),
    z.strictObject({ kind: z.literal("email"), recipients: z.array(z.email("not an e-mail address").max(320)).min(1, "add at least one address").max(20), ...common }),
  ])
  .superRefine((c, ctx) => {
    if (c.events.includes("run.long_running") && c.longRunningMinutes === null) {
      ctx.addIssue({ code: "custom", path: ["longRunningMinutes"], message: "say after how many minutes a run counts as long" });
    }
    if (new Set(c.events).size !== c.events.length) ctx.addIssue({ code: "custom", path: ["events"], message: "each event once" });
  });
export type CreateNotificationChannelRequest = z.input<typeof createNotificationChannelRequestSchema>;

/** What can change on a channel; its kind and destination cannot (remove it and add another, which makes a new secret). */
export const updateNotificationChannelRequestSchema = z.strictObject({
  name: displayNameSchema.optional(),
  events: events.optional(),
  longRunningMinutes: longRunningMinutes.nullable().optional(),
});
export type UpdateNotificationChannelRequest = z.input<typeof updateNotificationChannelRequestSchema>;

export const notificationDeliveryStatusSchema = z.enum(["sending", "delivered", "failed"]);

export const notificationDeliverySchema = z.object({
  id: z.string(),
  /** A NotificationEvent, or "test" for the send-test button. */
  event: z.string(),
  runId: z.string().nullable(),
  status: notificationDeliveryStatusSchema,
  attempts: z.number(),
  /** Why the last attempt failed, e.g. "hooks.example.com answered 500". */
  error: z.string().nullable(),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
});
export type NotificationDeliveryInfo = z.infer<typeof notificationDeliverySchema>;

export const notificationChannelSchema = z.object({
  id: z.string(),
  name: z.string(),
  kind: notificationChannelKindSchema,
  pipelineId: z.string().nullable(),
  pipelineName: z.string().nullable(),
  events: z.array(notificationEventSchema),
  longRunningMinutes: z.number().nullable(),
  /** Where it goes, as far as that is not a secret: a webhook's URL, a Slack webhook's host, the mail recipients. */
  target: z.string(),
  createdAt: z.string(),
  lastDelivery: notificationDeliverySchema.nullable(),
});
export type NotificationChannelInfo = z.infer<typeof notificationChannelSchema>;

/** Only the answer to creating a webhook channel carries its signing secret; it is never shown again. */
export const createdNotificationChannelSchema = notificationChannelSchema.extend({ secret: z.string().nullable() });
export type CreatedNotificationChannel = z.infer<typeof createdNotificationChannelSchema>;

export const notificationChannelListSchema = z.object({ channels: z.array(notificationChannelSchema), emailAvailable: z.boolean() });
export type NotificationChannelList = z.infer<typeof notificationChannelListSchema>;
export const notificationChannelListQuerySchema = z.object({ pipelineId: z.uuid("not a pipeline id").optional() });
export const notificationChannelIdParamsSchema = z.object({ id: z.uuid("not a notification channel id") });
export const notificationTestResultSchema = z.object({ delivery: notificationDeliverySchema });
