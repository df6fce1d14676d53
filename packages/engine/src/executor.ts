import { mkdirSync, rmSync } from "node:fs";
import type { CompiledPipeline } from "@sluice/pipeline";
import type { PostgresConnectionSettings } from "./connector.ts";
import type { Connectors } from "./connectors/connectors.ts";
import type { WatermarkRange } from "./connectors/postgres-watermark.ts";
import { openSession, type DuckSession, type EngineOptions } from "./duckdb-session.ts";
import { describeDuckError } from "./duck-error.ts";
import type { ExecutionEvent, ExecutionProgress, NodeStats, NodeStorage } from "./execution-events.ts";
import { planExecution, type MaterializePolicy, type PlannedStep } from "./execution-plan.ts";
import { NodeTracker } from "./node-tracker.ts";
import { StopSwitch } from "./stop-switch.ts";
import { dropRelation, firstFailingView, type RelationKind, type StepEnvironment } from "./step-runner.ts";
import { runPlannedStep } from "./run-planned-step.ts";
import { failedChecksMessage } from "./quality-checks.ts";
import { becameNullMessage } from "./became-null.ts";
import { loadStored, OutputSaver, planReuse, storedFile, type StoredOutputsOptions } from "./stored-outputs.ts";
import { existsSync } from "node:fs";
import { countRows } from "./step-runner.ts";
import { isTransientFailure } from "./transient-failure.ts";


export interface ExecuteOptions {
  engine: EngineOptions;
  /** A private folder for this execution, inside engine.allowedDirectories; created, and removed at the end. */
  workDir: string;
  connectors: Connectors;
  connection(id: string): Promise<PostgresConnectionSettings>;
  /** Identifies the run to sinks, for exactly-once loads. */
  runId: string;
  /** Aborting it cancels the run: the running statement is interrupted and the run ends within about a second. */
  signal?: AbortSignal | undefined;
  /** Node started, finished, failed or cancelled; log lines. Awaited, in order. */
  onEvent(e: ExecutionEvent): void | Promise<void>;
  /** A few times a second while a step runs. */
  onProgress?: ((p: ExecutionProgress) => void) | undefined;
  /** Stops the run after this long, like a cancel, and says it timed out. */
  timeoutMs?: number | undefined;
  /** Default "auto": tables where a step is shared or counted, views where it streams into one query step. */
  materialize?: MaterializePolicy | undefined;
  /** Incremental sources by node id: where each reads from (a watermark event reports the range read). */
  watermarks?: ReadonlyMap<string, WatermarkRange> | undefined;
  /** Node outputs kept for a later resume, and those an earlier run kept that this one reuses (stored-outputs.ts). */
  storedOutputs?: StoredOutputsOptions | undefined;
}

export type ExecutionResult =
  | { ok: true; rowsRead: number; rowsWritten: number; nodes: NodeStats[]; elapsedMs: number }
  | {
      ok: false;
      /** SCREAMING_SNAKE: RUN_CANCELLED, RUN_TIMED_OUT, ENGINE_START_FAILED, a DuckDB failure (CONVERSION_FAILED, OUT_OF_MEMORY, …) or a connector's code. */
      code: string;
      /** For people: "<label> (<node id>): <what went wrong>". */
      error: string;
      nodeId?: string;
      cancelled: boolean;
      timedOut: boolean;
      /** Worth another attempt: the network or a database hiccuped, the data was not at fault. */
      transient: boolean;
      nodes: NodeStats[];
      elapsedMs: number;
    };

/** Failures a streamed (view) input may have caused; interrupts and resource limits are not probed. */
const PROBED = new Set(["CONVERSION_FAILED", "VALUE_OUT_OF_RANGE", "INVALID_INPUT", "CONSTRAINT_VIOLATED", "QUERY_FAILED"]);

const storageOf = (p: PlannedStep): NodeStorage =>
  p.step.step.kind === "load" ? "load" : p.step.step.kind === "sink" ? "sink" : p.fused ? "view" : "table";

