import { existsSync, mkdirSync } from "node:fs";
import { link, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import type { PipelineGraph } from "@sluice/model";
import type { DataFileInfo, PipelineEnvironment } from "@sluice/pipeline";

/** Where a run keeps the uploaded files its sources read, inside its node outputs folder (node-outputs.ts). */
export const pinnedFilesDir = (nodeOutputs: string) => path.join(nodeOutputs, "files");

const pinnedPath = (nodeOutputs: string, file: DataFileInfo) => path.join(pinnedFilesDir(nodeOutputs), `${file.id}${path.extname(file.path)}`);
/**
 * How the file was read (format, options, columns) when it was linked: a replace changes them with the content. Never
 * a name a link can have (`<id><extension>`, one extension): `<id>.json` was, and writing it wrote into the uploaded
 * JSON file itself through its link.
 */
const infoPath = (nodeOutputs: string, fileId: string) => path.join(pinnedFilesDir(nodeOutputs), `${fileId}.info.json`);
/** Where runs before `.info.json` kept it; read for a resume of such a run, unless it is the link itself. */
const legacyInfoPath = (nodeOutputs: string, fileId: string) => path.join(pinnedFilesDir(nodeOutputs), `${fileId}.json`);

/** The single uploaded file a file source reads, if that is what it reads (a name pattern is not pinned). */
function fileIdOf(node: PipelineGraph["nodes"][number]): string | undefined {
  if (node.type !== "file") return undefined;
  const config = node.config as { fileId?: unknown; pattern?: unknown };
  if (typeof config.fileId !== "string" || config.fileId === "" || (typeof config.pattern === "string" && config.pattern !== "")) return undefined;
  return config.fileId;
}

async function earlierInfo(from: string, fileId: string): Promise<DataFileInfo | undefined> {
  for (const at of [infoPath(from, fileId), legacyInfoPath(from, fileId)]) {
    try {
      const info = JSON.parse(await readFile(at, "utf8")) as DataFileInfo;
      const link = pinnedPath(from, info);
      if (info.id === fileId && link !== at && existsSync(link)) return info;
    } catch {
      // none there, or not whole: try the next, or read the current upload
    }
  }
  return undefined;
}

/**
 * Keeps the uploaded file each single-file source reads as a hard link in the run's node outputs folder, with how it
 * was read beside it, and has the run read it there. An uploaded file's stored content never changes (a replace
 * stores a new file and deletes the old one), so the link is the source's rows as this run read them, kept for a
 * resume at no cost: such a source needs no copy of its rows, which at millions of rows cost as much as reading it.
 *
 * Resuming (`from` and the nodes it `reuses`): a file whose every reader is reused is linked from the earlier run's
 * link and read as it was read then, so those sources give the rows the earlier run read whatever happened to the
 * upload since (`fromEarlier`). A file that a source reads afresh (it failed there, or runs again from here) is the
 * current upload for every reader; a reused reader of it is then not pinned, and its rows come back as any node's.
 * So is a reused source whose earlier run kept no link. Where no link can be made (another file system, or a file
 * gone since), nothing is pinned and rows are kept as any node's.
 */
export async function pinFiles(
  graph: PipelineGraph,
  env: PipelineEnvironment,
  o: { dir: string; from?: string | undefined; reused?: ReadonlySet<string> | undefined },
): Promise<{ env: PipelineEnvironment; nodes: Set<string>; fromEarlier: Set<string> }> {
  const readers = new Map<string, string[]>();
  for (const node of graph.nodes) {
    const id = fileIdOf(node);
    if (id !== undefined) readers.set(id, [...(readers.get(id) ?? []), node.id]);
  }
  const pinned = new Map<string, DataFileInfo>();
  const nodes = new Set<string>();
  const fromEarlier = new Set<string>();
  for (const [fileId, ids] of readers) {
    const allReused = o.from !== undefined && ids.every((id) => o.reused?.has(id));
    const earlier = allReused ? await earlierInfo(o.from!, fileId) : undefined;
    const current = env.file(fileId);
    const info = earlier ?? (allReused ? undefined : current);
    if (!info || info.unreadable) continue;
    const target = pinnedPath(o.dir, info);
    try {
      mkdirSync(pinnedFilesDir(o.dir), { recursive: true });
      // A retried attempt of the same run links again.
      await rm(target, { force: true });
      await link(earlier ? pinnedPath(o.from!, earlier) : info.path, target);
      await writeFile(infoPath(o.dir, fileId), JSON.stringify(info));
    } catch {
      continue;
    }
    pinned.set(fileId, { ...info, path: target });
    // A reused reader of a file read afresh is left out: its rows were not these.
    for (const id of ids) if (earlier || !o.reused?.has(id) || o.from === undefined) nodes.add(id);
    if (earlier) for (const id of ids) fromEarlier.add(id);
  }
  if (pinned.size === 0) return { env, nodes, fromEarlier };
  return { env: { ...env, file: (id) => pinned.get(id) ?? env.file(id) }, nodes, fromEarlier };
}
