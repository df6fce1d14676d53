import { useMemo } from "react";
import type { Column, PipelineGraph } from "@sluice/model";
import { columnLineage, type ColumnLineage } from "@sluice/pipeline";
import { useConnections } from "../api/connections.queries.ts";
import { useFileOptions } from "../api/files.queries.ts";
import { lineageEnvironment } from "./lineage-environment.ts";

type PortSchemas = Readonly<Record<string, Readonly<Record<string, Column[]>>>>;

/**
 * Column lineage of a graph as it is on screen, saved or not, worked out in the browser by the pipeline package (so
 * it follows every edit); null until the files and connections it names are known, or while `enabled` is false.
 */
export function useGraphLineage(graph: PipelineGraph, portSchemas: PortSchemas, enabled: boolean): ColumnLineage | null {
  const files = useFileOptions(enabled);
  const connections = useConnections(enabled);
  // Without the right to list connections, tables are still traced; only their names fall back to the connection id.
  const conns = connections.data?.connections;
  const fileList = files.data?.files;
  return useMemo(() => {
    if (!enabled || !fileList) return null;
    return columnLineage(graph, lineageEnvironment(fileList, conns ?? [], portSchemas));
  }, [enabled, graph, fileList, conns, portSchemas]);
}
