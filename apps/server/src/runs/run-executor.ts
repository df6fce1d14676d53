import type { RunPlan } from "./run-observer.ts";
import type { CheckResult, NodeRunInfo, ParameterValues, PipelineGraph, RunEngine, RunLogLine } from "@sluice/model";

export interface ExecuteRunInput {
  runId: string;
  /** The workspace of the run's pipeline: its connections and files are the only ones the run may use. */
  workspaceId: string;
  attempt: number;
  graph: PipelineGraph;
  /** Every parameter's value for this run, as stored with it. */
  params: ParameterValues;
  signal: AbortSignal;
  onNode(node: NodeRunInfo & { startedAt?: Date; finishedAt?: Date }): Promise<void>;
  /** Where the run executes, said once it is chosen, before any node starts. */
  onEngine(engine: { engine: RunEngine["engine"]; connectionId: string | null; reason: string }): Promise<void>;
  log(level: RunLogLine["level"], message: string, nodeId?: string): Promise<void>;
  /** A check node's rule results, stored with the run. */
  onChecks(nodeId: string, results: CheckResult[]): Promise<void>;
  /** Resuming a failed run: its id, the nodes that succeeded there and the rows each produced (node-outputs.ts). */
  resume?: { fromRunId: string; succeeded: ReadonlySet<string>; rowsOut: ReadonlyMap<string, number | null> } | undefined;
  /** Once compiled, before any node runs: what the run reads and writes (see run-observer.ts). Returns at once. */
  onPlan?(plan: RunPlan): void;
}

export type ExecuteRunResult =
  | { ok: true; rowsRead: number; rowsWritten: number }
  | { ok: false; error: string; transient: boolean };

/** Runs one pinned pipeline version to completion; the worker owns queueing, liveness and retries. */
export interface RunExecutor {
  execute(input: ExecuteRunInput): Promise<ExecuteRunResult>;
}
