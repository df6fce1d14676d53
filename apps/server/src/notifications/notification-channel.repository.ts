import { z } from "zod";
import { isSensitiveName, notificationEventSchema, type NotificationChannelInfo, type NotificationChannelKind, type NotificationDeliveryInfo, type NotificationEvent } from "@sluice/model";
import type { Db, Tx } from "../db/prisma.ts";
import type { SecretBox } from "../connections/secret-box.ts";

/** What a channel needs to send, with its secret opened: only the notifier sees this, never an API answer. */
export type ChannelTarget =
  | { kind: "webhook"; url: string; secret: string }
  | { kind: "slack"; url: string }
  | { kind: "email"; recipients: string[] };

export interface SendableChannel {
  id: string;
  workspaceId: string;
  name: string;
  longRunningMinutes: number | null;
  target: ChannelTarget;
}

export interface NewChannel {
  name: string;
  pipelineId: string | null;
  events: NotificationEvent[];
  longRunningMinutes: number | null;
  target: ChannelTarget;
}

const settingsSchema = z.object({ url: z.string().optional(), host: z.string().optional(), recipients: z.array(z.string()).optional() });
const eventsSchema = z.array(notificationEventSchema).catch([]);

type ChannelRow = {
  id: string;
  workspaceId: string;
  pipelineId: string | null;
  name: string;
  kind: string;
  settings: unknown;
  secretEncrypted: string | null;
  events: unknown;
  longRunningMinutes: number | null;
  createdAt: Date;
  pipeline?: { name: string } | null;
  deliveries?: DeliveryRow[];
};
type DeliveryRow = { id: string; event: string; runId: string | null; status: string; attempts: number; error: string | null; createdAt: Date; finishedAt: Date | null };

const deliveryInfo = (d: DeliveryRow): NotificationDeliveryInfo => ({
  id: d.id,
  event: d.event,
  runId: d.runId,
  status: d.status === "delivered" || d.status === "failed" ? d.status : "sending",
  attempts: d.attempts,
  error: d.error,
  createdAt: d.createdAt.toISOString(),
  finishedAt: d.finishedAt?.toISOString() ?? null,
});

/**
 * A webhook's URL as every member of the workspace sees it: query parameters whose names usually carry a secret
 * (token, key, signature, …, as the HTTP source refuses them) show *** instead of their value; many receivers
 * (Google Chat, Zapier, Teams) authenticate by such a parameter. Sending uses the URL as stored.
 */
function shownWebhookUrl(url: string): string {
  if (!URL.canParse(url)) return url;
  const u = new URL(url);
  const secret = [...new Set([...u.searchParams.keys()].filter(isSensitiveName))];
  for (const name of secret) u.searchParams.set(name, "***");
  return secret.length ? u.toString() : url;
}

/** Where a channel goes, in words that give away no secret (a Slack webhook's URL is its password). */
function describeTarget(kind: string, settings: z.infer<typeof settingsSchema>): string {
  if (kind === "webhook") return shownWebhookUrl(settings.url ?? "");
  if (kind === "slack") return `Slack incoming webhook at ${settings.host ?? "?"}`;
  return (settings.recipients ?? []).join(", ");
}

function info(row: ChannelRow): NotificationChannelInfo {
  const settings = settingsSchema.catch({}).parse(row.settings);
  const last = row.deliveries?.[0];
  return {
    id: row.id,
    name: row.name,
    kind: row.kind as NotificationChannelKind,
    pipelineId: row.pipelineId,
    pipelineName: row.pipeline?.name ?? null,
    events: eventsSchema.parse(row.events),
    longRunningMinutes: row.longRunningMinutes,
    target: describeTarget(row.kind, settings),
    createdAt: row.createdAt.toISOString(),
    lastDelivery: last ? deliveryInfo(last) : null,
  };
}

const withPipeline = { pipeline: { select: { name: true } } };

/**
 * The channels with their newest delivery each: one index probe per channel (deliveries by channel_id, created_at).
 * Not a Prisma `include: { deliveries: { take: 1 } }`, which reads every delivery a channel ever had and keeps the
 * first in memory, so listing channels cost as much as their whole history.
 */
async function withLastDelivery<R extends ChannelRow>(db: Db | Tx, rows: R[]): Promise<R[]> {
  if (!rows.length) return rows;
  const last = await db.$queryRaw<(DeliveryRow & { channelId: string })[]>`
    SELECT c.id::text AS "channelId", d.id::text AS id, d.event, d.run_id::text AS "runId", d.status, d.attempts, d.error,
      d.created_at AS "createdAt", d.finished_at AS "finishedAt"
    FROM unnest(${rows.map((r) => r.id)}::uuid[]) AS c(id)
    CROSS JOIN LATERAL (SELECT * FROM notification_deliveries WHERE channel_id = c.id ORDER BY created_at DESC, id DESC LIMIT 1) d`;
  const byChannel = new Map(last.map((d) => [d.channelId, d]));
  return rows.map((r) => {
    const d = byChannel.get(r.id);
    return { ...r, deliveries: d ? [d] : [] };
  });
}

