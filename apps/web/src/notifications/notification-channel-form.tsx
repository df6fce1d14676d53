import { useId, useState } from "react";
import type { CreateNotificationChannelRequest, NotificationChannelKind, NotificationEvent } from "@sluice/model";
import { useCreateNotificationChannel } from "../api/notifications.queries.ts";
import { usePipelines } from "../api/pipelines.queries.ts";
import { apiFieldErrors, isExplainedByFields } from "../api/field-errors.ts";
import { Button } from "../components/button.tsx";
import { ErrorBanner } from "../components/error-banner.tsx";
import { TextField } from "../components/text-field.tsx";
import { panelInputClass } from "../components/input-class.ts";
import { EventChoices } from "./event-choices.tsx";

const kindLabels: Record<NotificationChannelKind, string> = { webhook: "Webhook (signed JSON)", slack: "Slack incoming webhook", email: "E-mail" };

/**
 * Adds a channel. With `pipelineId` it is that pipeline's; without, the form asks which pipeline it applies to (all
 * by default). A webhook's signing secret comes back once, and `onSecret` shows it.
 */
export function NotificationChannelForm({ pipelineId, emailAvailable, onSecret }: { pipelineId?: string; emailAvailable: boolean; onSecret: (s: { name: string; secret: string }) => void }) {
  const create = useCreateNotificationChannel();
  const pipelines = usePipelines();
  const [name, setName] = useState("");
  const [kind, setKind] = useState<NotificationChannelKind>("webhook");
  const [url, setUrl] = useState("");
  const [recipients, setRecipients] = useState("");
  const [scope, setScope] = useState<string>(pipelineId ?? "");
  const [events, setEvents] = useState<NotificationEvent[]>(["run.failed", "run.recovered"]);
  const [minutes, setMinutes] = useState("30");
  const kindId = useId();
  const scopeId = useId();
  const errors = apiFieldErrors(create.error);

  const body = (): CreateNotificationChannelRequest => {
    const common = {
      name,
      pipelineId: scope === "" ? null : scope,
      events,
      longRunningMinutes: events.includes("run.long_running") ? Number(minutes) : null,
    };
    return kind === "email"
      ? { kind, recipients: recipients.split(/[,;\s]+/).filter(Boolean), ...common }
      : { kind, url: url.trim(), ...common };
  };

  return (
    <form
      aria-label="Add a notification channel"
      className="space-y-3 rounded-md border border-slate-200 bg-white p-3"
      onSubmit={(e) => {
        e.preventDefault();
        create.mutate(body(), {
          onSuccess: (c) => {
            if (c.secret) onSecret({ name: c.name, secret: c.secret });
            setName("");
            setUrl("");
            setRecipients("");
          },
        });
      }}
    >
      <p className="text-sm font-semibold">Add a channel</p>
      <TextField className="!mb-0" label="Channel name" value={name} onChange={(e) => setName(e.target.value)} error={errors.name} placeholder="e.g. On-call team" />
      <div>
        <label htmlFor={kindId} className="mb-1 block text-sm font-medium text-slate-700">
          Send by
        </label>
        <select
          id={kindId}
          className={panelInputClass}
          value={kind}
          onChange={(e) => {
            setKind(e.target.value as NotificationChannelKind);
            // The last refusal was about the other kind's destination (a webhook's address under a Slack URL field).
            create.reset();
          }}
        >
          {(Object.keys(kindLabels) as NotificationChannelKind[]).map((k) => (
            <option key={k} value={k} disabled={k === "email" && !emailAvailable}>
              {kindLabels[k]}
              {k === "email" && !emailAvailable ? " (not set up on this server)" : ""}
            </option>
          ))}
        </select>
      </div>
      {kind === "email" ? (
        <TextField
          className="!mb-0"
          label="Recipients"
          value={recipients}
          onChange={(e) => setRecipients(e.target.value)}
          error={errors.recipients ?? errors["recipients.0"]}
          hint="E-mail addresses, separated by commas."
          placeholder="oncall@example.com"
        />
      ) : (
        <TextField
          className="!mb-0"
          label={kind === "slack" ? "Slack webhook URL" : "Webhook URL"}
          type="url"
          value={url}
          onChange={(e) => setUrl(e.target.value)}
          error={errors.url}
          hint={kind === "slack" ? "Kept secret: it is not shown again after saving." : "Requests are signed; the secret is shown once after saving."}
          placeholder={kind === "slack" ? "https://hooks.slack.com/services/…" : "https://example.com/hooks/sluice"}
        />
      )}
      {pipelineId === undefined && (
        <div>
          <label htmlFor={scopeId} className="mb-1 block text-sm font-medium text-slate-700">
            Applies to
          </label>
          <select id={scopeId} className={panelInputClass} value={scope} onChange={(e) => setScope(e.target.value)}>
            <option value="">All pipelines of this workspace</option>
            {pipelines.data?.pipelines.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
        </div>
      )}
      <EventChoices events={events} onEvents={setEvents} minutes={minutes} onMinutes={setMinutes} errors={errors} />
      {create.error && !isExplainedByFields(create.error, errors) && <ErrorBanner error={create.error} />}
      <Button type="submit" variant="primary" disabled={create.isPending}>
        Add channel
      </Button>
    </form>
  );
}
