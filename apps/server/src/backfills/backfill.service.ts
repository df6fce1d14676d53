import { backfillSlots, type BackfillInfo, type PipelineGraph, type StartBackfillRequest } from "@sluice/model";
import { isIncrementalSource } from "@sluice/pipeline";
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
 * A pipeline with an incremental source cannot be backfilled: each run reads only what no earlier run read, so runs
 * for past dates would read nothing new, and a backfill's runs, which do not wait for the pipeline's other runs,
 * would read the same rows side by side and load them twice (docs/incremental.md rests on one run at a time).
 */
function incrementalRefused(node: PipelineGraph["nodes"][number]): AppError {
  const name = node.label ?? node.id;
  const how = node.type === "file" ? "reads only files no earlier run read (only new files)" : `reads incrementally (watermark column "${(node.config as { watermarkColumn?: string }).watermarkColumn}")`;
  return new AppError(
    400,
    "BACKFILL_INCREMENTAL_SOURCE",
    `Source "${name}" ${how}: the runs of a backfill would read no rows for past dates, and runs going side by side would load the same rows twice. Backfill a pipeline whose sources read by the date parameter instead.`,
    { nodeId: node.id },
  );
}

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
      case "ok": {
        const incremental = check.graph.nodes.find((n) => isIncrementalSource(n.type, n.config));
        if (incremental) throw incrementalRefused(incremental);
        return check;
      }
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
      // Own keys only: `"constructor" in {}` is true, which refused every backfill of a parameter named like an Object method.
      if (Object.hasOwn(body.params, body.parameter)) {
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
    retryFailed: (workspaceId: string, who: RequestAuth, id: string): Promise<string[]> => retry(workspaceId, who, id),

    /**
     * Retries one run of a backfill (the run page's Retry) as its slot's next run: in the slot's lane, counted by the
     * backfill, trigger "backfill (retry)". Retried as a run of its own, it went behind the pipeline's runs instead of
     * in the lane, and the backfill still showed the slot failed, so "Retry failed slots only" loaded the date again.
     * 409 when the slot has had a newer run since.
     */
    async retryRun(workspaceId: string, who: RequestAuth, backfillId: string, runId: string): Promise<string> {
      const [queued] = await retry(workspaceId, who, backfillId, runId);
      return queued!;
    },
  };

  async function retry(workspaceId: string, who: RequestAuth, id: string, onlyRun?: string): Promise<string[]> {
    const first = await d.backfills.get(workspaceId, id);
    if (!first) throw notFound("backfill", id);
    const found = await runnable(workspaceId, first.pipelineId, first.versionNumber);
    const type = found.graph.parameters?.find((p) => p.name === first.parameter)?.type === "timestamp" ? "timestamp" : "date";
    return d.backfills.transaction(async (tx) => {
      // The failed slots are read under the backfill's lock: two retries at once (a double click, a client that
      // tries again) would otherwise both find the same slots failed and queue each of them twice.
      await d.backfills.lock(id, tx);
      const b = await d.backfills.get(workspaceId, id, tx);
      if (!b) throw notFound("backfill", id);
      // One run (its page's Retry): its slot, whatever the run's status, while it is the slot's newest run.
      const failed = b.slots
        .map((s, index) => ({ s, index }))
        .filter(({ s }) => (onlyRun === undefined ? s.status === "failed" || s.status === "cancelled" : s.runId === onlyRun));
      if (failed.length === 0 && onlyRun !== undefined) {
        throw new AppError(409, "NOTHING_TO_RETRY", "This run's backfill slot has had a newer run since; retry that one instead (the backfill on the runs dashboard links it).");
      }
      if (failed.length === 0) throw new AppError(409, "NOTHING_TO_RETRY", "No slot of this backfill failed or was cancelled; there is nothing to retry.");
      const runs = failed.map(({ s, index }) => ({
        params: { ...b.params, [b.parameter]: slotValue(type, s.slot) },
        backfill: { id: b.id, slot: s.slot, lane: index % b.concurrency },
        retryOf: s.runId,
      }));
      return queueRunsInTransaction(tx, d.runs.queue, who, workspaceId, { pipelineId: b.pipelineId, checked: found, trigger: "backfill (retry)", runs });
    });
  }
}

export type BackfillService = ReturnType<typeof backfillService>;
