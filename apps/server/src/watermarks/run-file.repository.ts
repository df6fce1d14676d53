import type { Db } from "../db/prisma.ts";

export interface RunFileRow {
  fileId: string;
  checksum: string;
  fileName: string;
}

/** What an `onlyNew` file source's range says in the Watermarks section: how many files it has read, in all. */
export const FILES_COLUMN = "files";
export const filesCount = (n: number) => `${n} ${n === 1 ? "file" : "files"}`;

/** The files `onlyNew` file sources read (docs/incremental.md, "Files"): each run's, and those processed for good. */
export function runFileRepository(db: Db) {
  return {
    /**
     * The range and its files in one transaction, before anything reads them: a run that dies after its sinks
     * committed leaves them pending, and the next run settles them as it settles a watermark range.
     */
    async record(runId: string, range: { nodeId: string; before: string | null; after: string }, files: RunFileRow[]): Promise<void> {
      await db.$transaction(async (tx) => {
        await tx.runWatermark.create({ data: { runId, nodeId: range.nodeId, column: FILES_COLUMN, before: range.before, after: range.after } });
        if (files.length) await tx.runFile.createMany({ data: files.map((f) => ({ runId, nodeId: range.nodeId, ...f })) });
      });
    },
    /** The files a run's source chose (a retried attempt reads the same ones). */
    ofRun: (runId: string, nodeId: string): Promise<RunFileRow[]> =>
      db.runFile.findMany({ where: { runId, nodeId }, select: { fileId: true, checksum: true, fileName: true } }),
    /** `fileId:checksum` of every file the source has delivered: its range stored or recovered, and not reset since. */
    async processed(pipelineId: string, nodeId: string): Promise<Set<string>> {
      const rows = await db.runFile.findMany({
        where: { nodeId, forgotten: false, range: { state: { in: ["stored", "recovered"] }, run: { pipelineId } } },
        select: { fileId: true, checksum: true },
      });
      return new Set(rows.map((r) => `${r.fileId}:${r.checksum}`));
    },
  };
}

export type RunFileRepository = ReturnType<typeof runFileRepository>;
