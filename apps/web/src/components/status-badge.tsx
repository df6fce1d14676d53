import type { RunStatus } from "@sluice/model";

const colours: Record<RunStatus, string> = {
  queued: "bg-slate-100 text-slate-700",
  running: "bg-sky-100 text-sky-800",
  succeeded: "bg-emerald-100 text-emerald-800",
  failed: "bg-red-100 text-red-800",
  cancelled: "bg-amber-100 text-amber-800",
};

export function StatusBadge({ status }: { status: RunStatus | null }) {
  if (!status) return <span className="text-xs text-slate-400">never run</span>;
  return <span className={`rounded-full px-2 py-0.5 text-xs font-medium ${colours[status]}`}>{status}</span>;
}
