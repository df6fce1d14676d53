import { useMemo } from "react";
import type { Column, PipelineGraph } from "@sluice/model";
import { suggestCleaning, type CleanOperation } from "./clean-suggestion.ts";
import { useInputPreview } from "./use-input-preview.ts";

const said = (op: CleanOperation) => (op.op === "null_if" ? "placeholders to null" : op.op === "case" ? "lower case" : "trim");

/**
 * Clean's "Suggested cleaning": per incoming text column, the operations its previewed values call for and why,
 * added as the node's column rows in one click, where each stays editable.
 */
export function CleanSuggestionNote({ graph, nodeId, columns, config, onChange }: { graph: PipelineGraph; nodeId: string; columns: Column[]; config: Record<string, unknown>; onChange: (config: Record<string, unknown>) => void }) {
  const before = useInputPreview(graph, nodeId);
  const suggested = useMemo(() => (before ? suggestCleaning(config as { columns?: { column: string }[] }, columns, before.rows) : []), [before, config, columns]);
  if (!before || suggested.length === 0) return null;
  const rows = before.rows.length;
  const existing = Array.isArray(config.columns) ? (config.columns as unknown[]) : [];
  return (
    <div role="note" data-testid="clean-suggestion" className="mb-2 rounded-md bg-cyan-50 px-2 py-1.5 text-xs text-cyan-900">
      <p>Suggested from the {rows.toLocaleString("en-US")} previewed {rows === 1 ? "row" : "rows"}:</p>
      <ul className="ml-4 list-disc">
        {suggested.map((s) => (
          <li key={s.column}>
            {s.column}: {s.operations.map(said).join(", ")} ({s.reasons.join("; ")})
          </li>
        ))}
      </ul>
      <button
        type="button"
        className="mt-1 rounded border border-cyan-700 px-1.5 py-0.5 font-medium hover:bg-cyan-100"
        onClick={() => onChange({ ...config, columns: [...existing, ...suggested.map((s) => ({ column: s.column, operations: s.operations }))] })}
      >
        Use suggested cleaning
      </button>
    </div>
  );
}
