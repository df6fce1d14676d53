import { fileNameMatches, isUuid, type Column, type PipelineGraph, type Result } from "@sluice/model";
import { fileSourceConfigSchema, type DataFileInfo, type PipelineEnvironment } from "@sluice/pipeline";
import type { DataFileRecord, DataFileRepository } from "../files/data-file.repository.ts";
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
  const describe = async (f: DataFileRecord): Promise<DataFileInfo> => {
    const info: DataFileInfo = { id: f.id, name: f.name, path: deps.files.pathOf(f.storageKey), format: f.format, columns: f.columns, options: f.options, rowCount: f.rowCount };
    // Every preview and run finds its files here: one DuckDB must not parse is marked, and its source refuses it.
    const unreadable = await deps.checkFile(info);
    return unreadable ? { ...info, unreadable } : info;
  };
  await Promise.all(
    (await deps.files.getMany(workspaceId, [...new Set(fileIds)])).map(async (f) => {
      files.set(f.id, await describe(f));
    }),
  );
  // File sources with a name pattern read every matching upload, oldest first (docs/nodes/file.md, "Many files by name").
  const matching = new Map<string, DataFileInfo[]>();
  const patterns = graph.nodes.flatMap((n) => {
    const c = n.type === "file" ? fileSourceConfigSchema.safeParse(n.config) : undefined;
    return c?.success && c.data.pattern !== "" ? [{ nodeId: n.id, pattern: c.data.pattern }] : [];
  });
  if (patterns.length) {
    const uploads = (await deps.files.list(workspaceId)).sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.name.localeCompare(b.name));
    for (const p of patterns) matching.set(p.nodeId, await Promise.all(uploads.filter((f) => fileNameMatches(p.pattern, f.name)).map(describe)));
  }
  const external = new Map<string, Result<Column[]>>();
  await Promise.all(
    graph.nodes.map(async (n) => {
      const r = await deps.external(n);
      if (r) external.set(n.id, r);
    }),
  );
  return {
    file: (id) => files.get(id),
    filesMatching: (nodeId) => {
      const all = matching.get(nodeId);
      return all ? { files: all, shape: all[0] } : undefined;
    },
    sourceColumns: (nodeId) => external.get(nodeId),
  };
}
