import path from "node:path";
import type { RunEngine } from "@sluice/model";
import { chooseEngine, compileGraph, postgresDialect } from "@sluice/pipeline";
import { createConnectors, executeInDatabase, executePipeline, isTransientFailure, type EngineOptions, type ExecutionEvent, type ExecutionResult, type HttpGuardOptions } from "@sluice/engine";
import type { ConnectionRepository } from "../connections/connection.repository.ts";
import type { ValidationFacade } from "../pipelines/validation.facade.ts";
import type { ExecuteRunInput, ExecuteRunResult, RunExecutor } from "./run-executor.ts";
import { runWorkFolder } from "../scratch/scratch-sweeper.ts";
import type { WatermarkRepository } from "../watermarks/watermark.repository.ts";
import { planWatermarks } from "../watermarks/watermark-plan.ts";
import { planNewFiles, withChosenFiles } from "../watermarks/file-plan.ts";
import { DEFAULT_NODE_OUTPUTS, nodeOutputsDir, type NodeOutputSettings } from "./node-outputs.ts";
import { pinFiles } from "./pinned-files.ts";

export interface DuckdbRunExecutorDeps {
  validation: ValidationFacade;
  connections: ConnectionRepository;
  httpGuard: HttpGuardOptions;
  folders: { work: string; outputs: string };
  engine: EngineOptions;
  watermarks: WatermarkRepository;
  /** How long node outputs are kept and how large they may be (RUN_OUTPUTS_*). */
  nodeOutputs?: NodeOutputSettings;
}

/** An engine event as the run records it. */
async function record(input: ExecuteRunInput, e: ExecutionEvent, ranIn: RunEngine["engine"]): Promise<void> {
  // Only runs on DuckDB read incremental sources; their ranges are stored by the caller.
  if (e.type === "watermark") return;
  if (e.type === "log") await input.log(e.level, e.message, e.nodeId);
  else if (e.type === "checks") {
    await input.onChecks(e.nodeId, e.results);
    // A failed warning rule lets the run go on: the log says so. (A failed "fail" rule fails the node, which says why.)
    for (const c of e.results.filter((x) => !x.passed && x.severity === "warn")) {
      await input.log("warn", `Quality rule "${c.rule}" failed (warning only): ${c.message}.`, e.nodeId);
    }
  } else {
    // A reused node's rows are those it produced in the run being resumed (its output was not read back unless needed).
    const reused = e.ranIn === "reused" ? input.resume?.rowsOut.get(e.nodeId) : undefined;
    await input.onNode({
      nodeId: e.nodeId,
      ranIn: e.ranIn ?? ranIn,
      status: e.status,
      rowsIn: e.rowsIn,
      rowsOut: e.rowsOut ?? reused ?? null,
      durationMs: e.durationMs,
      error: e.error,
      startedAt: e.startedAt,
      ...(e.finishedAt ? { finishedAt: e.finishedAt } : {}),
    });
  }
}

const answer = (result: ExecutionResult): ExecuteRunResult => (result.ok ? result : { ok: false, error: result.error, transient: result.transient });

/**
 * A pipeline that no longer compiles against its sources and connections, or, when a source's database dropped the
 * connection while it was being described (a restart, a failover), one that could not be checked: that is retried.
 */
function notRunnable(issues: { nodeId?: string | undefined; message: string }[]): ExecuteRunResult {
  const msg = issues.map((i) => `${i.nodeId ? `${i.nodeId}: ` : ""}${i.message}`).join("; ");
  const transient = issues.some((i) => isTransientFailure(i.message));
  return { ok: false, error: transient ? `The pipeline could not be checked against its sources: ${msg}` : `The pipeline is no longer valid: ${msg}`, transient };
}

/**
 * Compiles the pinned version against the current environment and executes it where chooseEngine says: on DuckDB,
 * or inside the PostgreSQL database of its one connection (the pipeline's `engine` setting). Connections and files
 * are those of the run's pipeline's workspace: an id from elsewhere is not found.
 */
