import { Link } from "react-router-dom";
import type { RunStatus } from "@sluice/model";
import { Button } from "../components/button.tsx";
import { RunStatusBadge } from "../components/run-status-badge.tsx";

/**
 * Run is offered only for a valid graph; when it is not, the button says why instead of failing later.
 * Unsaved changes are saved first, since a run always executes a saved, immutable version.
 */
export function RunControl({
  blockedReason,
  dirty,
  starting,
  runId,
  status,
  onRun,
}: {
  blockedReason: string | null;
  dirty: boolean;
  starting: boolean;
  runId: string | null;
  status: RunStatus | null;
  onRun: () => void;
}) {
  const active = status === "queued" || status === "running";
  const reason = blockedReason ?? (active ? "A run of this pipeline is in progress." : null);
  return (
    <div className="flex items-center gap-2">
      {runId && (
        <Link to={`/runs/${runId}`} className="flex items-center gap-1 text-xs text-cyan-800 hover:underline" aria-label="Open the run's page">
          <RunStatusBadge status={status} /> run details
        </Link>
      )}
      <span className="relative">
        <Button variant="primary" onClick={onRun} disabled={reason !== null || starting} aria-describedby={reason ? "run-blocked" : undefined}>
          {starting ? "Starting…" : dirty ? "Save & run" : "Run"}
        </Button>
      </span>
      {reason && (
        <span id="run-blocked" role="note" className="max-w-64 truncate text-xs text-red-700" title={reason}>
          {reason}
        </span>
      )}
    </div>
  );
}
