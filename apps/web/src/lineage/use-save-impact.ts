import { useMemo } from "react";
import type { Column, PipelineGraph } from "@sluice/model";
import { sinkColumnChanges } from "@sluice/pipeline";
import { useConnections } from "../api/connections.queries.ts";
import { useFileOptions } from "../api/files.queries.ts";
import { useDatasetUsages } from "../api/lineage.queries.ts";
import { lineageEnvironment } from "./lineage-environment.ts";
import { saveImpact, type SaveImpact } from "./save-impact.ts";

/**
 * While the save dialog is open: the columns the draft would stop writing or retype, per table or file, against the
 * version last saved, and the pipelines downstream that read them (GET /api/datasets/:name/usage, asked afresh).
 */
export function useSaveImpact(
  saved: PipelineGraph,
  draft: PipelineGraph,
  portSchemas: Readonly<Record<string, Readonly<Record<string, Column[]>>>>,
  pipelineId: string,
  enabled: boolean,
): { items: SaveImpact[]; checking: boolean } {
  const files = useFileOptions(enabled).data?.files;
  const conns = useConnections(enabled).data?.connections;
  const changes = useMemo(
    () => (enabled && files ? sinkColumnChanges(saved, draft, lineageEnvironment(files, conns ?? [], portSchemas)) : []),
    [enabled, files, conns, saved, draft, portSchemas],
  );
  const usages = useDatasetUsages(changes.map((c) => c.dataset));
  return { items: saveImpact(changes, usages.map((u) => u.data), pipelineId), checking: enabled && (!files || usages.some((u) => u.isPending)) };
}
