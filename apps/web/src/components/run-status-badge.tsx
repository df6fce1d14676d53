import type { RunStatus } from "@sluice/model";
import { Badge, type BadgeTone } from "./badge.tsx";

const toneOf: Record<RunStatus, BadgeTone> = {
  queued: "neutral",
  running: "info",
  succeeded: "success",
  failed: "danger",
  cancelled: "warning",
};

/** A run's status; `null` means the pipeline has never run. */
export function RunStatusBadge({ status }: { status: RunStatus | null }) {
  if (!status) return <span className="text-xs text-slate-500">never run</span>;
  return <Badge tone={toneOf[status]}>{status}</Badge>;
}
