import { existsSync, mkdirSync } from "node:fs";
import { link, rm } from "node:fs/promises";
import path from "node:path";
import type { PipelineGraph } from "@sluice/model";
import type { DataFileInfo, PipelineEnvironment } from "@sluice/pipeline";

/** Where a run keeps the uploaded files its sources read, inside its node outputs folder (node-outputs.ts). */
export const pinnedFilesDir = (nodeOutputs: string) => path.join(nodeOutputs, "files");

const pinnedPath = (nodeOutputs: string, file: DataFileInfo) => path.join(pinnedFilesDir(nodeOutputs), `${file.id}${path.extname(file.path)}`);

/**
 * Keeps the uploaded file each single-file source reads as a hard link in the run's node outputs folder, and has the
 * run read it there. An uploaded file's stored content never changes (a replace stores a new file and deletes the old
 * one), so the link is the source's rows as this run read them, kept for a resume at no cost: a source then needs no
 * copy of its rows, which at millions of rows cost as much as reading the file. A resume of this run reads the same
 * link again (`from`), whatever happened to the upload since: those sources are in `fromEarlier`. Where no link can be made (another file system, or a
 * file gone since), the source is not pinned and its rows are kept as any node's.
 *
 * Sources with a name pattern are not pinned: which files they read is itself recorded per run (incremental.md).
 */
export async function pinFiles(
  graph: PipelineGraph,
  env: PipelineEnvironment,
  o: { dir: string; from?: string | undefined },
): Promise<{ env: PipelineEnvironment; nodes: Set<string>; fromEarlier: Set<string> }> {
  const paths = new Map<string, string>();
  const earlierFiles = new Set<string>();
  const nodes = new Set<string>();
  const fromEarlier = new Set<string>();
  for (const node of graph.nodes) {
    if (node.type !== "file") continue;
    const config = node.config as { fileId?: unknown; pattern?: unknown };
    if (typeof config.fileId !== "string" || config.fileId === "" || (typeof config.pattern === "string" && config.pattern !== "")) continue;
    const file = env.file(config.fileId);
    if (!file || file.unreadable) continue;
    const target = pinnedPath(o.dir, file);
    if (!paths.has(file.id)) {
      const earlier = o.from ? pinnedPath(o.from, file) : undefined;
      const source = earlier && existsSync(earlier) ? earlier : file.path;
      try {
        mkdirSync(pinnedFilesDir(o.dir), { recursive: true });
        // A retried attempt of the same run links again.
        await rm(target, { force: true });
        await link(source, target);
      } catch {
        continue;
      }
      paths.set(file.id, target);
      if (source === earlier) earlierFiles.add(file.id);
    }
    nodes.add(node.id);
    if (earlierFiles.has(file.id)) fromEarlier.add(node.id);
  }
  if (paths.size === 0) return { env, nodes, fromEarlier };
  const pinned = (f: DataFileInfo | undefined) => (f && paths.has(f.id) ? { ...f, path: paths.get(f.id)! } : f);
  return { env: { ...env, file: (id) => pinned(env.file(id)) }, nodes, fromEarlier };
}
