import type { ParameterValues, PipelineGraph } from "@sluice/model";
import { parameterValuesFor } from "./parameter-values.ts";
import { listOutputs, openOutput } from "./run-outputs.ts";
import { AppError, notFound } from "../http/app-error.ts";
import type { RunRepository } from "./run.repository.ts";
import type { RunQueue } from "./run-queue.ts";

export interface RunServiceDeps {
  repository: RunRepository;
  queue: RunQueue;
  outputsDir: string;
  /** The pinned version's graph and whether it may run (validation problems if not). */
  checkRunnable(pipelineId: string, version: number | undefined): Promise<
    { kind: "not_found" } | { kind: "version_not_found"; version: number } | { kind: "ok"; versionNumber: number; graph: PipelineGraph } | { kind: "invalid"; problems: unknown[] }
  >;
}

export function runService(d: RunServiceDeps) {
  return {
    repository: d.repository,
    queue: d.queue,

    async start(input: { pipelineId: string; version?: number | undefined; params?: ParameterValues | undefined; trigger: string }) {
      const check = await d.checkRunnable(input.pipelineId, input.version);
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
      const run = await d.repository.create({ pipelineId: input.pipelineId, versionNumber: check.versionNumber, trigger: input.trigger, params });
      if (!run) throw new AppError(404, "VERSION_NOT_FOUND", `Pipeline ${input.pipelineId} has no version ${check.versionNumber}.`);
      const jobId = await d.queue.enqueue(run);
      await d.repository.setJob(run.id, jobId);
      await d.repository.log(run.id, "info", `Queued version ${check.versionNumber} (${input.trigger}).`);
      return run.id;
    },

    async cancel(id: string) {
      const outcome = await d.repository.requestCancel(id);
      if (outcome === "cancelled") {
        const run = await d.repository.get(id);
        if (run?.raw.jobId) await d.queue.cancelJob(run.raw.jobId);
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
  };
}

export type RunService = ReturnType<typeof runService>;
