import { useMemo, useState } from "react";
import { checkCron, cronHasSeconds, type ParameterValues, type PipelineParameter, type ScheduleSlotInfo } from "@sluice/model";
import { ParameterValuesFields } from "../parameters/parameter-values-fields.tsx";
import { useCreateSchedule, useDeleteSchedule, useSchedules, useUpdateSchedule } from "../api/schedules.queries.ts";
import { Button } from "../components/button.tsx";
import { ErrorBanner } from "../components/error-banner.tsx";
import { Spinner } from "../components/spinner.tsx";
import { formatSlot } from "../lib/format-time.ts";
import { Link } from "react-router-dom";
import { useCan } from "../auth/use-can.ts";
import { panelInputClass as inputClass } from "../components/input-class.ts";

const browserZone = Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";

/** A pipeline's schedules: add one with its next run times shown as the expression is typed, switch on and off, remove. */
export function SchedulesPanel({ pipelineId, parameters }: { pipelineId: string; parameters: readonly PipelineParameter[] }) {
  const schedules = useSchedules(pipelineId);
  const [editing, setEditing] = useState<string | null>(null);
  const update = useUpdateSchedule(pipelineId);
  const remove = useDeleteSchedule(pipelineId);
  const change = useCan("schedule.edit", "change schedules");
  return (
    // A disabled fieldset disables every control in it: the schedules stay readable to those who may not change them.
    <fieldset disabled={!change.allowed} title={change.reason ?? undefined} className="m-0 min-w-0 space-y-4 border-0 p-3">
      {change.reason && <p className="text-xs text-slate-600">{change.reason}</p>}
      <NewSchedule pipelineId={pipelineId} parameters={parameters} />
      {schedules.isPending ? (
        <Spinner label="Loading schedules" />
      ) : schedules.error ? (
        <ErrorBanner error={schedules.error} />
      ) : schedules.data.schedules.length === 0 ? (
        <p className="text-sm text-slate-500">No schedules: this pipeline runs only when started.</p>
      ) : (
        <ul className="space-y-2" aria-label="Schedules">
          {schedules.data.schedules.map((s) => (
            <li key={s.id} className="rounded-md border border-slate-200 p-2 text-sm" data-testid="schedule">
              {editing === s.id ? (
                <ScheduleForm
                  label={`Edit schedule ${s.cron}`}
                  submit="Save schedule"
                  initial={{ cron: s.cron, timezone: s.timezone, missed: s.missed, params: s.params }}
                  parameters={parameters}
                  pending={update.isPending}
                  error={update.error}
                  onSubmit={(v) => update.mutate({ id: s.id, body: v }, { onSuccess: () => setEditing(null) })}
                  onCancel={() => setEditing(null)}
                />
              ) : (
              <>
              <div className="flex items-center justify-between gap-2">
                <span className="font-mono">{s.cron}</span>
                <span className="text-xs text-slate-500">{s.timezone}</span>
              </div>
              <p className="text-xs text-slate-600">{s.enabled && s.nextRuns[0] ? `Next: ${formatSlot(s.nextRuns[0], cronHasSeconds(s.cron), s.timezone)}` : "Switched off"}</p>
              <p className="text-xs text-slate-500">Missed while Sluice was down: {s.missed === "skip" ? "skipped" : "run once"}</p>
              {s.problems.length > 0 && (
                <p role="alert" className="text-xs text-amber-800">
                  Its runs would be refused: {s.problems.map((p) => p.message).join(" ")} Edit its parameter values.
                </p>
              )}
              <RecentSlots slots={s.recentSlots} withSeconds={cronHasSeconds(s.cron)} timeZone={s.timezone} />
              {Object.keys(s.params).length > 0 && (
                <p className="text-xs text-slate-500">
                  With{" "}
                  {Object.entries(s.params)
                    .map(([k, v]) => `${k} = ${String(v)}`)
                    .join(", ")}
                </p>
              )}
              <div className="mt-1 flex gap-2">
                <label className="flex items-center gap-1 text-xs">
                  <input type="checkbox" checked={s.enabled} onChange={(e) => update.mutate({ id: s.id, body: { enabled: e.target.checked } })} />
                  On
                </label>
                <button type="button" className="text-xs text-cyan-800 hover:underline" aria-label={`Edit schedule ${s.cron}`} onClick={() => setEditing(s.id)}>
                  Edit
                </button>
                <button type="button" className="text-xs text-red-700 hover:underline" aria-label={`Remove schedule ${s.cron}`} onClick={() => remove.mutate(s.id)}>
                  Remove
                </button>
              </div>
              </>
              )}
            </li>
          ))}
        </ul>
      )}
      {(update.error || remove.error) && <ErrorBanner error={update.error ?? remove.error} />}
    </fieldset>
  );
}

