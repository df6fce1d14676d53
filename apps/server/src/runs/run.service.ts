import type { ParameterValues, PipelineGraph } from "@sluice/model";
import { parameterValuesFor } from "./parameter-values.ts";
import { listOutputs, openOutput } from "./run-outputs.ts";
import { AppError, notFound } from "../http/app-error.ts";
import type { RunRepository } from "./run.repository.ts";
import type { SinkRowsReader } from "./sink-rows.ts";
import type { RunQueue } from "./run-queue.ts";
import type { Db } from "../db/prisma.ts";
import type { RequestAuth } from "../auth/request-auth.ts";
import { recordAudit, type AuditActor } from "../audit/audit.repository.ts";

export interface RunServiceDeps {
  db: Db;
  repository: RunRepository;
  queue: RunQueue;
  outputsDir: string;
  /** Reads back what a sink of a run wrote (sink-rows.ts). */
  sinkRows: SinkRowsReader;
  /** The pinned version's graph and whether it may run (validation problems if not); only pipelines of the workspace. */
  checkRunnable(workspaceId: string, pipelineId: string, version: number | undefined): Promise<
    { kind: "not_found" } | { kind: "version_not_found"; version: number } | { kind: "ok"; versionNumber: number; graph: PipelineGraph } | { kind: "invalid"; problems: unknown[] }
  >;
}

export function runService(d: RunServiceDeps) {
  return {
    repository: d.repository,
    queue: d.queue,

    /**
     * Queues a run of a pipeline of the workspace. The run row and its audit entry (run.started, or run.retried when
     * `retryOf` names the run it repeats) are written in one transaction; queueing follows, as the worker reads
     * the row. `who` is the request, or systemActor(...) for schedules and triggers.
     */
    async start(
      workspaceId: string,
      who: RequestAuth | AuditActor,
      input: {
        pipelineId: string;
        version?: number | undefined;
        params?: ParameterValues | undefined;
        trigger: string;
        retryOf?: string | undefined;
        /** A slot of a backfill (backfills/): its runs queue by lane, not behind the pipeline's other runs. */
        backfill?: { id: string; slot: string; lane: number } | undefined;
        /** The version's check, when the caller has just made it for many runs of that version (a backfill's). */
        checked?: { versionNumber: number; graph: PipelineGraph } | undefined;
      },
    ) {
      const check = input.checked ? ({ kind: "ok", ...input.checked } as const) : await d.checkRunnable(workspaceId, input.pipelineId, input.version);
      switch (check.kind) {
        case "not_found":
          throw notFound("pipeline", input.pipelineId);
        case "version_not_found":
          throw new AppError(404, "VERSION_NOT_FOUND", `Pipeline ${input.pipelineId} has no version ${check.version}.`);
        case "invalid":
          throw new AppError(422, "PIPELINE_INVALID", "The pipeline has problems that prevent running it; fix them and try again.", {
            problems: check.problems,
          });
        case "ok":
          break;
        default: {
          const never: never = check;
          throw new Error(`unhandled ${JSON.stringify(never)}`);
        }
      }
      // Every value is stored, defaults too, so the run page shows exactly what the run used.
      const params = parameterValuesFor(check.graph, input.params);
      const run = await d.db.$transaction(async (tx) => {
        const created = await d.repository.create(
          workspaceId,
          { pipelineId: input.pipelineId, versionNumber: check.versionNumber, trigger: input.trigger, params, backfill: input.backfill },
          tx,
        );
        if (!created) return null;
        await recordAudit(tx, who, {
          action: input.retryOf ? "run.retried" : "run.started",
          resourceType: "run",
          resourceId: created.id,
          resourceLabel: created.pipeline.name,
          details: {
            version: check.versionNumber,
            trigger: input.trigger,
            ...(input.retryOf ? { retryOf: input.retryOf } : {}),
            ...(input.backfill ? { backfillId: input.backfill.id, slot: input.backfill.slot } : {}),
          },
          workspaceId,
        });
        return created;
      });
      if (!run) throw new AppError(404, "VERSION_NOT_FOUND", `Pipeline ${input.pipelineId} has no version ${check.versionNumber}.`);
      const jobId = await d.queue.enqueue(run);
      await d.repository.setJob(run.id, jobId);
      await d.repository.log(run.id, "info", `Queued version ${check.versionNumber} (${input.trigger}).`);
      return run.id;
    },

    /** Cancels a run of the workspace; the change and its audit entry (run.cancelled) are written together. */
    async cancel(workspaceId: string, who: RequestAuth, id: string) {
      const { outcome, jobId } = await d.db.$transaction(async (tx) => {
        const outcome = await d.repository.requestCancel(workspaceId, id, tx);
        if (outcome !== "cancelled" && outcome !== "requested") return { outcome, jobId: null };
        const run = await d.repository.forCancel(id, tx);
        await recordAudit(tx, who, {
          action: "run.cancelled",
          resourceType: "run",
          resourceId: id,
          resourceLabel: run.pipeline.name,
          details: { version: run.versionNumber, wasRunning: outcome === "requested" },
        });
        return { outcome, jobId: run.jobId };
      });
      if (outcome === "cancelled") {
        if (jobId) await d.queue.cancelJob(jobId);
        await d.repository.log(id, "info", "Cancelled before it started.");
      } else if (outcome === "requested") {
        await d.repository.log(id, "info", "Cancellation requested; stopping.");
      }
      return outcome;
    },

    /** The files a run wrote; see run-outputs.ts for what counts. */
    outputs: (runId: string) => listOutputs(d.outputsDir, runId),

    /** One output opened for download (the caller closes it), or undefined; never a link or a file elsewhere. */
    openOutput: (runId: string, name: string) => openOutput(d.outputsDir, runId, name),

    /** The first rows a sink of a run of the workspace wrote, read back from its target now; see sink-rows.ts. */
    sinkRows: d.sinkRows,
  };
}

export type RunService = ReturnType<typeof runService>;
