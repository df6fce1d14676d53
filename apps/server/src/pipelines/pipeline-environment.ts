import { isUuid, type Column, type PipelineGraph, type Result } from "@sluice/model";
import type { DataFileInfo, PipelineEnvironment } from "@sluice/pipeline";
import type { DataFileRepository } from "../files/data-file.repository.ts";
import type { StoredFileCheck } from "../files/stored-file-check.ts";

/** Finds the columns of an external source node (postgres, http) by asking that source. */
export type ExternalSchemaResolver = (node: PipelineGraph["nodes"][number]) => Promise<Result<Column[]> | undefined>;

/**
 * Validation is synchronous and runs in the browser too, so everything it needs to know about the
 * outside world is fetched here first: file metadata captured at upload, and external source schemas.
 * Only the workspace's files are found: a node naming another workspace's file finds none, as for a deleted one.
 */
export async function buildEnvironment(
  workspaceId: string,
  graph: PipelineGraph,
  deps: { files: DataFileRepository; external: ExternalSchemaResolver; checkFile: StoredFileCheck },
): Promise<PipelineEnvironment> {
  const fileIds = graph.nodes
    .filter((n) => n.type === "file" && typeof n.config.fileId === "string")
    .map((n) => n.config.fileId as string)
    .filter(isUuid);
  const files = new Map<string, DataFileInfo>();
  await Promise.all(
    (await deps.files.getMany(workspaceId, [...new Set(fileIds)])).map(async (f) => {
      const info: DataFileInfo = { id: f.id, name: f.name, path: deps.files.pathOf(f.storageKey), format: f.format, columns: f.columns, options: f.options, rowCount: f.rowCount };
      // Every preview and run finds its files here: one DuckDB must not parse is marked, and its source refuses it.
      const unreadable = await deps.checkFile(info);
      files.set(f.id, unreadable ? { ...info, unreadable } : info);
    }),
  );
  const external = new Map<string, Result<Column[]>>();
  await Promise.all(
    graph.nodes.map(async (n) => {
      const r = await deps.external(n);
      if (r) external.set(n.id, r);
    }),
  );
  return { file: (id) => files.get(id), sourceColumns: (nodeId) => external.get(nodeId) };
}
