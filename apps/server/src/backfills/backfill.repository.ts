import { parameterValuesSchema, type BackfillInfo, type BackfillSlotInfo, type BackfillStep, type ParameterValues, type RunStatus } from "@sluice/model";
import type { Db, Tx } from "../db/prisma.ts";

type RunRow = { id: string; backfillSlot: string | null; status: RunStatus; error: string | null; createdAt: Date; startedAt: Date | null; finishedAt: Date | null };
type Row = {
  id: string;
  pipelineId: string;
  parameter: string;
  from: string;
  to: string;
  step: string;
  concurrency: number;
  versionNumber: number;
  params: unknown;
  createdAt: Date;
  pipeline: { name: string };
  runs: RunRow[];
};

const withRuns = { pipeline: { select: { name: true } }, runs: { select: { id: true, backfillSlot: true, status: true, error: true, createdAt: true, startedAt: true, finishedAt: true }, orderBy: { createdAt: "asc" as const } } };

/** A backfill with each slot's newest run (a retried slot is judged by its retry) and the counts by status. */
function toInfo(r: Row): BackfillInfo {
  const bySlot = new Map<string, RunRow[]>();
  for (const run of r.runs) {
    if (run.backfillSlot === null) continue;
    bySlot.set(run.backfillSlot, [...(bySlot.get(run.backfillSlot) ?? []), run]);
  }
  const slots: BackfillSlotInfo[] = [...bySlot.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([slot, runs]) => {
      const newest = runs.at(-1)!;
      return {
        slot,
        runId: newest.id,
        status: newest.status,
        error: newest.error,
        runs: runs.length,
        startedAt: newest.startedAt?.toISOString() ?? null,
        finishedAt: newest.finishedAt?.toISOString() ?? null,
      };
    });
  const count = (s: RunStatus) => slots.filter((x) => x.status === s).length;
  return {
    id: r.id,
    pipelineId: r.pipelineId,
    pipelineName: r.pipeline.name,
    parameter: r.parameter,
    from: r.from,
    to: r.to,
    step: r.step as BackfillStep,
    concurrency: r.concurrency,
    versionNumber: r.versionNumber,
    params: parameterValuesSchema.catch({}).parse(r.params),
    createdAt: r.createdAt.toISOString(),
    counts: { total: slots.length, queued: count("queued"), running: count("running"), succeeded: count("succeeded"), failed: count("failed"), cancelled: count("cancelled") },
    slots,
  };
}

/** Backfills of a workspace's pipelines; another workspace's are not found. */
export function backfillRepository(db: Db) {
  return {
    /**
     * Runs `fn` in one transaction: a backfill's group and all its runs and jobs are written together or not at all.
     * A thousand slots write a few thousand rows, so it may take longer than Prisma's default 5 s on a busy machine.
     */
    transaction: <T>(fn: (tx: Tx) => Promise<T>) => db.$transaction(fn, { maxWait: 10_000, timeout: 120_000 }),
    /** Null when the pipeline is not in the workspace. Pass `tx` to write it with its runs. */
    async create(workspaceId: string, input: { pipelineId: string; parameter: string; from: string; to: string; step: BackfillStep; concurrency: number; versionNumber: number; params: ParameterValues }, tx: Tx | Db = db) {
      if (!(await tx.pipeline.count({ where: { id: input.pipelineId, workspaceId } }))) return null;
      return tx.backfill.create({ data: input, select: { id: true } });
    },
    /** Pass `tx` to read it as the transaction sees it (after `lock`). */
    async get(workspaceId: string, id: string, tx: Tx | Db = db): Promise<BackfillInfo | null> {
      const r = await tx.backfill.findFirst({ where: { id, pipeline: { workspaceId } }, include: withRuns });
      return r ? toInfo(r) : null;
    },
    /**
     * Holds the backfill's row until `tx` ends, so two retries of it one after the other see each other's runs: the
     * second waits for the first to commit and then finds its slots queued, not failed.
     */
    async lock(id: string, tx: Tx): Promise<void> {
      await tx.$queryRaw`SELECT id FROM backfills WHERE id = ${id}::uuid FOR UPDATE`;
    },
    /** The newest 20, newest first; of one pipeline when given. */
    async list(workspaceId: string, pipelineId?: string): Promise<BackfillInfo[]> {
      const rows = await db.backfill.findMany({ where: { pipeline: { workspaceId }, ...(pipelineId ? { pipelineId } : {}) }, include: withRuns, orderBy: { createdAt: "desc" }, take: 20 });
      return rows.map(toInfo);
    },
  };
}

export type BackfillRepository = ReturnType<typeof backfillRepository>;