/** Notification channels and the record of what was sent to them. Secrets are sealed with the connections' SecretBox. */
export function notificationChannelRepository(db: Db, box: SecretBox) {
  function sendable(row: ChannelRow): SendableChannel {
    const settings = settingsSchema.catch({}).parse(row.settings);
    const secret = row.secretEncrypted ? box.open(row.secretEncrypted) : "";
    const target: ChannelTarget =
      row.kind === "webhook" ? { kind: "webhook", url: settings.url ?? "", secret } : row.kind === "slack" ? { kind: "slack", url: secret } : { kind: "email", recipients: settings.recipients ?? [] };
    return { id: row.id, workspaceId: row.workspaceId, name: row.name, longRunningMinutes: row.longRunningMinutes, target };
  }

  return {
    async list(workspaceId: string, pipelineId?: string): Promise<NotificationChannelInfo[]> {
      const rows = await db.notificationChannel.findMany({
        where: { workspaceId, ...(pipelineId ? { pipelineId } : {}) },
        include: withPipeline,
        orderBy: { createdAt: "asc" },
      });
      return (await withLastDelivery(db, rows)).map(info);
    },

    async get(workspaceId: string, id: string): Promise<NotificationChannelInfo | null> {
      const row = await db.notificationChannel.findFirst({ where: { id, workspaceId }, include: withPipeline });
      return row ? info((await withLastDelivery(db, [row]))[0]!) : null;
    },

    async create(workspaceId: string, c: NewChannel, tx: Tx): Promise<NotificationChannelInfo> {
      const t = c.target;
      const settings = t.kind === "webhook" ? { url: t.url } : t.kind === "slack" ? { host: new URL(t.url).host } : { recipients: t.recipients };
      const secret = t.kind === "webhook" ? t.secret : t.kind === "slack" ? t.url : null;
      const row = await tx.notificationChannel.create({
        data: {
          workspaceId,
          pipelineId: c.pipelineId,
          name: c.name,
          kind: t.kind,
          settings,
          secretEncrypted: secret === null ? null : box.seal(secret),
          events: c.events,
          longRunningMinutes: c.longRunningMinutes,
        },
        include: withPipeline,
      });
      // New: no delivery yet.
      return info(row);
    },

    async update(workspaceId: string, id: string, change: { name: string; events: NotificationEvent[]; longRunningMinutes: number | null }, tx: Tx): Promise<NotificationChannelInfo | null> {
      if ((await tx.notificationChannel.updateMany({ where: { id, workspaceId }, data: change })).count !== 1) return null;
      const row = await tx.notificationChannel.findFirst({ where: { id, workspaceId }, include: withPipeline });
      return row ? info((await withLastDelivery(tx, [row]))[0]!) : null;
    },

    async remove(workspaceId: string, id: string, tx: Tx): Promise<boolean> {
      return (await tx.notificationChannel.deleteMany({ where: { id, workspaceId } })).count === 1;
    },

    async sendable(workspaceId: string, id: string): Promise<SendableChannel | null> {
      const row = await db.notificationChannel.findFirst({ where: { id, workspaceId } });
      return row ? sendable(row) : null;
    },

    /** The channels of a pipeline's workspace that listen to `event` for it: its own and the workspace-wide ones. */
    async listening(workspaceId: string, pipelineId: string, event: NotificationEvent): Promise<SendableChannel[]> {
      const rows = await db.notificationChannel.findMany({
        where: { workspaceId, OR: [{ pipelineId }, { pipelineId: null }], events: { array_contains: [event] } },
        orderBy: { createdAt: "asc" },
      });
      return rows.map(sendable);
    },

    /**
     * Running runs that have been going longer than a channel listening to run.long_running allows, and that the
     * channel has not been told about yet.
     */
    async longRunning(): Promise<{ runId: string; channelId: string }[]> {
      return db.$queryRaw<{ runId: string; channelId: string }[]>`
        SELECT r.id::text AS "runId", c.id::text AS "channelId"
        FROM runs r
        JOIN pipelines p ON p.id = r.pipeline_id
        JOIN notification_channels c ON c.workspace_id = p.workspace_id AND (c.pipeline_id IS NULL OR c.pipeline_id = r.pipeline_id)
        WHERE r.status = 'running' AND r.started_at IS NOT NULL
          AND c.events @> '["run.long_running"]'::jsonb AND c.long_running_minutes IS NOT NULL
          AND r.started_at < now() - make_interval(mins => c.long_running_minutes)
          AND NOT EXISTS (SELECT 1 FROM notification_deliveries d WHERE d.channel_id = c.id AND d.run_id = r.id AND d.event = 'run.long_running')`;
    },

    async channelById(id: string): Promise<SendableChannel | null> {
      const row = await db.notificationChannel.findUnique({ where: { id } });
      return row ? sendable(row) : null;
    },

    /**
     * Takes the one delivery of `event` about `runId` to a channel; null when another process (or an earlier call)
     * took it, which is what makes each notification go out once.
     */
    async claim(channelId: string, runId: string | null, event: string): Promise<string | null> {
      const rows = await db.$queryRaw<{ id: string }[]>`
        INSERT INTO notification_deliveries (id, channel_id, run_id, event)
        VALUES (gen_random_uuid(), ${channelId}::uuid, ${runId}::uuid, ${event})
        ON CONFLICT (channel_id, run_id, event) DO NOTHING
        RETURNING id::text AS id`;
      return rows[0]?.id ?? null;
    },

    async recordAttempt(id: string, outcome: { status: "sending" | "delivered" | "failed"; attempts: number; error: string | null }): Promise<NotificationDeliveryInfo> {
      const row = await db.notificationDelivery.update({
        where: { id },
        data: { status: outcome.status, attempts: outcome.attempts, error: outcome.error, finishedAt: outcome.status === "sending" ? null : new Date() },
      });
      return deliveryInfo(row);
    },

    async deliveries(channelId: string): Promise<NotificationDeliveryInfo[]> {
      return (await db.notificationDelivery.findMany({ where: { channelId }, orderBy: { createdAt: "desc" }, take: 50 })).map(deliveryInfo);
    },
  };
}

export type NotificationChannelRepository = ReturnType<typeof notificationChannelRepository>;
