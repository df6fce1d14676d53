import { useState } from "react";
import { Link } from "react-router-dom";
import { notificationEventLabels, type NotificationChannelInfo, type NotificationDeliveryInfo } from "@sluice/model";
import { useDeleteNotificationChannel, useNotificationChannels, useTestNotificationChannel } from "../api/notifications.queries.ts";
import { Badge } from "../components/badge.tsx";
import { Button } from "../components/button.tsx";
import { ErrorBanner } from "../components/error-banner.tsx";
import { Spinner } from "../components/spinner.tsx";
import { PermittedButton } from "../auth/permitted-button.tsx";
import { useCan } from "../auth/use-can.ts";
import { formatDateTime } from "../lib/format-time.ts";
import { NotificationChannelForm } from "./notification-channel-form.tsx";
import { EditChannelForm } from "./edit-channel-form.tsx";

const kindNames = { webhook: "Webhook", slack: "Slack", email: "E-mail" } as const;

function DeliveryStatus({ d }: { d: NotificationDeliveryInfo | null }) {
  if (!d) return <p className="text-xs text-slate-500">Nothing sent yet.</p>;
  const what = d.event === "test" ? "Test" : (notificationEventLabels[d.event as keyof typeof notificationEventLabels] ?? d.event);
  return (
    <div className="space-y-1 text-xs" data-testid="last-delivery">
      <p className="flex flex-wrap items-center gap-2">
        <span className="text-slate-600">Last:</span>
        <span>{what}</span>
        <Badge tone={d.status === "delivered" ? "success" : d.status === "failed" ? "danger" : "info"}>{d.status}</Badge>
        <span className="text-slate-600">{formatDateTime(d.finishedAt ?? d.createdAt)}</span>
        {d.attempts > 1 && <span className="text-slate-600">after {d.attempts} attempts</span>}
        {d.runId && (
          <Link className="text-cyan-800 underline" to={`/runs/${d.runId}`}>
            the run
          </Link>
        )}
      </p>
      {d.error && <p className="break-words text-red-800">{d.error}</p>}
    </div>
  );
}

function ChannelItem({ c, showScope }: { c: NotificationChannelInfo; showScope: boolean }) {
  const test = useTestNotificationChannel();
  const remove = useDeleteNotificationChannel();
  const [editing, setEditing] = useState(false);
  if (editing) {
    return (
      <li className="rounded-md border border-slate-200 bg-white p-3 text-sm" data-testid="notification-channel">
        <EditChannelForm channel={c} onDone={() => setEditing(false)} />
      </li>
    );
  }
  return (
    <li className="space-y-2 rounded-md border border-slate-200 bg-white p-3 text-sm" data-testid="notification-channel">
      <div className="flex flex-wrap items-start justify-between gap-2">
        <div className="min-w-0">
          <p className="font-medium">
            {c.name} <span className="font-normal text-slate-600">· {kindNames[c.kind]}</span>
          </p>
          <p className="break-all text-xs text-slate-600">{c.target}</p>
          {showScope && <p className="text-xs text-slate-600">{c.pipelineName ? `Pipeline: ${c.pipelineName}` : "All pipelines"}</p>}
          <p className="text-xs text-slate-600">
            {c.events.map((e) => (e === "run.long_running" ? `${notificationEventLabels[e]} (over ${c.longRunningMinutes} min)` : notificationEventLabels[e])).join(" · ")}
          </p>
        </div>
        <div className="flex shrink-0 gap-1">
          <PermittedButton action="notification.edit" what="send test notifications" disabled={test.isPending} onClick={() => test.mutate(c.id)}>
            {test.isPending ? "Sending…" : "Send test"}
          </PermittedButton>
          <PermittedButton action="notification.edit" what="change notification channels" variant="ghost" aria-label={`Edit ${c.name}`} onClick={() => setEditing(true)}>
            Edit
          </PermittedButton>
          <PermittedButton action="notification.edit" what="remove notification channels" variant="ghost" aria-label={`Remove ${c.name}`} disabled={remove.isPending} onClick={() => remove.mutate(c.id)}>
            Remove
          </PermittedButton>
        </div>
      </div>
      <DeliveryStatus d={c.lastDelivery} />
      {test.error && <ErrorBanner error={test.error} />}
      {remove.error && <ErrorBanner error={remove.error} />}
    </li>
  );
}

/**
 * Notification channels with their last delivery, a test button each, and a form to add one: a pipeline's own
 * (with `pipelineId`) or, on the workspace page, all of them.
 */
export function NotificationsPanel({ pipelineId }: { pipelineId?: string }) {
  const channels = useNotificationChannels(pipelineId);
  const edit = useCan("notification.edit", "change notifications");
  const [secret, setSecret] = useState<{ name: string; secret: string } | null>(null);
  const [copied, setCopied] = useState(false);
  return (
    <div className="space-y-3">
      {secret && (
        <div role="status" className="rounded-md border border-amber-300 bg-amber-50 p-3 text-sm">
          <p className="mb-1 font-medium">Copy the signing secret for “{secret.name}” now: it will not be shown again.</p>
          <div className="flex items-center gap-2">
            <code className="flex-1 rounded bg-white px-2 py-1 break-all" data-testid="webhook-secret">
              {secret.secret}
            </code>
            <Button onClick={() => void navigator.clipboard?.writeText(secret.secret).then(() => setCopied(true))}>{copied ? "Copied" : "Copy"}</Button>
            <Button variant="ghost" onClick={() => setSecret(null)}>
              Done
            </Button>
          </div>
        </div>
      )}
      {channels.isPending ? (
        <Spinner label="Loading notification channels" />
      ) : channels.error ? (
        <ErrorBanner error={channels.error} />
      ) : (
        <>
          {channels.data.channels.length === 0 ? (
            <p className="text-sm text-slate-600">{pipelineId ? "No channels for this pipeline yet." : "No notification channels yet."}</p>
          ) : (
            <ul className="space-y-2" aria-label="Notification channels">
              {channels.data.channels.map((c) => (
                <ChannelItem key={c.id} c={c} showScope={!pipelineId} />
              ))}
            </ul>
          )}
          {pipelineId && (
            <p className="text-xs text-slate-600">
              Channels for all pipelines are on the <Link className="text-cyan-800 underline" to="/notifications">Notifications</Link> page.
            </p>
          )}
          {edit.allowed ? (
            <NotificationChannelForm
              {...(pipelineId ? { pipelineId } : {})}
              emailAvailable={channels.data.emailAvailable}
              onSecret={(s) => {
                setSecret(s);
                setCopied(false);
              }}
            />
          ) : (
            <p className="text-xs text-slate-600">{edit.reason}</p>
          )}
        </>
      )}
    </div>
  );
}
