import path from "node:path";
import type { Issue, NodeRunInfo, Result, SinkRows } from "@sluice/model";
import { fileSinkConfigSchema, outputFileName, postgresSinkConfigSchema } from "@sluice/pipeline";
import { readOutputFile, readPostgresTable, type EngineOptions, type ReadbackCode, type SinkRows as EngineRows } from "@sluice/engine";
import { AppError, notFound } from "../http/app-error.ts";
import { loadStoredGraph } from "../pipelines/load-graph.ts";
import type { ConnectionRepository } from "../connections/connection.repository.ts";
import type { RunRepository } from "./run.repository.ts";
import { listOutputs } from "./run-outputs.ts";

export interface SinkRowsDeps {
  repository: Pick<RunRepository, "forReadback">;
  connections: Pick<ConnectionRepository, "resolve">;
  outputsDir: string;
  engine: Pick<EngineOptions, "spillDirectory">;
}

/** How each reason a target cannot be read reaches the client: gone for good, its database down, or this read refused. */
const STATUS: Record<ReadbackCode, number> = { TARGET_GONE: 410, TARGET_UNREACHABLE: 503, TARGET_UNREADABLE: 409 };

function nothingWritten(node: NodeRunInfo["status"] | undefined): AppError {
  const why = node === "failed" ? "it failed" : node === "cancelled" ? "it was cancelled" : "it did not run";
  return new AppError(409, "NOTHING_WRITTEN", `This sink wrote nothing in this run: ${why}.`);
}

function rowsOrError(r: Result<EngineRows>, target: SinkRows["target"]): SinkRows {
  if (r.ok) return { ...r.value, target, readAt: new Date().toISOString() };
  const issue: Issue = r.issues[0]!;
  const status = STATUS[issue.code as ReadbackCode];
  // Anything else (DuckDB could not start) is ours, not the client's: a logged 500.
  if (status === undefined) throw new Error(`reading back ${target.name}: ${issue.code} ${issue.message}`);
  throw new AppError(status, issue.code, issue.message);
}

/**
 * Reads back the first rows a sink of a run wrote, from its target as it is now: a table through the connection
 * resolved in the run's workspace (as the run did), a file from the run's outputs. Only a sink that succeeded in
 * a finished run is read; another workspace's run is not found.
 */
export function sinkRowsReader(d: SinkRowsDeps) {
  return async function readSinkRows(workspaceId: string, runId: string, nodeId: string, limit: number): Promise<SinkRows> {
    const run = await d.repository.forReadback(workspaceId, runId);
    if (!run) throw notFound("run", runId);
    const node = loadStoredGraph(run.version.graph, `Version ${run.versionNumber}`).graph.nodes.find((n) => n.id === nodeId);
    if (!node || (node.type !== "postgres-sink" && node.type !== "file-sink")) {
      throw new AppError(404, "SINK_NOT_FOUND", `The pipeline version this run used has no sink node "${nodeId.slice(0, 200)}".`);
    }
    if (run.status === "queued" || run.status === "running") throw new AppError(409, "RUN_NOT_FINISHED", "This run has not finished yet; its sinks can be read once it has.");
    const outcome = run.nodes.find((n) => n.nodeId === nodeId)?.status;
    if (outcome !== "succeeded") throw nothingWritten(outcome);

    if (node.type === "file-sink") {
      const config = fileSinkConfigSchema.parse(node.config);
      const name = outputFileName(config);
      const target = { kind: "file" as const, name };
      // Only a file listed as an output (a regular file of the run's folder, not a link) is read.
      const listed = (await listOutputs(d.outputsDir, runId)).some((o) => o.name === name);
      if (!listed) throw new AppError(410, "TARGET_GONE", `${name} is no longer among this run's outputs; it was removed after the run.`);
      return rowsOrError(await readOutputFile(path.join(d.outputsDir, runId, name), config.format, { limit, engine: d.engine }), target);
    }
    const config = postgresSinkConfigSchema.parse(node.config);
    const target = { kind: "table" as const, name: `"${config.schema}"."${config.table}"` };
    const connection = await d.connections.resolve(workspaceId, config.connectionId);
    if (!connection.ok) {
      if (connection.code === "CONNECTION_NOT_FOUND") throw new AppError(410, "TARGET_GONE", `The connection this sink wrote through is gone: ${connection.message}`);
      throw new AppError(409, connection.code, connection.message);
    }
    return rowsOrError(await readPostgresTable(connection.settings, config, { limit }), target);
  };
}

export type SinkRowsReader = ReturnType<typeof sinkRowsReader>;
