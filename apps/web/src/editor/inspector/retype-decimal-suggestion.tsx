import { useMemo } from "react";
import type { PipelineGraph } from "@sluice/model";
import { decimalCommaHint } from "./retype-decimal-hint.ts";
import { useInputPreview } from "./use-input-preview.ts";

/**
 * "These numbers use a decimal comma" with a one-click fix, from the rows coming into the retype node (a preview
 * of its input, up to 1,000 rows), so 424,19 converts rather than silently becoming null.
 */
export function RetypeDecimalSuggestion({ graph, nodeId, config, onChange }: { graph: PipelineGraph; nodeId: string; config: Record<string, unknown>; onChange: (config: Record<string, unknown>) => void }) {
  const before = useInputPreview(graph, nodeId);
  const hint = useMemo(() => (before ? decimalCommaHint(config, before.rows) : null), [before, config]);
  if (!hint) return null;
  const thousands = hint.settings.thousandsSeparator;
  return (
    <div role="note" data-testid="retype-decimal-hint" className="mb-2 flex flex-wrap items-center gap-2 rounded-md bg-cyan-50 px-2 py-1.5 text-xs text-cyan-900">
      <span>
        These numbers look written with a decimal comma ({hint.examples.join("; ")}).
        {thousands === "." ? " Thousands would be grouped with a point." : ""}
      </span>
      <button type="button" className="rounded border border-cyan-700 px-1.5 py-0.5 font-medium hover:bg-cyan-100" onClick={() => onChange({ ...config, ...hint.settings })}>
        Use decimal comma
      </button>
    </div>
  );
}
