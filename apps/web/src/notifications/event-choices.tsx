import { useId } from "react";
import { notificationEventLabels, notificationEventSchema, type NotificationEvent } from "@sluice/model";
import { panelInputClass } from "../components/input-class.ts";

/** The events a channel listens to, as checkboxes, and the long-run threshold when that event is chosen. */
export function EventChoices(p: {
  events: NotificationEvent[];
  onEvents: (e: NotificationEvent[]) => void;
  minutes: string;
  onMinutes: (m: string) => void;
  errors: { events?: string | undefined; longRunningMinutes?: string | undefined };
}) {
  const minutesId = useId();
  return (
    <>
      <fieldset className="space-y-1">
        <legend className="mb-1 text-sm font-medium text-slate-700">Tell when</legend>
        {notificationEventSchema.options.map((ev) => (
          <label key={ev} className="flex items-center gap-2 text-sm">
            <input type="checkbox" checked={p.events.includes(ev)} onChange={(e) => p.onEvents(e.target.checked ? [...p.events, ev] : p.events.filter((x) => x !== ev))} />
            {notificationEventLabels[ev]}
          </label>
        ))}
        {p.errors.events && <p className="text-sm text-red-700">{p.errors.events}</p>}
      </fieldset>
      {p.events.includes("run.long_running") && (
        <div>
          <label htmlFor={minutesId} className="mb-1 block text-sm font-medium text-slate-700">
            Long means more than (minutes)
          </label>
          <input id={minutesId} type="number" min={1} className={`${panelInputClass} !w-28`} value={p.minutes} onChange={(e) => p.onMinutes(e.target.value)} />
          {p.errors.longRunningMinutes && <p className="text-sm text-red-700">{p.errors.longRunningMinutes}</p>}
        </div>
      )}
    </>
  );
}
