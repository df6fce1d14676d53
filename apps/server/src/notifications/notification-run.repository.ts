import type { Db } from "../db/prisma.ts";

/** What a notification says about a run (docs/notifications.md lists each field). */
export interface RunFacts {
  id: string;
  status: "queued" | "running" | "succeeded" | "failed" | "cancelled";
  trigger: string;
  versionNumber: number;
  error: string | null;
  rowsRead: number | null;
  rowsWritten: number | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  pipeline: { id: string; name: string };
  workspace: { id: string; name: string };
  /** Quality rules of severity warn that did not pass. */
  warnings: { nodeId: string; rule: string; message: string; failingRows: number; rowsChecked: number }[];
}

const toNumber = (v: bigint | null) => (v === null ? null : Number(v));

/** Reads runs for the notifier: the run as it ended, and the run of the same pipeline that ended before it. */
export function notificationRunRepository(db: Db) {
  return {
    async facts(runId: string): Promise<RunFacts | null> {
      const run = await db.run.findUnique({
        where: { id: runId },
        include: {
          pipeline: { select: { id: true, name: true, workspace: { select: { id: true, name: true } } } },
          checks: { where: { severity: "warn", passed: false }, orderBy: [{ nodeId: "asc" }, { ruleIndex: "asc" }] },
        },
      });
      if (!run) return null;
      return {
        id: run.id,
        status: run.status,
        trigger: run.trigger,
        versionNumber: run.versionNumber,
        error: run.error,
        rowsRead: toNumber(run.rowsRead),
        rowsWritten: toNumber(run.rowsWritten),
        createdAt: run.createdAt,
        startedAt: run.startedAt,
        finishedAt: run.finishedAt,
        pipeline: { id: run.pipeline.id, name: run.pipeline.name },
        workspace: run.pipeline.workspace,
        warnings: run.checks.map((c) => ({ nodeId: c.nodeId, rule: c.rule, message: c.message, failingRows: Number(c.failingRows), rowsChecked: Number(c.rowsChecked) })),
      };
    },

    /**
     * How the pipeline's previous run ended (succeeded or failed; cancelled runs say nothing about the pipeline's
     * health and are skipped), or null when this is its first.
     */
    async previousOutcome(run: { id: string; pipelineId: string; finishedAt: Date }): Promise<"succeeded" | "failed" | null> {
      const prev = await db.run.findFirst({
        where: { pipelineId: run.pipelineId, id: { not: run.id }, status: { in: ["succeeded", "failed"] }, finishedAt: { lte: run.finishedAt } },
        orderBy: [{ finishedAt: "desc" }, { createdAt: "desc" }],
        select: { status: true },
      });
      return prev ? (prev.status as "succeeded" | "failed") : null;
    },
  };
}

export type NotificationRunRepository = ReturnType<typeof notificationRunRepository>;
