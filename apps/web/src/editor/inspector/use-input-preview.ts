import { useMemo } from "react";
import type { PipelineGraph } from "@sluice/model";
import { useNodePreview } from "../../api/editor.queries.ts";
import { useDebounced } from "../../lib/use-debounced.ts";
import { previewScope } from "../preview-scope.ts";

/**
 * The preview of the rows coming into a node's "in" port (its input's preview, up to 1,000 rows), refetched when
 * anything upstream changes and not when the node's own settings do; null while loading or when it has errors.
 */
export function useInputPreview(graph: PipelineGraph, nodeId: string) {
  const scopeJson = useDebounced(JSON.stringify(previewScope(graph, nodeId)), 400);
  const scope = useMemo(() => JSON.parse(scopeJson) as PipelineGraph | null, [scopeJson]);
  const input = scope?.edges.find((e) => e.target === nodeId && (e.targetPort ?? "in") === "in");
  const inputScope = useMemo(() => (scope && input ? previewScope(scope, input.source) : null), [scope, input]);
  const before = useNodePreview(inputScope, input?.source ?? null, input?.sourcePort).data;
  return before && !before.problems.some((p) => p.severity === "error") ? before : null;
}
