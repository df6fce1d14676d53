import path from "node:path";
import { compileGraph } from "@sluice/pipeline";
import { createConnectors, executePipeline, type EngineOptions, type HttpGuardOptions } from "@sluice/engine";
import type { ConnectionRepository } from "../connections/connection.repository.ts";
import type { ValidationFacade } from "../pipelines/validation.facade.ts";
import type { RunExecutor } from "./run-executor.ts";
import { runWorkFolder } from "../scratch/scratch-sweeper.ts";

export interface DuckdbRunExecutorDeps {
  validation: ValidationFacade;
  connections: ConnectionRepository;
  httpGuard: HttpGuardOptions;
  folders: { work: string; outputs: string };
  engine: EngineOptions;
}

/**
 * Compiles the pinned version against the current environment and executes it on DuckDB. Connections and files
 * are those of the run's pipeline's workspace: an id from elsewhere is not found.
 */
export function duckdbRunExecutor(d: DuckdbRunExecutorDeps): RunExecutor {
  return {
    async execute(input) {
      const env = await d.validation.environment(input.workspaceId, input.graph);
      const compiled = compileGraph(input.graph, env, { params: input.params });
      if (!compiled.ok) {
        const msg = compiled.issues.map((i) => `${i.nodeId ? `${i.nodeId}: ` : ""}${i.message}`).join("; ");
        return { ok: false, error: `The pipeline is no longer valid: ${msg}`, transient: false };
      }
      const result = await executePipeline(compiled.value, {
        engine: d.engine,
        workDir: runWorkFolder(d.folders.work, input.runId, input.attempt),
        connectors: createConnectors({
          http: d.httpGuard,
          httpCredential: (id) => d.connections.resolveHttpCredential(input.workspaceId, id),
          outputDir: path.join(d.folders.outputs, input.runId),
        }),
        connection: async (id) => {
          const r = await d.connections.resolve(input.workspaceId, id);
          if (!r.ok) throw new Error(r.message);
          return r.settings;
        },
        runId: input.runId,
        signal: input.signal,
        onEvent: async (e) => {
          if (e.type === "log") await input.log(e.level, e.message, e.nodeId);
          else if (e.type === "checks") {
            await input.onChecks(e.nodeId, e.results);
            // A failed warning rule lets the run go on: the log says so. (A failed "fail" rule fails the node, which says why.)
            for (const c of e.results.filter((x) => !x.passed && x.severity === "warn")) {
              await input.log("warn", `Quality rule "${c.rule}" failed (warning only): ${c.message}.`, e.nodeId);
            }
          }
          else {
            await input.onNode({
              nodeId: e.nodeId,
              status: e.status,
              rowsIn: e.rowsIn,
              rowsOut: e.rowsOut,
              durationMs: e.durationMs,
              error: e.error,
              startedAt: e.startedAt,
              ...(e.finishedAt ? { finishedAt: e.finishedAt } : {}),
            });
          }
        },
      });
      return result.ok ? result : { ok: false, error: result.error, transient: result.transient };
    },
  };
}
