import type { PipelineRepository } from "../pipelines/pipeline.repository.ts";
import type { RunRepository } from "../runs/run.repository.ts";
import type { RunService } from "../runs/run.service.ts";
import type { TriggerRepository } from "./trigger.repository.ts";
import { systemActor } from "../audit/audit.repository.ts";

/**
 * After a run succeeds, queues one run of every pipeline set to run after it, with the trigger naming the
 * upstream pipeline; all of them are of the run's workspace. What could not start is said in the upstream run's
 * log, not swallowed.
 */
export async function startDependents(d: {
  run: { id: string; pipelineId: string; workspaceId: string };
  triggers: TriggerRepository;
  runs: Pick<RunService, "start">;
  pipelines: PipelineRepository;
  repository: Pick<RunRepository, "log">;
}) {
  const { workspaceId } = d.run;
  const upstream = await d.pipelines.get(workspaceId, d.run.pipelineId);
  const upstreamName = upstream?.name ?? d.run.pipelineId;
  const trigger = `after: ${upstreamName}`;
  // Nobody asked for these runs: the audit log names the trigger, in the workspace.
  const actor = systemActor(workspaceId, `trigger after ${upstreamName}`);
  for (const { pipelineId } of await d.triggers.dependents(workspaceId, d.run.pipelineId)) {
    const downstream = await d.pipelines.get(workspaceId, pipelineId);
    try {
      const runId = await d.runs.start(workspaceId, actor, { pipelineId, trigger });
      await d.repository.log(d.run.id, "info", `Started run ${runId} of "${downstream?.name ?? pipelineId}", which runs after this pipeline.`);
    } catch (e) {
      await d.repository.log(d.run.id, "warn", `Could not start "${downstream?.name ?? pipelineId}", which runs after this pipeline: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
}
