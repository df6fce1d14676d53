import { Link } from "react-router-dom";
import type { RunStatus } from "@sluice/model";
import { Button } from "../components/button.tsx";
import { RunStatusBadge } from "../components/run-status-badge.tsx";

/**
 * Run is offered only for a valid graph; when it is not, the button says why instead of failing later.
 * Unsaved changes are saved first, since a run always executes a saved, immutable version.
 * A run in progress is news, not an error: a neutral note that opens the run. The reason Run is disabled is a
 * short grey line (or, when the toolbar's problems badge already says it, only the button's description), and
 * never more than one line. Once the graph differs from the version the last run used (`behindFrom`), its badge is
 * grey and says so, as the canvas dims that run's results: a green "succeeded" would vouch for a graph that did not run.
 */
export function RunControl({
  blockedReason,
  explainedElsewhere = false,
  dirty,
  starting,
  runId,
  status,
  behindFrom = null,
  onRun,
}: {
  blockedReason: string | null;
  /** The reason is shown elsewhere (the problems badge): keep it as the button's description only. */
  explainedElsewhere?: boolean;
  dirty: boolean;
  starting: boolean;
  runId: string | null;
  status: RunStatus | null;
  /** The version the last run used, once the graph being edited differs from it; null while it still matches. */
  behindFrom?: number | null;
  onRun: () => void;
}) {
  const active = status === "queued" || status === "running";
  const reason = blockedReason ?? (active ? "A run of this pipeline is in progress." : null);
  const reasonVisible = reason !== null && blockedReason !== null && !explainedElsewhere;
  return (
    <div className="flex items-center gap-2">
      {runId &&
        (active ? (
          <Link
            to={`/runs/${runId}`}
            title="A run of this pipeline is in progress: open its page"
            className="inline-flex items-center gap-1.5 rounded-full bg-sky-50 px-2.5 py-0.5 text-xs font-medium text-sky-900 ring-1 ring-sky-200 hover:underline"
          >
            <span aria-hidden className="h-1.5 w-1.5 animate-pulse rounded-full bg-sky-600" />
            Run in progress
          </Link>
        ) : behindFrom !== null && status !== null ? (
          <Link
            to={`/runs/${runId}`}
            data-testid="run-behind"
            title={`The last run ${status} on v${behindFrom}; the graph has changed since, so its results are from before your changes: open its page`}
            className="max-w-72 truncate whitespace-nowrap rounded-full bg-slate-100 px-2.5 py-0.5 text-xs text-slate-700 ring-1 ring-slate-200 hover:underline"
          >
            Last run {status} on v{behindFrom} · before your changes
          </Link>
        ) : (
          <Link to={`/runs/${runId}`} className="flex items-center gap-1 text-xs text-cyan-800 hover:underline" aria-label="Open the run's page" title="The last run: open its page">
            <RunStatusBadge status={status} /> run details
          </Link>
        ))}
      {reasonVisible && (
        <span className="max-w-48 truncate text-xs text-slate-600" title={reason} aria-hidden>
          {reason}
        </span>
      )}
      {/* A disabled button shows no tooltip of its own in every browser: its wrapper does. */}
      <span title={reason ?? undefined}>
        <Button variant="primary" onClick={onRun} disabled={reason !== null || starting} aria-describedby={reason ? "run-blocked" : undefined}>
          {starting ? "Starting…" : dirty ? "Save & run" : "Run"}
        </Button>
      </span>
      {reason && (
        <span id="run-blocked" role="note" className="sr-only">
          {reason}
        </span>
      )}
    </div>
  );
}
