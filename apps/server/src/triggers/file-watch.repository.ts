import type { FileWatch } from "@sluice/model";
import type { Db, Tx } from "../db/prisma.ts";
import type { AuditHook } from "../pipelines/pipeline.repository.ts";

/** How many of a watch's latest acted-on uploads GET /pipelines/:id/file-watch lists. */
const RECENT = 10;

/**
 * Pipelines watching uploaded file names, and the uploads they acted on. A watch belongs to a workspace through its
 * pipeline; `file_triggers` holds each (pipeline, file, checksum) once, which is what makes an upload act only once.
 */
export function fileWatchRepository(db: Db) {
  return {
    async get(workspaceId: string, pipelineId: string): Promise<FileWatch> {
      const watch = await db.pipelineFileWatch.findFirst({ where: { pipelineId, pipeline: { workspaceId } } });
      const recent = await db.fileTrigger.findMany({
        where: { pipelineId, pipeline: { workspaceId } },
        include: { file: { select: { originalName: true } } },
        orderBy: { createdAt: "desc" },
        take: RECENT,
      });
      return {
        pattern: watch?.pattern ?? null,
        recent: recent.map((r) => ({ fileId: r.fileId, fileName: r.file.originalName, runId: r.runId, coalesced: r.coalesced, createdAt: r.createdAt.toISOString() })),
      };
    },
    /** Sets or (null) clears the pattern; `audit` runs in the same transaction. False when the pipeline is not the workspace's. */
    async set(workspaceId: string, pipelineId: string, pattern: string | null, audit?: AuditHook<{ id: string; name: string; pattern: string | null }>) {
      return db.$transaction(async (tx) => {
        const pipeline = await tx.pipeline.findFirst({ where: { id: pipelineId, workspaceId }, select: { id: true, name: true } });
        if (!pipeline) return false;
        if (pattern === null) await tx.pipelineFileWatch.deleteMany({ where: { pipelineId } });
        else await tx.pipelineFileWatch.upsert({ where: { pipelineId }, create: { pipelineId, pattern }, update: { pattern } });
        await audit?.(tx, { ...pipeline, pattern });
        return true;
      });
    },
    /** Every watch of the workspace (few per workspace: one per pipeline at most). */
    async watches(workspaceId: string) {
      return db.pipelineFileWatch.findMany({ where: { pipeline: { workspaceId } }, select: { pipelineId: true, pattern: true } });
    },
    /**
     * Acts on one upload for one pipeline, serialised per pipeline by a transaction-scoped advisory lock: `start`
     * is called (and must commit on its own connection) only when this file content is new to the pipeline and no
     * run of it is queued; otherwise the upload joins that queued run, which will read the file as it is then.
     */
    async onUpload(
      pipelineId: string,
      upload: { fileId: string; checksum: string },
      start: () => Promise<string>,
    ): Promise<{ kind: "duplicate" } | { kind: "coalesced"; runId: string } | { kind: "started"; runId: string }> {
      return db.$transaction(
        async (tx: Tx) => {
          await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('sluice:file_watch'), hashtext(${pipelineId}))`;
          const key = { pipelineId, fileId: upload.fileId, checksum: upload.checksum };
          if (await tx.fileTrigger.findUnique({ where: { pipelineId_fileId_checksum: key } })) return { kind: "duplicate" as const };
          const queued = await tx.run.findFirst({ where: { pipelineId, status: "queued" }, orderBy: { createdAt: "asc" }, select: { id: true } });
          if (queued) {
            await tx.fileTrigger.create({ data: { ...key, runId: queued.id, coalesced: true } });
            return { kind: "coalesced" as const, runId: queued.id };
          }
          const runId = await start();
          await tx.fileTrigger.create({ data: { ...key, runId } });
          return { kind: "started" as const, runId };
        },
        // start() validates the pipeline and queues the run; a busy machine may take a few seconds.
        { timeout: 30_000, maxWait: 30_000 },
      );
    },
  };
}

export type FileWatchRepository = ReturnType<typeof fileWatchRepository>;