/** What a sink writes to, for telling apart sinks that may write at the same time. */
function targetOf(p: PlannedStep): string {
  const step = p.step.step;
  if (step.kind !== "sink") return p.step.nodeId;
  const spec = step.spec;
  const key = step.target === "file" ? ["file", spec.name, spec.format] : ["postgres", spec.connectionId, spec.schema, spec.table];
  return JSON.stringify(key.map((x) => String(x ?? "").toLowerCase()));
}

const isSource = (p: PlannedStep) => Object.values(p.step.inputRelations).every((rels) => rels.length === 0);

function seconds(ms: number) {
  return ms < 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 1000)} s`;
}

/**
 * Runs a compiled pipeline on a fresh, locked-down, in-memory DuckDB (spilling to disk beyond its memory
 * limit): query steps become tables or views (see planExecution), load steps go to the injected loaders,
 * sink steps to the injected sinks. Each relation is dropped as soon as nothing later reads it. Every
 * failure comes back as a value naming the node; the DuckDB instance, its spill files and the work folder
 * are removed whatever happens.
 */
export async function executePipeline(compiled: CompiledPipeline, o: ExecuteOptions): Promise<ExecutionResult> {
  const started = Date.now();
  const tracker = new NodeTracker(o.onEvent);
  const elapsed = () => Date.now() - started;
  const refuse = (code: string, error: string, extra: { cancelled?: boolean } = {}): ExecutionResult => ({
    ok: false,
    code,
    error,
    cancelled: extra.cancelled ?? false,
    timedOut: false,
    transient: false,
    nodes: tracker.stats(),
    elapsedMs: elapsed(),
  });
  if (o.signal?.aborted) return refuse("RUN_CANCELLED", "Cancelled.", { cancelled: true });

  let session: DuckSession | undefined;
  let stop: StopSwitch | undefined;
  let saves: OutputSaver | undefined;
  try {
    mkdirSync(o.workDir, { recursive: true });
    const plan = planExecution(compiled, o.materialize ?? "auto");
    // Sinks come last (see compileGraph): several of them may write side by side, each on its own connection.
    let firstSink = plan.steps.length;
    while (firstSink > 0 && plan.steps[firstSink - 1]!.step.step.kind === "sink") firstSink--;
    const sinkGroup = plan.steps.length - firstSink > 1 ? plan.steps.slice(firstSink) : [];
    // One connection more per sink written side by side, as many as the setting allows, and one that keeps node outputs.
    const sinkLanes = Math.max(0, Math.min((o.engine.sinkParallelism ?? 1) - 1, 3, sinkGroup.length - 1));
    const keeping = o.storedOutputs?.saveDir !== undefined;
    const opened = await openSession(o.engine, { lanes: sinkLanes + (keeping ? 1 : 0) });
    if (!opened.ok) {
      const issue = opened.issues[0];
      return refuse(issue?.code ?? "ENGINE_START_FAILED", issue?.message ?? "DuckDB could not start.");
    }
    session = opened.value;
    let current: PlannedStep | undefined;
    stop = new StopSwitch(session, {
      signal: o.signal,
      timeoutMs: o.timeoutMs,
      onTick: () => {
        if (!current || !o.onProgress) return;
        try {
          o.onProgress({ nodeId: current.step.nodeId, step: current.index + 1, steps: plan.steps.length, percent: session?.progress() ?? null });
        } catch {
          // progress is best effort
        }
      },
    });
    const env: StepEnvironment = {
      session,
      connectors: o.connectors,
      workDir: o.workDir,
      signal: stop.signal,
      connection: o.connection,
      log: (level, message, nodeId) => void Promise.resolve(o.onEvent({ type: "log", level, message, nodeId })).catch(() => undefined),
      watermarks: o.watermarks,
    };
    const s = session;
    const sw = stop;
    const rows = new Map<string, number | null>();
    const kinds = new Map<string, RelationKind>();
    let rowsRead = 0;
    let rowsWritten = 0;
    const so = o.storedOutputs;
    const reuseDir = so?.reuse?.dir;
    // A source pinned to the resumed run's snapshot is as good as stored: its rows come back by reading it again.
    const snapshot = new Set(plan.steps.filter((p) => so?.reuse?.pinned?.has(p.step.nodeId)).flatMap((p) => Object.values(p.step.relations)));
    const reuse = so?.reuse ? planReuse(plan, so.reuse.succeeded, (rel) => snapshot.has(rel) || existsSync(storedFile(so.reuse!.dir, rel))) : undefined;
    const warn = (message: string) => Promise.resolve(o.onEvent({ type: "log", level: "warn", message }));
    const saveLane = keeping ? s.lanes[sinkLanes] : undefined;
    const saver =
      so?.saveDir && saveLane
        ? new OutputSaver(
            so.saveDir,
            so.maxBytes ?? Number.MAX_SAFE_INTEGER,
            warn,
            async (_relation, e) => {
              // A cancelled or timed-out run stops its writes too; that needs no word of its own.
              if (!sw.reason) await warn(`A node output of this run could not be kept, so a resume computes it again: ${describeDuckError(e).message}`);
            },
            () => sw.reason !== undefined,
          )
        : undefined;
    saves = saver;
    if (reuse) {
      const names = plan.steps.filter((p) => reuse.reused.has(p.step.nodeId)).map((p) => p.step.label);
      await o.onEvent({ type: "log", level: "info", message: `Resuming: reusing the stored outputs of ${names.length ? names.join(", ") : "no node"}; the rest runs again.` });
    }

    const streamed = plan.steps.filter((p) => p.fused).map((p) => p.step.label);
    await o.onEvent({
      type: "log",
      level: "info",
      message:
        `Running ${plan.steps.length} steps on DuckDB (memory limit ${s.memoryLimit}, ${s.threads} threads).` +
        (streamed.length ? ` Streamed without storing: ${streamed.join(", ")}.` : ""),
    });

    const stopped = async (): Promise<ExecutionResult> => {
      const timedOut = sw.reason === "timeout";
      const message = timedOut ? `Timed out after ${seconds(o.timeoutMs ?? 0)}; the run was stopped and no sink committed unfinished work.` : "Cancelled.";
      await tracker.endUnfinished("cancelled", timedOut ? message : null);
      return {
        ok: false,
        code: timedOut ? "RUN_TIMED_OUT" : "RUN_CANCELLED",
        error: message,
        ...(current ? { nodeId: current.step.nodeId } : {}),
        cancelled: !timedOut,
        timedOut,
        transient: false,
        nodes: tracker.stats(),
        elapsedMs: elapsed(),
      };
    };

    /** The trailing sinks at once: a failure stops the others, which then commit nothing that was not already committed. */
    const runSinks = async (group: PlannedStep[]): Promise<ExecutionResult | undefined> => {
      const lanes = [s, ...s.lanes.slice(0, sinkLanes)];
      const abort = new AbortController();
      const signal = AbortSignal.any([sw.signal, abort.signal]);
      current = group[0];
      let failure: { p: PlannedStep; code: string; message: string } | undefined;
      // Sinks writing the same target stay on one lane, in order, as they would have run one after the other.
      const targets = [...new Set(group.map(targetOf))];
      await Promise.all(
        lanes.map(async (lane, k) => {
          const laneEnv: StepEnvironment = { ...env, session: lane, signal };
          for (const p of group.filter((q) => targets.indexOf(targetOf(q)) % lanes.length === k)) {
            if (signal.aborted) return;
            if (reuse?.reused.has(p.step.nodeId)) {
              // Committed in the run being resumed and not downstream of what failed: not written twice.
              await tracker.start(p.step.nodeId, p.step.label, "sink", null, "reused");
              await tracker.finish(p.step.nodeId, null);
              continue;
            }
            const inputs = Object.values(p.step.inputRelations).flat().map((rel) => rows.get(rel) ?? null);
            await tracker.start(p.step.nodeId, p.step.label, "sink", inputs.includes(null) ? null : inputs.reduce<number>((a, b) => a + (b ?? 0), 0));
            const r = await runPlannedStep(laneEnv, p, o.runId, rows, kinds, null);
            if (!r.ok) {
              if (!abort.signal.aborted && !sw.reason) failure = { p, code: r.code, message: r.message };
              abort.abort();
              return;
            }
            rowsWritten += r.value.written;
            await tracker.finish(p.step.nodeId, r.value.rowsOut);
            if (r.value.output) await o.onEvent({ type: "log", level: "info", nodeId: p.step.nodeId, message: `Wrote ${r.value.output.name} (${r.value.output.bytes} bytes).` });
          }
        }),
      );
      if (sw.reason) return await stopped();
      if (failure) {
        const { p, code, message } = failure;
        await tracker.fail(p.step.nodeId, "failed", message, code);
        await tracker.endUnfinished("cancelled", `Stopped because "${p.step.label}" failed; nothing was written here.`);
        return { ok: false, code, error: `${p.step.label} (${p.step.nodeId}): ${message}`, nodeId: p.step.nodeId, cancelled: false, timedOut: false, transient: isTransientFailure(message), nodes: tracker.stats(), elapsedMs: elapsed() };
      }
      // Views computed by the sinks (a projection read by several of them) finish with the last.
      for (const q of plan.steps) {
        const at = plan.finishedBy.get(q.index);
        if (at !== undefined && at >= firstSink) await tracker.finish(q.step.nodeId, rows.get(q.step.relations.out ?? "") ?? null);
      }
      return undefined;
    };

    for (const p of plan.steps) {
      if (sw.reason) return await stopped();
      if (sinkGroup[0] === p) {
        const failed = await runSinks(sinkGroup);
        if (failed) return failed;
        break;
      }
      if (reuse?.reused.has(p.step.nodeId) && reuseDir) {
        // Not computed again: its outputs that a re-run node reads come back from the earlier run's files.
        await tracker.start(p.step.nodeId, p.step.label, storageOf(p), null, "reused");
        const relations = Object.values(p.step.relations);
        if (relations.some((rel) => snapshot.has(rel) && reuse.load.has(rel))) {
          // Its snapshot read again: the same rows, computed as the run being resumed computed them.
          const again = await runPlannedStep(env, p, o.runId, rows, kinds, null);
          if (sw.reason) return await stopped();
          if (!again.ok) {
            await tracker.fail(p.step.nodeId, "failed", again.message, again.code);
            await tracker.endUnfinished("failed", `Stopped because "${p.step.label}" failed.`);
            return { ok: false, code: again.code, error: `${p.step.label} (${p.step.nodeId}): ${again.message}`, nodeId: p.step.nodeId, cancelled: false, timedOut: false, transient: false, nodes: tracker.stats(), elapsedMs: elapsed() };
          }
        }
        for (const rel of relations) {
          if (reuse.load.has(rel) && !snapshot.has(rel)) {
            await loadStored(s, reuseDir, rel);
            kinds.set(rel, "table");
            rows.set(rel, await countRows(s, rel));
          }
          if (!snapshot.has(rel)) saver?.carryOver(reuseDir, rel);
        }
        if (so?.pinned?.has(p.step.nodeId) || Object.values(p.step.relations).every((rel) => existsSync(storedFile(reuseDir, rel)))) saver?.markStored(p.step.nodeId);
        await tracker.finish(p.step.nodeId, rows.get(Object.values(p.step.relations)[0] ?? "") ?? null);
        for (const rel of p.dropAfter) {
          await saver?.whenSaved(rel);
          await dropRelation(s, rel, kinds.get(rel)).catch(() => undefined);
        }
        continue;
      }
      current = p;
      const step = p.step;
      const inputs = Object.values(step.inputRelations).flat().map((rel) => rows.get(rel) ?? null);
      // A source has no rows in (null), not zero of them.
      const rowsIn = inputs.length === 0 || inputs.includes(null) ? null : inputs.reduce<number>((a, b) => a + (b ?? 0), 0);
      await tracker.start(step.nodeId, step.label, storageOf(p), rowsIn);

      const r = await runPlannedStep(env, p, o.runId, rows, kinds, rowsIn);
      if (sw.reason) return await stopped();
      if (!r.ok) {
        let culprit = step.nodeId;
        if (step.step.kind === "query" && PROBED.has(r.code)) {
          const views = plan.steps
            .filter((q) => plan.finishedBy.get(q.index) === p.index)
            .flatMap((q) => Object.values(q.step.relations).map((relation) => ({ nodeId: q.step.nodeId, relation })));
          culprit = (await firstFailingView(s, views)) ?? culprit;
          if (sw.reason) return await stopped();
        }
        const label = compiled.steps.find((c) => c.nodeId === culprit)?.label ?? culprit;
        await tracker.fail(culprit, "failed", r.message, r.code);
        await tracker.endUnfinished("failed", `Stopped because "${label}" failed.`);
        return {
          ok: false,
          code: r.code,
          error: `${label} (${culprit}): ${r.message}`,
          nodeId: culprit,
          cancelled: false,
          timedOut: false,
          transient: isTransientFailure(r.message),
          nodes: tracker.stats(),
          elapsedMs: elapsed(),
        };
      }

      const { rowsOut, written, output, checks, becameNull, watermark } = r.value;
      // Awaited before any sink runs: the run stores the range it read before a sink can commit rows of it.
      if (watermark) await o.onEvent({ type: "watermark", nodeId: step.nodeId, ...watermark });
      for (const c of (becameNull ?? []).filter((x) => x.nulled > 0)) await o.onEvent({ type: "log", level: "warn", nodeId: step.nodeId, message: `${becameNullMessage(c)}.` });
      if (checks) {
        await o.onEvent({ type: "checks", nodeId: step.nodeId, results: checks });
        const failed = failedChecksMessage(checks);
        if (failed) {
          await tracker.fail(step.nodeId, "failed", failed, "CHECK_FAILED");
          await tracker.endUnfinished("failed", `Stopped because "${step.label}" failed.`);
          return { ok: false, code: "CHECK_FAILED", error: `${step.label} (${step.nodeId}): ${failed}`, nodeId: step.nodeId, cancelled: false, timedOut: false, transient: false, nodes: tracker.stats(), elapsedMs: elapsed() };
        }
      }
      // Streamed (view) nodes computed by this step finish with it, upstream first.
      for (const q of plan.steps) {
        if (plan.finishedBy.get(q.index) === p.index && q !== p) await tracker.finish(q.step.nodeId, rows.get(q.step.relations.out ?? "") ?? null);
      }
      if (!p.fused) await tracker.finish(step.nodeId, rowsOut);
      if (saver && step.step.kind !== "sink") {
        if (so?.pinned?.has(step.nodeId)) saver.markStored(step.nodeId);
        else {
          const kept = Object.entries(step.relations).filter(([port, rel]) => step.step.kind === "load" || (p.storage[port] === "table" && !p.storedToCount.includes(rel)));
          saver.keep(saveLane!, step.nodeId, kept.map(([, rel]) => rel), kept.length === Object.keys(step.relations).length);
        }
      }
      if (isSource(p) && step.step.kind !== "sink") rowsRead += rowsOut ?? 0;
      rowsWritten += written;
      if (output) await o.onEvent({ type: "log", level: "info", nodeId: step.nodeId, message: `Wrote ${output.name} (${output.bytes} bytes).` });
      for (const rel of p.dropAfter) {
        // A relation being written for a later resume stays until its file is whole.
        await saver?.whenSaved(rel);
        await dropRelation(s, rel, kinds.get(rel)).catch(() => undefined);
      }
    }
    if (sw.reason) return await stopped();
    return { ok: true, rowsRead, rowsWritten, nodes: tracker.stats(), elapsedMs: elapsed() };
  } catch (e) {
    // Only a bug or an event handler that threw gets here; still an answer, never a throw.
    const d = describeDuckError(e);
    return refuse("ENGINE_FAILED", `The run stopped unexpectedly: ${d.message}`);
  } finally {
    // A finished or failed run's kept outputs are whole before it ends (a resume may follow at once).
    await saves?.drain();
    stop?.dispose();
    session?.close();
    rmSync(o.workDir, { recursive: true, force: true });
  }
}
