import { createReadStream } from "node:fs";
import { createHash } from "node:crypto";
import { fileNameMatches } from "@sluice/model";
import type { RunService } from "../runs/run.service.ts";
import { systemActor } from "../audit/audit.repository.ts";
import type { FileWatchRepository } from "./file-watch.repository.ts";

/** sha256 of a stored file, hex: what says "the same content" when a file is uploaded again. */
export function fileChecksum(filePath: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash("sha256");
    createReadStream(filePath)
      .on("data", (c) => hash.update(c))
      .on("error", reject)
      .on("end", () => resolve(hash.digest("hex")));
  });
}

/**
 * After an upload is recorded: one run of each of the workspace's pipelines whose watch matches the file's name,
 * unless that pipeline already acted on this content or has a run queued (which then reads the new file too).
 * A pipeline that cannot start (say it became invalid) is logged and tried again by the next upload; the upload
 * itself has succeeded either way, so nothing here fails it.
 */
export async function startOnUpload(d: {
  workspaceId: string;
  file: { id: string; name: string; checksum: string };
  fileWatches: FileWatchRepository;
  runs: Pick<RunService, "start">;
  log: (m: string) => void;
}) {
  const actor = systemActor(d.workspaceId, `upload of ${d.file.name}`);
  const trigger = `file: ${d.file.name}`;
  for (const watch of await d.fileWatches.watches(d.workspaceId)) {
    if (!fileNameMatches(watch.pattern, d.file.name)) continue;
    try {
      await d.fileWatches.onUpload(watch.pipelineId, { fileId: d.file.id, checksum: d.file.checksum }, () =>
        d.runs.start(d.workspaceId, actor, { pipelineId: watch.pipelineId, trigger }),
      );
    } catch (e) {
      d.log(`Could not start pipeline ${watch.pipelineId} for the upload of "${d.file.name}": ${e instanceof Error ? e.message : String(e)}`);
    }
  }
}
