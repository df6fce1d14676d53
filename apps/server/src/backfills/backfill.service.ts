import { backfillSlots, type BackfillInfo, type PipelineGraph, type StartBackfillRequest } from "@sluice/model";
import { AppError, notFound } from "../http/app-error.ts";
import type { RunService, RunServiceDeps } from "../runs/run.service.ts";
import { parameterValuesFor } from "../runs/parameter-values.ts";
import { queueRunsInTransaction } from "../runs/queue-runs.repository.ts";
import type { RequestAuth } from "../auth/request-auth.ts";
import type { BackfillRepository } from "./backfill.repository.ts";

export interface BackfillServiceDeps {
  backfills: BackfillRepository;
  runs: Pick<RunService, "queue">;
  checkRunnable: RunServiceDeps["checkRunnable"];
}

/** The value a slot's run gets: the date itself, or midnight of it for a timestamp parameter. */
const slotValue = (type: "date" | "timestamp", slot: string) => (type === "date" ? slot : `${slot} 00:00:00`);

/**
 * Starts and retries backfills: one run per date of a range, each with its date in the named parameter, through the
 * same queue as every run. The queue keys a backfill's runs by lane (run-queue.ts queueKeyOf), which is what keeps
 * at most `concurrency` of them active at once across all workers. All of a start's (or a retry's) runs are queued
 * in one transaction with the group (queue-runs.repository.ts): the answer comes in a second or two, and a failure or a stop
 * midway leaves no group with half its slots.
 */
export function backfillService(d: BackfillServiceDeps) {
  /** The pinned version's graph, or the error any run of it would get (404, or 422 with the problems). */
  async function runnable(workspaceId: string, pipelineId: string, version: number | undefined): Promise<{ versionNumber: number; graph: PipelineGraph }> {
    const check = await d.checkRunnable(workspaceId, pipelineId, version);
    switch (check.kind) {
      case "not_found":
        throw notFound("pipeline", pipelineId);
      case "version_not_found":
        throw new AppError(404, "VERSION_NOT_FOUND", `Pipeline ${pipelineId} has no version ${check.version}.`);
      case "invalid":
        throw new AppError(422, "PIPELINE_INVALID", "The pipeline has problems that prevent running it; fix them and try again.", { problems: check.problems });
      case "ok":
        return check;
      default: {
        const never: never = check;
        throw new Error(`unhandled ${JSON.stringify(never)}`);
      }
    }
  }

  return {
    async start(workspaceId: string, who: RequestAuth, pipelineId: string, body: Required<Omit<StartBackfillRequest, "version">> & { version?: number | undefined }): Promise<BackfillInfo> {
      // Everything is checked before anything is stored: a refused backfill leaves no group and no runs behind.
      const found = await runnable(workspaceId, pipelineId, body.version);
      const params = found.graph.parameters ?? [];
      const param = params.find((p) => p.name === body.parameter);
      if (!param) {
        const dates = params.filter((p) => p.type === "date" || p.type === "timestamp").map((p) => p.name);
        throw new AppError(400, "BACKFILL_PARAMETER_UNKNOWN", `The pipeline has no parameter "${body.parameter}"; ${dates.length ? `its date parameters: ${dates.join(", ")}` : "add a date parameter (editor → Parameters) first"}.`, { field: "parameter" });
      }
      if (param.type !== "date" && param.type !== "timestamp") {
        throw new AppError(400, "BACKFILL_PARAMETER_NOT_DATE", `Parameter "${param.name}" is a ${param.type}; a backfill needs a date or timestamp parameter to put each slot's date in.`, { field: "parameter" });
      }
      if (body.parameter in body.params) {
        throw new AppError(400, "VALIDATION_FAILED", `params.${body.parameter}: each slot gets its own date in "${body.parameter}"; leave it out of params.`, { field: `params.${body.parameter}` });
      }
      const slots = backfillSlots(body.from, body.to, body.step);
      if (!slots.ok) throw new AppError(400, "BACKFILL_RANGE_INVALID", slots.message, { field: slots.field });
      const type = param.type;
      const runs = slots.slots.map((slot, index) => ({ slot, index, params: { ...body.params, [param.name]: slotValue(type, slot) } }));
      parameterValuesFor(found.graph, runs[0]!.params);
      const id = await d.backfills.transaction(async (tx) => {
        const created = await d.backfills.create(
          workspaceId,
          { pipelineId, parameter: param.name, from: body.from, to: body.to, step: body.step, concurrency: body.concurrency, versionNumber: found.versionNumber, params: body.params },
          tx,
        );
        if (!created) throw notFound("pipeline", pipelineId);
        await queueRunsInTransaction(tx, d.runs.queue, who, workspaceId, {
          pipelineId,
          // Checked once for all slots: validating the same version for each of 200 slots took 30 s.
          checked: found,
          trigger: "backfill",
          runs: runs.map(({ slot, index, params }) => ({ params, backfill: { id: created.id, slot, lane: index % body.concurrency } })),
        });
        return created.id;
      });
      return (await d.backfills.get(workspaceId, id))!;
    },

    /** Starts the failed and cancelled slots again (their newest run), in the same lanes; the others are left alone. */
    async retryFailed(workspaceId: string, who: RequestAuth, id: string): Promise<string[]> {
      const b = await d.backfills.get(workspaceId, id);
      if (!b) throw notFound("backfill", id);
      const failed = b.slots.map((s, index) => ({ s, index })).filter(({ s }) => s.status === "failed" || s.status === "cancelled");
      if (failed.length === 0) throw new AppError(409, "NOTHING_TO_RETRY", "No slot of this backfill failed or was cancelled; there is nothing to retry.");
      const found = await runnable(workspaceId, b.pipelineId, b.versionNumber);
      const type = found.graph.parameters?.find((p) => p.name === b.parameter)?.type === "timestamp" ? "timestamp" : "date";
      const runs = failed.map(({ s, index }) => ({
        params: { ...b.params, [b.parameter]: slotValue(type, s.slot) },
        backfill: { id: b.id, slot: s.slot, lane: index % b.concurrency },
        retryOf: s.runId,
      }));
      return d.backfills.transaction((tx) => queueRunsInTransaction(tx, d.runs.queue, who, workspaceId, { pipelineId: b.pipelineId, checked: found, trigger: "backfill (retry)", runs }));
    },
  };
}

export type BackfillService = ReturnType<typeof backfillService>;
