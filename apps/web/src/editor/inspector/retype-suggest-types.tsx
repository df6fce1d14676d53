import { useMemo } from "react";
import type { Column, PipelineGraph } from "@sluice/model";
import { suggestRetypes } from "./retype-type-suggestion.ts";
import type { RetypeEntry } from "./retype-mapping.ts";
import { useInputPreview } from "./use-input-preview.ts";

/**
 * "Suggested from the data": the conversions every previewed value of the incoming text columns takes
 * (order_date → date as %Y-%m-%d or %d/%m/%Y, amount → decimal(18,2)), said with what they are based on, added to
 * the mapping in one click and editable there like any other row.
 */
const described = (e: RetypeEntry) =>
  `${e.column} → ${e.to === "decimal" ? `decimal(${e.precision ?? 18},${e.scale ?? 3})` : e.to}${e.formats?.length ? ` (${e.formats.join(", ")})` : ""}`;

export function RetypeSuggestTypes({ graph, nodeId, columns, config, onChange }: { graph: PipelineGraph; nodeId: string; columns: Column[]; config: Record<string, unknown>; onChange: (config: Record<string, unknown>) => void }) {
  const before = useInputPreview(graph, nodeId);
  const suggested = useMemo(() => (before ? suggestRetypes(config, columns, before.rows) : []), [before, config, columns]);
  if (!before || suggested.length === 0) return null;
  const entries = (Array.isArray(config.columns) ? config.columns : []) as RetypeEntry[];
  const rows = before.rows.length;
  return (
    <div role="note" data-testid="retype-type-suggestion" className="mb-2 rounded-md bg-cyan-50 px-2 py-1.5 text-xs text-cyan-900">
      <p>
        Suggested from the {rows.toLocaleString("en-US")} previewed {rows === 1 ? "row" : "rows"}, every value of which converts: {suggested.map(described).join("; ")}.
      </p>
      <button type="button" className="mt-1 rounded border border-cyan-700 px-1.5 py-0.5 font-medium hover:bg-cyan-100" onClick={() => onChange({ ...config, columns: [...entries, ...suggested] })}>
        Use suggested types
      </button>
    </div>
  );
}
