import { Button } from "../components/button.tsx";

/**
 * In the inspector: run the selected node and everything downstream of it, reusing the rest from the last run of the
 * saved version (docs/resume.md). Disabled with its reason in words (unsaved changes, no run yet, no right to run);
 * whether a run kept the upstream results only the server knows, and its refusal is shown as a notice.
 */
export function RunFromHere({ reason, starting, onRun }: { reason: string | null; starting: boolean; onRun(): void }) {
  return (
    <div className="border-b border-slate-200 px-3 py-2">
      {/* A disabled button shows no tooltip of its own in every browser: its wrapper does. */}
      <span title={reason ?? "Run this node and everything after it, reusing the results before it from the last run"} className="block">
        <Button className="w-full justify-center" onClick={onRun} disabled={reason !== null || starting} aria-describedby={reason ? "run-from-blocked" : undefined}>
          {starting ? "Starting…" : "Run from here"}
        </Button>
      </span>
      {reason && (
        <p id="run-from-blocked" className="mt-1 text-xs text-slate-600" data-testid="run-from-reason">
          {reason}
        </p>
      )}
    </div>
  );
}
