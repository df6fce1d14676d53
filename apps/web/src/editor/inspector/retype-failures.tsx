import { useMemo } from "react";
import type { PipelineGraph } from "@sluice/model";
import { RETYPE_ERROR_COLUMN } from "@sluice/pipeline";
import { useNodePreview } from "../../api/editor.queries.ts";
import { useDebounced } from "../../lib/use-debounced.ts";
import { previewScope } from "../preview-scope.ts";
import { countRetypeFailures, type RetypeFailureCounts } from "./retype-failure-counts.ts";

function asRejecting(scope: PipelineGraph | null, nodeId: string): PipelineGraph | null {
  if (!scope) return null;
  return { ...scope, nodes: scope.nodes.map((n) => (n.id === nodeId ? { ...n, config: { ...n.config, onError: "reject" } } : n)) };
}

/**
 * The values the retype node's settings cannot convert, counted live from its "rows that failed" output (up to
 * 1,000 rows back), a moment after the last edit, so a wrong format shows up while it is being typed.
 * `null` while there is nothing to count yet, or the graph upstream has an error (the preview panel shows it).
 */
export function useRetypeFailures(graph: PipelineGraph, nodeId: string, columns: readonly string[]): (RetypeFailureCounts & { sampled: boolean }) | null {
  // Counted as if failures were routed to "rows that failed", whatever the node does with them, so the count
  // is there before the user picks a policy.
  const scopeJson = useDebounced(JSON.stringify(asRejecting(previewScope(graph, nodeId), nodeId)), 400);
  const scope = useMemo(() => JSON.parse(scopeJson) as PipelineGraph | null, [scopeJson]);
  const rejects = useNodePreview(scope, nodeId, "rejects", 1000);
  const p = rejects.data;
  const key = columns.join("\u0000");
  return useMemo(() => {
    if (!p || p.problems.some((x) => x.severity === "error")) return null;
    return { ...countRetypeFailures(p, key === "" ? [] : key.split("\u0000"), RETYPE_ERROR_COLUMN), sampled: p.sampled !== null };
  }, [p, key]);
}

/** The live count of rows with a value that does not convert, with a few example reasons. */
export function RetypeFailures({ counts }: { counts: (RetypeFailureCounts & { sampled: boolean }) | null }) {
  if (!counts) return null;
  const { total, reasons, sampled } = counts;
  return (
    <div role="status" data-testid="retype-failures" className={`mb-2 rounded-md px-2 py-1.5 text-xs ${total === 0 ? "bg-emerald-50 text-emerald-900" : "bg-amber-50 text-amber-900"}`}>
      {total === 0
        ? "Every value converts."
        : `${total.toLocaleString()} row${total === 1 ? "" : "s"} ${total === 1 ? "has" : "have"} a value that does not convert${sampled ? " (in a sample)" : ""}.`}
      {total > 0 && reasons.length > 0 && (
        <ul className="mt-1 list-disc pl-4">
          {reasons.map((r) => (
            <li key={r}>{r}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
