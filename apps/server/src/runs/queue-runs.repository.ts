import type { ParameterValues, PipelineGraph } from "@sluice/model";
import type { Prisma } from "../generated/prisma/client.ts";
import type { Tx } from "../db/prisma.ts";
import type { RequestAuth } from "../auth/request-auth.ts";
import { recordAudits, type AuditActor } from "../audit/audit.repository.ts";
import { AppError } from "../http/app-error.ts";
import { parameterValuesFor } from "./parameter-values.ts";
import { orderedIds } from "./ordered-ids.ts";
import { RUN_QUEUED_CHANNEL } from "./queue-wakeup.ts";
import type { RunQueue } from "./run-queue.ts";

/** One run of many: its parameter values, its backfill slot, and the run it retries. */
export interface ManyRun {
  params: ParameterValues;
  backfill: { id: string; slot: string; lane: number };
  retryOf?: string | undefined;
}

/**
 * Queues many runs of one checked version in the caller's transaction, a few statements in all however many runs:
 * the run rows, their audit entries (run.started or run.retried, as RunService.start writes), their first log line,
 * their queue jobs (pg-boss's bulk insert, with the same singleton keys as one run's), and the workers' wake-up
 * (NOTIFY, which PostgreSQL delivers when the transaction commits, so no worker looks before the jobs are there).
 * Either every run is queued or, when anything fails, none: the transaction rolls back. Backfills use it; one run at
 * a time took about 0.1 s each, so 1,000 slots held the request for minutes and a stop midway left half of them.
 */
export async function queueRunsInTransaction(
  tx: Tx,
  queue: Pick<RunQueue, "enqueueMany">,
  who: RequestAuth | AuditActor,
  workspaceId: string,
  input: { pipelineId: string; checked: { versionNumber: number; graph: PipelineGraph }; trigger: string; runs: ManyRun[] },
): Promise<string[]> {
  const { versionNumber, graph } = input.checked;
  const version = await tx.pipelineVersion.findFirst({
    where: { pipelineId: input.pipelineId, number: versionNumber, pipeline: { workspaceId } },
    select: { id: true, pipeline: { select: { name: true } } },
  });
  if (!version) throw new AppError(404, "VERSION_NOT_FOUND", `Pipeline ${input.pipelineId} has no version ${versionNumber}.`);
  // Every value is stored, defaults too, so the run page shows exactly what the run used.
  const params = input.runs.map((r) => parameterValuesFor(graph, r.params));
  const runIds = orderedIds(input.runs.length);
  const jobIds = await queue.enqueueMany(
    input.runs.map((r, i) => ({ id: runIds[i]!, pipelineId: input.pipelineId, backfillId: r.backfill.id, backfillLane: r.backfill.lane })),
    (text, values) => tx.$executeRawUnsafe(text, ...values),
  );
  await tx.run.createMany({
    data: input.runs.map((r, i) => ({
      id: runIds[i]!,
      pipelineId: input.pipelineId,
      versionId: version.id,
      versionNumber,
      trigger: input.trigger,
      params: params[i] as Prisma.InputJsonObject,
      backfillId: r.backfill.id,
      backfillSlot: r.backfill.slot,
      backfillLane: r.backfill.lane,
      jobId: jobIds[i]!,
    })),
  });
  await recordAudits(
    tx,
    who,
    input.runs.map((r, i) => ({
      action: r.retryOf ? "run.retried" : "run.started",
      resourceType: "run",
      resourceId: runIds[i]!,
      resourceLabel: version.pipeline.name,
      details: { version: versionNumber, trigger: input.trigger, ...(r.retryOf ? { retryOf: r.retryOf } : {}), backfillId: r.backfill.id, slot: r.backfill.slot },
      workspaceId,
    })),
  );
  await tx.runLog.createMany({ data: runIds.map((runId) => ({ runId, level: "info", message: `Queued version ${versionNumber} (${input.trigger}).` })) });
  await tx.$executeRawUnsafe("SELECT pg_notify($1, '')", RUN_QUEUED_CHANNEL);
  return runIds;
}