/** The newest recorded slots: the run each started, why none could start (red), or why it was skipped. */
function RecentSlots({ slots, withSeconds, timeZone }: { slots: readonly ScheduleSlotInfo[]; withSeconds: boolean; timeZone: string }) {
  if (slots.length === 0) return null;
  return (
    <ol className="mt-1 space-y-0.5 text-xs" aria-label="Recent slots">
      {slots.map((slot) => (
        <li key={slot.slot} data-testid="schedule-slot">
          <span className="text-slate-600">{formatSlot(slot.slot, withSeconds, timeZone)}: </span>
          {slot.runId ? (
            <Link to={`/runs/${slot.runId}`} className="text-cyan-800 hover:underline">
              run
            </Link>
          ) : slot.error ? (
            <span role="alert" className="text-red-700">
              no run started. {slot.error}
            </span>
          ) : slot.skipped ? (
            <span className="text-amber-800">skipped. {slot.skipped}</span>
          ) : (
            <span className="text-slate-500">starting…</span>
          )}
        </li>
      ))}
    </ol>
  );
}

function NewSchedule({ pipelineId, parameters }: { pipelineId: string; parameters: readonly PipelineParameter[] }) {
  const create = useCreateSchedule(pipelineId);
  return (
    <ScheduleForm
      label="New schedule"
      submit="Add schedule"
      initial={{ cron: "0 6 * * *", timezone: browserZone, missed: "catch_up_once", params: {} }}
      parameters={parameters}
      pending={create.isPending}
      error={create.error}
      onSubmit={(v) => create.mutate(v)}
    />
  );
}

interface ScheduleValues {
  cron: string;
  timezone: string;
  missed: "catch_up_once" | "skip";
  params: ParameterValues;
}

/** A schedule's settings, with the next run times shown as the expression is typed; for a new schedule or an edit. */
function ScheduleForm({
  label,
  submit,
  initial,
  parameters,
  pending,
  error,
  onSubmit,
  onCancel,
}: {
  label: string;
  submit: string;
  initial: ScheduleValues;
  parameters: readonly PipelineParameter[];
  pending: boolean;
  error: unknown;
  onSubmit: (v: ScheduleValues) => void;
  onCancel?: () => void;
}) {
  const [cron, setCron] = useState(initial.cron);
  const [timezone, setTimezone] = useState(initial.timezone);
  const [missed, setMissed] = useState(initial.missed);
  const [params, setParams] = useState<ParameterValues>(initial.params);
  const check = useMemo(() => checkCron(cron, timezone, 5), [cron, timezone]);
  return (
    <form
      aria-label={label}
      className="space-y-2"
      onSubmit={(e) => {
        e.preventDefault();
        if (check.ok) onSubmit({ cron, timezone, missed, params });
      }}
    >
      <label className="block text-xs font-medium text-slate-600">
        Cron expression
        <input value={cron} onChange={(e) => setCron(e.target.value)} className={`${inputClass} font-mono`} aria-invalid={!check.ok && check.field === "cron"} />
      </label>
      <label className="block text-xs font-medium text-slate-600">
        Time zone
        <input value={timezone} onChange={(e) => setTimezone(e.target.value)} className={inputClass} aria-invalid={!check.ok && check.field === "timezone"} />
      </label>
      <label className="block text-xs font-medium text-slate-600">
        A run missed while Sluice was down
        <select value={missed} onChange={(e) => setMissed(e.target.value as "catch_up_once" | "skip")} className={inputClass}>
          <option value="catch_up_once">runs once when Sluice is back</option>
          <option value="skip">is skipped</option>
        </select>
      </label>
      {parameters.length > 0 && (
        <fieldset className="rounded-md border border-slate-200 p-2">
          <legend className="px-1 text-xs font-medium text-slate-600">Parameter values for these runs</legend>
          <ParameterValuesFields parameters={parameters} values={params} onChange={setParams} />
        </fieldset>
      )}
      {check.ok ? (
        <div className="text-xs text-slate-600" data-testid="next-runs">
          Next runs:
          <ol className="ml-4 list-disc">
            {check.next.map((d) => (
              <li key={d.toISOString()}>{formatSlot(d.toISOString(), cronHasSeconds(cron), timezone)}</li>
            ))}
          </ol>
        </div>
      ) : (
        <p role="alert" className="text-xs text-red-700">
          {check.message}
        </p>
      )}
      {error ? <ErrorBanner error={error} /> : null}
      <div className="flex gap-2">
        <Button type="submit" variant="primary" disabled={!check.ok || pending}>
          {submit}
        </Button>
        {onCancel && <Button onClick={onCancel}>Cancel</Button>}
      </div>
    </form>
  );
}
