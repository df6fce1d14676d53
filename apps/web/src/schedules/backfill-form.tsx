import { useMemo, useState } from "react";
import { useNavigate } from "react-router-dom";
import { backfillSlots, BACKFILL_STEPS, MAX_BACKFILL_CONCURRENCY, type BackfillStep, type PipelineParameter } from "@sluice/model";
import { useStartBackfill } from "../api/backfills.queries.ts";
import { PermittedButton } from "../auth/permitted-button.tsx";
import { ErrorBanner } from "../components/error-banner.tsx";
import { panelInputClass as inputClass } from "../components/input-class.ts";

/**
 * Backfill a range of dates: one run of the saved version per day, week or month, each with its date in a date or
 * timestamp parameter, at most `concurrency` at once. The slots are counted as the form is filled in, with the same
 * code the server checks with; once started, the runs dashboard shows the group.
 */
export function BackfillForm({ pipelineId, parameters }: { pipelineId: string; parameters: readonly PipelineParameter[] }) {
  const dated = parameters.filter((p) => p.type === "date" || p.type === "timestamp");
  const [parameter, setParameter] = useState(dated[0]?.name ?? "");
  const [from, setFrom] = useState("");
  const [to, setTo] = useState("");
  const [step, setStep] = useState<BackfillStep>("day");
  const [concurrency, setConcurrency] = useState(2);
  const start = useStartBackfill(pipelineId);
  const navigate = useNavigate();
  const slots = useMemo(() => (from && to ? backfillSlots(from, to, step) : undefined), [from, to, step]);
  const chosen = dated.some((p) => p.name === parameter) ? parameter : (dated[0]?.name ?? "");
  return (
    <section aria-label="Backfill" className="border-t border-slate-200 p-3">
      <h3 className="mb-2 text-sm font-semibold">Backfill</h3>
      {dated.length === 0 ? (
        <p className="text-xs text-slate-600">Add a date or timestamp parameter (Parameters) to run this pipeline once for each date of a range.</p>
      ) : (
        <form
          aria-label="Backfill a date range"
          className="space-y-2"
          onSubmit={(e) => {
            e.preventDefault();
            if (!slots?.ok) return;
            start.mutate({ parameter: chosen, from, to, step, concurrency }, { onSuccess: () => void navigate(`/runs?pipeline=${encodeURIComponent(pipelineId)}`) });
          }}
        >
          <label className="block text-xs font-medium text-slate-600">
            Date parameter
            <select value={chosen} onChange={(e) => setParameter(e.target.value)} className={inputClass}>
              {dated.map((p) => (
                <option key={p.name} value={p.name}>
                  {p.name} ({p.type})
                </option>
              ))}
            </select>
          </label>
          <div className="flex gap-2">
            <label className="block flex-1 text-xs font-medium text-slate-600">
              From
              <input type="date" value={from} onChange={(e) => setFrom(e.target.value)} className={inputClass} />
            </label>
            <label className="block flex-1 text-xs font-medium text-slate-600">
              To
              <input type="date" value={to} onChange={(e) => setTo(e.target.value)} className={inputClass} />
            </label>
          </div>
          <div className="flex gap-2">
            <label className="block flex-1 text-xs font-medium text-slate-600">
              Step
              <select value={step} onChange={(e) => setStep(e.target.value as BackfillStep)} className={inputClass}>
                {BACKFILL_STEPS.map((s) => (
                  <option key={s} value={s}>
                    {s}
                  </option>
                ))}
              </select>
            </label>
            <label className="block flex-1 text-xs font-medium text-slate-600">
              At most at once
              <input type="number" min={1} max={MAX_BACKFILL_CONCURRENCY} value={concurrency} onChange={(e) => setConcurrency(Math.trunc(Number(e.target.value)) || 1)} className={inputClass} />
            </label>
          </div>
          {slots && !slots.ok && (
            <p role="alert" className="text-xs text-red-700">
              {slots.message}
            </p>
          )}
          {slots?.ok && (
            <p className="text-xs text-slate-600" data-testid="backfill-slots">
              {slots.slots.length === 1 ? `1 run: ${slots.slots[0]}` : `${slots.slots.length} runs: ${slots.slots[0]} … ${slots.slots.at(-1)}`}, of the saved version; the
              other parameters take their defaults.
            </p>
          )}
          {start.error ? <ErrorBanner error={start.error} /> : null}
          <PermittedButton type="submit" variant="primary" action="run.start" what="start backfills" disabled={!slots?.ok || start.isPending}>
            {start.isPending ? "Starting…" : "Start backfill"}
          </PermittedButton>
        </form>
      )}
    </section>
  );
}
