import type { NodeRunInfo, PipelineGraph, RunLogLine } from "@sluice/model";

export interface ExecuteRunInput {
  runId: string;
  attempt: number;
  graph: PipelineGraph;
  params: Record<string, unknown> | null;
  signal: AbortSignal;
  onNode(node: NodeRunInfo & { startedAt?: Date; finishedAt?: Date }): Promise<void>;
  log(level: RunLogLine["level"], message: string, nodeId?: string): Promise<void>;
}

export type ExecuteRunResult =
  | { ok: true; rowsRead: number; rowsWritten: number }
  | { ok: false; error: string; transient: boolean };

/** Runs one pinned pipeline version to completion; the worker owns queueing, liveness and retries. */
export interface RunExecutor {
  execute(input: ExecuteRunInput): Promise<ExecuteRunResult>;
}