export function duckdbRunExecutor(d: DuckdbRunExecutorDeps): RunExecutor {
  const settingsOf = async (workspaceId: string, id: string) => {
    const r = await d.connections.resolve(workspaceId, id);
    if (!r.ok) throw new Error(r.message);
    return r.settings;
  };
  /** How the worker reads sources: the run's DuckDB, work folder and connectors (also for sources staged into the database). */
  const worker = (input: ExecuteRunInput) => ({
    engine: d.engine,
    workDir: runWorkFolder(d.folders.work, input.runId, input.attempt),
    connectors: createConnectors({
      http: d.httpGuard,
      httpCredential: (id) => d.connections.resolveHttpCredential(input.workspaceId, id),
      outputDir: path.join(d.folders.outputs, input.runId),
    }),
    connection: (id: string) => settingsOf(input.workspaceId, id),
  });
  return {
    async execute(input) {
      const matched = await d.validation.environment(input.workspaceId, input.graph);
      // An onlyNew file source compiles over the files this run reads, chosen (and recorded) first.
      const chosen = await planNewFiles({ watermarks: d.watermarks, settingsOf }, { runId: input.runId, workspaceId: input.workspaceId, graph: input.graph, env: matched, log: (m) => input.log("info", m), resume: input.resume });
      if (!chosen.ok) return chosen;
      const env = withChosenFiles(matched, chosen.only);
      const choice = chooseEngine(input.graph, env, { params: input.params });
      if (!choice.ok) return { ok: false, error: choice.issues.map((i) => i.message).join(" "), transient: choice.issues.some((i) => isTransientFailure(i.message)) };
      const { engine, reason, connectionId } = choice.value;
      const compiled = compileGraph(input.graph, env, { params: input.params, ...(engine === "database" ? { dialect: postgresDialect } : {}) });
      if (!compiled.ok) return notRunnable(compiled.issues);
      input.onPlan?.({ graph: input.graph, env, params: input.params, engine });
      if (engine === "database" && connectionId !== undefined) {
        await input.log("info", `Runs in the database: ${reason}.`);
        if (input.resume) await input.log("warn", "Node outputs are kept only on DuckDB: every node of this resumed run runs again.");
        await input.onEngine({ engine, connectionId, reason });
        let settings;
        try {
          settings = await settingsOf(input.workspaceId, connectionId);
        } catch (e) {
          return { ok: false, error: `Connection ${connectionId} cannot be used: ${(e as Error).message}`, transient: false };
        }
        return answer(await executeInDatabase(compiled.value, { settings, runId: input.runId, signal: input.signal, staging: worker(input), onEvent: (e) => record(input, e, "database") }));
      }
      // Said where the database was within reach: one connection for every source and sink.
      if (connectionId !== undefined) await input.log("info", `Runs on DuckDB: ${reason}.`);
      await input.onEngine({ engine: "duckdb", connectionId: null, reason });
      const resume = input.resume;
      if (resume) {
        // A reused incremental source is not read again: this run takes over the range the resumed run read, so the
        // watermark moves to it once this run's sinks commit (and the resumed run's pending range is discarded).
        for (const r of await d.watermarks.forRun(resume.fromRunId)) {
          if (resume.succeeded.has(r.nodeId)) await d.watermarks.recordRange(input.runId, { nodeId: r.nodeId, column: r.column, before: r.before, after: r.after });
        }
      }
      const planned = await planWatermarks({ watermarks: d.watermarks, settingsOf }, { runId: input.runId, workspaceId: input.workspaceId, graph: input.graph, log: (m) => input.log("info", m) });
      if (!planned.ok) return planned;
      const saveDir = nodeOutputsDir(d.folders.outputs, input.runId);
      const fromDir = resume ? nodeOutputsDir(d.folders.outputs, resume.fromRunId) : undefined;
      // The uploaded files read are kept for a resume as links, and read there (pinned-files.ts).
      const pinned = await pinFiles(input.graph, env, { dir: saveDir, from: fromDir, reused: resume?.succeeded });
      const run = pinned.nodes.size ? compileGraph(input.graph, pinned.env, { params: input.params }) : compiled;
      if (!run.ok) return notRunnable(run.issues);
      const result = await executePipeline(run.value, {
        ...worker(input),
        runId: input.runId,
        signal: input.signal,
        // A range read is stored before any sink runs (the engine awaits this), so a later run can settle it.
        onEvent: (e) => (e.type === "watermark" ? d.watermarks.recordRange(input.runId, e) : record(input, e, "duckdb")),
        watermarks: planned.ranges,
        storedOutputs: {
          saveDir,
          maxBytes: (d.nodeOutputs ?? DEFAULT_NODE_OUTPUTS).maxBytes,
          pinned: pinned.nodes,
          ...(resume && fromDir ? { reuse: { dir: fromDir, succeeded: resume.succeeded, pinned: pinned.fromEarlier } } : {}),
        },
      });
      // The sinks have committed: the watermarks move now. Should this process die first, the next run of the
      // pipeline finds the sinks' ledger rows and moves them then (watermark-plan.ts).
      if (result.ok && (planned.ranges.size || chosen.only.size)) await d.watermarks.advance(input.runId, "stored");
      return answer(result);
    },
  };
}
