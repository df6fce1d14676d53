import type { ParameterValues, PipelineGraph } from "@sluice/model";
import type { PipelineEnvironment } from "@sluice/pipeline";

/** What a run will execute, once the executor has resolved it: the graph, the files and schemas it saw, the engine. */
export interface RunPlan {
  graph: PipelineGraph;
  env: PipelineEnvironment;
  params: ParameterValues;
  engine: "duckdb" | "database";
}

/**
 * Told of each run's life in the worker, for both engines (e.g. to emit OpenLineage events). Every method returns at
 * once and never throws: the worker calls them between recording a run's states and does not wait on them, so an
 * observer can neither slow nor fail a run. The run's outcome is read back from where the worker recorded it.
 */
export interface RunObserver {
  /** An attempt has claimed the run (attempt 1 starts it; a later one retries it after a transient error). */
  started(run: { id: string; workspaceId: string; attempt: number }): void;
  /** The executor has compiled the run: what it reads and writes is known. Not called when it could not compile. */
  planned(runId: string, plan: RunPlan): void;
  /** The attempt is over and its outcome recorded (succeeded, failed, cancelled, or queued again for a retry). */
  ended(runId: string): void;
}
