import { useMemo } from "react";
import type { PipelineGraph } from "@sluice/model";
import { RETYPE_ERROR_COLUMN } from "@sluice/pipeline";
import { useNodePreview } from "../../api/editor.queries.ts";
import { useDebounced } from "../../lib/use-debounced.ts";
import { previewScope } from "../preview-scope.ts";

function asRejecting(scope: PipelineGraph | null, nodeId: string): PipelineGraph | null {
  if (!scope) return null;
  return { ...scope, nodes: scope.nodes.map((n) => (n.id === nodeId ? { ...n, config: { ...n.config, onError: "reject" } } : n)) };
}

/**
 * How many rows of the previewed data have a value the retype node's settings cannot convert, counted live
 * from its "rows that failed" output, so a wrong format shows up while it is being typed.
 */
export function RetypeFailures({ graph, nodeId }: { graph: PipelineGraph; nodeId: string }) {
  // Counted as if failures were routed to "rows that failed", whatever the node does with them, so the count
  // is there before the user picks a policy.
  const scopeJson = useDebounced(JSON.stringify(asRejecting(previewScope(graph, nodeId), nodeId)), 400);
  const scope = useMemo(() => JSON.parse(scopeJson) as PipelineGraph | null, [scopeJson]);
  const rejects = useNodePreview(scope, nodeId, "rejects", 1000);
  const p = rejects.data;
  if (!p || p.problems.some((x) => x.severity === "error")) return null;
  const count = p.rowCount ?? p.rows.length;
  const reasons = [...new Set(p.rows.map((r) => r[RETYPE_ERROR_COLUMN]).filter((v): v is string => typeof v === "string"))].slice(0, 3);
  return (
    <div role="status" data-testid="retype-failures" className={`mb-2 rounded-md px-2 py-1.5 text-xs ${count === 0 ? "bg-emerald-50 text-emerald-900" : "bg-amber-50 text-amber-900"}`}>
      {count === 0
        ? "Every value converts."
        : `${count.toLocaleString()} row${count === 1 ? "" : "s"} ${count === 1 ? "has" : "have"} a value that does not convert${p.sampled ? " (in a sample)" : ""}.`}
      {reasons.length > 0 && (
        <ul className="mt-1 list-disc pl-4">
          {reasons.map((r) => (
            <li key={r}>{r}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
