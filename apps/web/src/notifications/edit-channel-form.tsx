import { useState } from "react";
import type { NotificationChannelInfo, NotificationEvent } from "@sluice/model";
import { useUpdateNotificationChannel } from "../api/notifications.queries.ts";
import { apiFieldErrors, isExplainedByFields } from "../api/field-errors.ts";
import { Button } from "../components/button.tsx";
import { ErrorBanner } from "../components/error-banner.tsx";
import { TextField } from "../components/text-field.tsx";
import { EventChoices } from "./event-choices.tsx";

/** Changes a channel's name, events and threshold in place; its kind and destination stay. */
export function EditChannelForm({ channel, onDone }: { channel: NotificationChannelInfo; onDone: () => void }) {
  const update = useUpdateNotificationChannel();
  const [name, setName] = useState(channel.name);
  const [events, setEvents] = useState<NotificationEvent[]>(channel.events);
  const [minutes, setMinutes] = useState(String(channel.longRunningMinutes ?? 30));
  const errors = apiFieldErrors(update.error);
  return (
    <form
      aria-label={`Edit ${channel.name}`}
      className="space-y-3"
      onSubmit={(e) => {
        e.preventDefault();
        const body = { name, events, longRunningMinutes: events.includes("run.long_running") ? Number(minutes) : null };
        update.mutate({ id: channel.id, body }, { onSuccess: onDone });
      }}
    >
      <TextField className="!mb-0" label="Channel name" value={name} onChange={(e) => setName(e.target.value)} error={errors.name} />
      <EventChoices events={events} onEvents={setEvents} minutes={minutes} onMinutes={setMinutes} errors={errors} />
      {update.error && !isExplainedByFields(update.error, errors) && <ErrorBanner error={update.error} />}
      <div className="flex gap-2">
        <Button type="submit" variant="primary" disabled={update.isPending}>
          Save channel
        </Button>
        <Button variant="ghost" onClick={onDone}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
