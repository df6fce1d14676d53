import { useState } from "react";
import type { RunWatermark } from "@sluice/model";
import { useResetWatermark, useRunWatermarks } from "../api/watermarks.queries.ts";
import { useCan } from "../auth/use-can.ts";
import { Button } from "../components/button.tsx";
import { DataTable, PageSection } from "../components/data-table.tsx";
import { ErrorBanner } from "../components/error-banner.tsx";

/** How a run's range ended, in words (see runWatermarkSchema). */
const stateText: Record<RunWatermark["state"], string> = {
  pending: "not stored yet",
  stored: "stored",
  recovered: "stored by a later run (this run's sinks had loaded)",
  discarded: "dropped (nothing was loaded)",
  superseded: "not stored (reset meanwhile)",
};

const mark = (v: string | null) => v ?? "none";

/**
 * The incremental sources of a run: the watermark each read from and up to, whether that was stored, and where the
 * pipeline stands now, with a reset (its next run reads every row again). Nothing for a run without such sources.
 */
export function RunWatermarks({ runId, pipelineId, active, label }: { runId: string; pipelineId: string; active: boolean; label: (nodeId: string) => string }) {
  const marks = useRunWatermarks(runId, active);
  const reset = useResetWatermark(runId);
  const edit = useCan("pipeline.edit", "reset watermarks");
  const [confirming, setConfirming] = useState<string | null>(null);
  if (!marks.data || marks.data.watermarks.length === 0) return marks.error ? <ErrorBanner error={marks.error} /> : null;
  const now = new Map(marks.data.stored.map((w) => [w.nodeId, w]));
  return (
    <PageSection title="Watermarks">
      <p className="mb-2 text-sm text-slate-600">Incremental sources read only rows above the watermark the last successful run stored.</p>
      {reset.error !== null && <ErrorBanner error={reset.error} />}
      <DataTable columns={[{ label: "Source" }, { label: "Column" }, { label: "Before", numeric: true }, { label: "After", numeric: true }, { label: "This run's range" }, { label: "Stored now", numeric: true }, { label: "Reset", hidden: true }]}>
        {marks.data.watermarks.map((w) => (
          <tr key={w.nodeId} data-testid={`watermark-${w.nodeId}`}>
            <td className="px-3 py-1.5">{label(w.nodeId)}</td>
            <td className="px-3 py-1.5 font-mono">{w.column}</td>
            <td className="px-3 py-1.5 text-right font-mono tabular-nums" data-testid={`watermark-before-${w.nodeId}`}>{mark(w.before)}</td>
            <td className="px-3 py-1.5 text-right font-mono tabular-nums" data-testid={`watermark-after-${w.nodeId}`}>{mark(w.after)}</td>
            <td className="px-3 py-1.5">{stateText[w.state]}</td>
            <td className="px-3 py-1.5 text-right font-mono tabular-nums" data-testid={`watermark-now-${w.nodeId}`}>{mark(now.get(w.nodeId)?.value ?? null)}</td>
            <td className="px-3 py-1.5 whitespace-nowrap">
              {confirming === w.nodeId ? (
                <span className="flex items-center gap-2">
                  <Button
                    variant="danger"
                    disabled={reset.isPending}
                    onClick={() => reset.mutate({ pipelineId, nodeId: w.nodeId }, { onSuccess: () => setConfirming(null) })}
                  >
                    Reset: read every row next run
                  </Button>
                  <Button onClick={() => setConfirming(null)}>Keep</Button>
                </span>
              ) : (
                <Button
                  disabled={!edit.allowed}
                  title={edit.reason ?? "Forget where this source has read up to: the next run reads every row again"}
                  onClick={() => setConfirming(w.nodeId)}
                >
                  Reset watermark
                </Button>
              )}
            </td>
          </tr>
        ))}
      </DataTable>
    </PageSection>
  );
}
