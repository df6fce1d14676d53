import type { PipelineRepository } from "../pipelines/pipeline.repository.ts";
import type { RunRepository } from "../runs/run.repository.ts";
import type { RunService } from "../runs/run.service.ts";
import type { TriggerRepository } from "./trigger.repository.ts";

/**
 * After a run succeeds, queues one run of every pipeline set to run after it, with the trigger naming the
 * upstream pipeline. What could not start is said in the upstream run's log, not swallowed.
 */
export async function startDependents(d: {
  run: { id: string; pipelineId: string };
  triggers: TriggerRepository;
  runs: Pick<RunService, "start">;
  pipelines: PipelineRepository;
  repository: Pick<RunRepository, "log">;
}) {
  const upstream = await d.pipelines.get(d.run.pipelineId);
  for (const { pipelineId } of await d.triggers.dependents(d.run.pipelineId)) {
    const downstream = await d.pipelines.get(pipelineId);
    try {
      const runId = await d.runs.start({ pipelineId, trigger: `after: ${upstream?.name ?? d.run.pipelineId}` });
      await d.repository.log(d.run.id, "info", `Started run ${runId} of "${downstream?.name ?? pipelineId}", which runs after this pipeline.`);
    } catch (e) {
      await d.repository.log(d.run.id, "warn", `Could not start "${downstream?.name ?? pipelineId}", which runs after this pipeline: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
}
