import type { Db } from "../db/prisma.ts";
import type { RequestAuth } from "../auth/request-auth.ts";
import { recordAudit } from "../audit/audit.repository.ts";
import { runFileRepository } from "./run-file.repository.ts";

/** How a run's recorded range ended: see RunWatermark in prisma/schema.prisma. */
export type RunWatermarkState = "pending" | "stored" | "recovered" | "discarded" | "superseded";

export interface RunWatermarkRow {
  nodeId: string;
  column: string;
  before: string | null;
  after: string | null;
  state: string;
}

const ACTIVE = ["queued", "running"] as const;

const hasNode = (graph: unknown, nodeId: string): boolean => {
  const nodes = (graph as { nodes?: unknown } | null | undefined)?.nodes;
  return Array.isArray(nodes) && nodes.some((n) => (n as { id?: unknown } | null)?.id === nodeId);
};

/** Watermarks of incremental sources (docs/incremental.md): the stored ones, and each run's range. */
export function watermarkRepository(db: Db) {
  const pipelineOf = async (runId: string) => (await db.run.findUniqueOrThrow({ where: { id: runId }, select: { pipelineId: true } })).pipelineId;

  /**
   * Moves the stored watermarks to the run's ranges, in one transaction, and marks the ranges `state`. A source whose
   * stored watermark is no longer where the run started (reset meanwhile) keeps it: the range is "superseded".
   */
  async function advance(runId: string, state: "stored" | "recovered"): Promise<void> {
    const pipelineId = await pipelineOf(runId);
    await db.$transaction(async (tx) => {
      const ranges = await tx.runWatermark.findMany({ where: { runId, state: "pending" } });
      for (const r of ranges) {
        const now = await tx.sourceWatermark.findUnique({ where: { pipelineId_nodeId: { pipelineId, nodeId: r.nodeId } } });
        const unchanged = (now?.value ?? null) === r.before && (now === null || now.column === r.column);
        if (unchanged && r.after !== null) {
          await tx.sourceWatermark.upsert({
            where: { pipelineId_nodeId: { pipelineId, nodeId: r.nodeId } },
            create: { pipelineId, nodeId: r.nodeId, column: r.column, value: r.after, runId },
            update: { column: r.column, value: r.after, runId, updatedAt: new Date() },
          });
        }
        await tx.runWatermark.update({ where: { runId_nodeId: { runId, nodeId: r.nodeId } }, data: { state: unchanged ? state : "superseded" } });
      }
    });
  }

  return {
    advance,
    pipelineOf,
    /** The files `onlyNew` file sources read. */
    files: runFileRepository(db),
    stored: (pipelineId: string) => db.sourceWatermark.findMany({ where: { pipelineId }, orderBy: { nodeId: "asc" } }),
    forRun: (runId: string): Promise<RunWatermarkRow[]> =>
      db.runWatermark.findMany({ where: { runId }, orderBy: { nodeId: "asc" }, select: { nodeId: true, column: true, before: true, after: true, state: true } }),
    /** The range a source of a run read, recorded before any sink can commit rows of it. */
    async recordRange(runId: string, r: { nodeId: string; column: string; before: string | null; after: string | null }): Promise<void> {
      await db.runWatermark.upsert({
        where: { runId_nodeId: { runId, nodeId: r.nodeId } },
        create: { runId, nodeId: r.nodeId, column: r.column, before: r.before, after: r.after },
        update: { column: r.column, before: r.before, after: r.after },
      });
    },
    /** Ranges other runs of the pipeline left pending and will never settle themselves (they have ended), oldest first. */
    async unsettled(runId: string) {
      const pipelineId = await pipelineOf(runId);
      const rows = await db.runWatermark.findMany({
        where: { state: "pending", runId: { not: runId }, run: { pipelineId, status: { notIn: [...ACTIVE] } } },
        include: { run: { select: { id: true, createdAt: true, version: { select: { graph: true, number: true } } } } },
        orderBy: { run: { createdAt: "asc" } },
      });
      const byRun = new Map<string, { runId: string; graph: unknown; versionNumber: number }>();
      for (const r of rows) byRun.set(r.runId, { runId: r.runId, graph: r.run.version.graph, versionNumber: r.run.version.number });
      return [...byRun.values()];
    },
    discard: (runId: string) => db.runWatermark.updateMany({ where: { runId, state: "pending" }, data: { state: "discarded" } }),
    /** Forgets where a source has read up to, so its next run reads every row again; audited in the same transaction. */
    async reset(workspaceId: string, auth: RequestAuth, pipelineId: string, nodeId: string): Promise<"not_found" | "no_node" | "reset"> {
      return db.$transaction(async (tx) => {
        const pipeline = await tx.pipeline.findFirst({ where: { id: pipelineId, workspaceId }, select: { name: true, currentVersion: true } });
        if (!pipeline) return "not_found";
        const gone = await tx.sourceWatermark.findUnique({ where: { pipelineId_nodeId: { pipelineId, nodeId } } });
        // A node the pipeline has now, or one a run read from (removed since, its watermark or files still remembered).
        const current = await tx.pipelineVersion.findUnique({ where: { pipelineId_number: { pipelineId, number: pipeline.currentVersion } }, select: { graph: true } });
        const known = gone !== null || hasNode(current?.graph, nodeId) || (await tx.runWatermark.count({ where: { nodeId, run: { pipelineId } } })) > 0;
        if (!known) return "no_node";
        if (gone) await tx.sourceWatermark.delete({ where: { pipelineId_nodeId: { pipelineId, nodeId } } });
        // Ranges that ended runs left unsettled are dropped too: the next run starts from nothing.
        await tx.runWatermark.updateMany({ where: { nodeId, state: "pending", run: { pipelineId, status: { notIn: [...ACTIVE] } } }, data: { state: "discarded" } });
        // A file source forgets the files it read: the next run reads every matching file again.
        await tx.runFile.updateMany({ where: { nodeId, forgotten: false, range: { run: { pipelineId, status: { notIn: [...ACTIVE] } } } }, data: { forgotten: true } });
        await recordAudit(tx, auth, {
          action: "pipeline.watermark_reset",
          resourceType: "pipeline",
          resourceId: pipelineId,
          resourceLabel: pipeline.name,
          details: { nodeId, column: gone?.column ?? null, value: gone?.value ?? null },
        });
        return "reset";
      });
    },
  };
}

export type WatermarkRepository = ReturnType<typeof watermarkRepository>;
