import { Link } from "react-router-dom";
import type { BackfillInfo } from "@sluice/model";
import { useBackfills, useRetryFailedSlots } from "../api/backfills.queries.ts";
import { PermittedButton } from "../auth/permitted-button.tsx";
import { ErrorBanner } from "../components/error-banner.tsx";
import { formatDateTime } from "../lib/format-time.ts";

/** The newest backfills on the runs dashboard: each a group with its progress, its failed slots and "retry failed slots only". */
export function BackfillGroups({ pipelineId }: { pipelineId: string | undefined }) {
  const backfills = useBackfills(pipelineId);
  const retry = useRetryFailedSlots();
  const list = backfills.data?.backfills ?? [];
  if (list.length === 0) return null;
  return (
    <section aria-labelledby="backfills-heading" className="mb-6">
      <h2 id="backfills-heading" className="mb-2 text-lg font-semibold">
        Backfills
      </h2>
      {retry.error ? <ErrorBanner error={retry.error} /> : null}
      <ul className="space-y-2">
        {list.map((b) => (
          <BackfillGroup key={b.id} b={b} retrying={retry.isPending && retry.variables === b.id} onRetry={() => retry.mutate(b.id)} />
        ))}
      </ul>
    </section>
  );
}

function BackfillGroup({ b, retrying, onRetry }: { b: BackfillInfo; retrying: boolean; onRetry: () => void }) {
  const { counts } = b;
  const done = counts.succeeded + counts.failed + counts.cancelled;
  const failed = b.slots.filter((s) => s.status === "failed" || s.status === "cancelled");
  const label = `Backfill of ${b.pipelineName}, ${b.parameter} ${b.from} to ${b.to}`;
  return (
    <li className="rounded-md border border-slate-200 bg-white p-3 text-sm" data-testid="backfill" aria-label={label}>
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <span>
          <Link to={`/pipelines/${b.pipelineId}`} className="font-medium text-cyan-800 hover:underline">
            {b.pipelineName}
          </Link>{" "}
          <span className="text-slate-700">
            {b.parameter} from {b.from} to {b.to} by {b.step}, {b.concurrency} at once (v{b.versionNumber})
          </span>
        </span>
        <span className="text-xs text-slate-500">started {formatDateTime(b.createdAt)}</span>
      </div>
      <div className="mt-2 flex items-center gap-3">
        <progress className="h-2 w-48" max={counts.total} value={done} aria-label={`${label}: ${done} of ${counts.total} slots done`} />
        <span className="text-slate-700" data-testid="backfill-progress">
          {counts.succeeded} of {counts.total} succeeded
          {counts.running > 0 && ` · ${counts.running} running`}
          {counts.queued > 0 && ` · ${counts.queued} queued`}
          {counts.failed > 0 && ` · ${counts.failed} failed`}
          {counts.cancelled > 0 && ` · ${counts.cancelled} cancelled`}
        </span>
      </div>
      {failed.length > 0 && (
        <div className="mt-2 flex flex-wrap items-center gap-2">
          <span className="text-red-700">Failed slots:</span>
          {failed.map((s) => (
            <Link key={s.slot} to={`/runs/${s.runId}`} className="text-red-700 underline" title={s.error ?? s.status}>
              {s.slot}
            </Link>
          ))}
          <PermittedButton action="run.start" what="retry runs" disabled={retrying} onClick={onRetry}>
            {retrying ? "Retrying…" : "Retry failed slots only"}
          </PermittedButton>
        </div>
      )}
    </li>
  );
}
