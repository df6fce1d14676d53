import { parameterValuesSchema, type ParameterValues, type PipelineGraph } from "@sluice/model";
import { parameterValuesFor } from "./parameter-values.ts";
import { listOutputs, openOutput } from "./run-outputs.ts";
import { AppError, notFound } from "../http/app-error.ts";
import type { RunRepository } from "./run.repository.ts";
import type { SinkRowsReader } from "./sink-rows.ts";
import type { RunQueue } from "./run-queue.ts";
import type { Db } from "../db/prisma.ts";
import type { RequestAuth } from "../auth/request-auth.ts";
import { recordAudit, type AuditActor } from "../audit/audit.repository.ts";
import { DEFAULT_NODE_OUTPUTS, nodeOutputsState, type NodeOutputSettings } from "./node-outputs.ts";
import { changedReusedNodes, reusedWithUpstream } from "./resume-check.ts";
import { loadStoredGraph } from "../pipelines/load-graph.ts";

export interface RunServiceDeps {
  db: Db;
  repository: RunRepository;
  queue: RunQueue;
  outputsDir: string;
  /** How long node outputs are kept (said when a resume finds them gone). */
  nodeOutputs?: NodeOutputSettings;
  /** Reads back what a sink of a run wrote (sink-rows.ts). */
  sinkRows: SinkRowsReader;
  /** The pinned version's graph and whether it may run (validation problems if not); only pipelines of the workspace. */
  checkRunnable(workspaceId: string, pipelineId: string, version: number | undefined): Promise<
    { kind: "not_found" } | { kind: "version_not_found"; version: number } | { kind: "ok"; versionNumber: number; graph: PipelineGraph } | { kind: "invalid"; problems: unknown[] }
  >;
}

export function runService(d: RunServiceDeps) {
  return {
    repository: d.repository,
    queue: d.queue,

    /**
     * Queues a run of a pipeline of the workspace. The run row and its audit entry (run.started, or run.retried when
     * `retryOf` names the run it repeats) are written in one transaction; queueing follows, as the worker reads
     * the row. `who` is the request, or systemActor(...) for schedules and triggers.
     */
    async start(
      workspaceId: string,
      who: RequestAuth | AuditActor,
      input: {
        pipelineId: string;
        version?: number | undefined;
        params?: ParameterValues | undefined;
        trigger: string;
        retryOf?: string | undefined;
        /** A slot of a backfill (backfills/): its runs queue by lane, not behind the pipeline's other runs. */
        backfill?: { id: string; slot: string; lane: number } | undefined;
        /** The version's check, when the caller has just made it for many runs of that version (a backfill's). */
        checked?: { versionNumber: number; graph: PipelineGraph } | undefined;
        /** A failed run this one resumes (see resume below). */
        resumedFrom?: string | undefined;
        /** "Run from here" (see runFrom below): the node it starts at. */
        fromNode?: string | undefined;
      },
    ) {
      const check = input.checked ? ({ kind: "ok", ...input.checked } as const) : await d.checkRunnable(workspaceId, input.pipelineId, input.version);
      switch (check.kind) {
        case "not_found":
          throw notFound("pipeline", input.pipelineId);
        case "version_not_found":
          throw new AppError(404, "VERSION_NOT_FOUND", `Pipeline ${input.pipelineId} has no version ${check.version}.`);
        case "invalid":
          throw new AppError(422, "PIPELINE_INVALID", "The pipeline has problems that prevent running it; fix them and try again.", {
            problems: check.problems,
          });
        case "ok":
          break;
        default: {
          const never: never = check;
          throw new Error(`unhandled ${JSON.stringify(never)}`);
        }
      }
      // Every value is stored, defaults too, so the run page shows exactly what the run used.
      const params = parameterValuesFor(check.graph, input.params);
      const run = await d.db.$transaction(async (tx) => {
        const created = await d.repository.create(
          workspaceId,
          { pipelineId: input.pipelineId, versionNumber: check.versionNumber, trigger: input.trigger, params, backfill: input.backfill, resumedFrom: input.resumedFrom, fromNode: input.fromNode },
          tx,
        );
        if (!created) return null;
        await recordAudit(tx, who, {
          action: input.resumedFrom ? "run.resumed" : input.retryOf ? "run.retried" : "run.started",
          resourceType: "run",
          resourceId: created.id,
          resourceLabel: created.pipeline.name,
          details: {
            version: check.versionNumber,
            trigger: input.trigger,
            ...(input.retryOf ? { retryOf: input.retryOf } : {}),
            ...(input.resumedFrom ? { resumedFrom: input.resumedFrom } : {}),
            ...(input.fromNode ? { fromNode: input.fromNode } : {}),
            ...(input.backfill ? { backfillId: input.backfill.id, slot: input.backfill.slot } : {}),
          },
          workspaceId,
        });
        return created;
      });
      if (!run) throw new AppError(404, "VERSION_NOT_FOUND", `Pipeline ${input.pipelineId} has no version ${check.versionNumber}.`);
      const jobId = await d.queue.enqueue(run);
      await d.repository.setJob(run.id, jobId);
      await d.repository.log(run.id, "info", `Queued version ${check.versionNumber} (${input.trigger}).`);
      return run.id;
    },

    /**
     * Resumes a failed (or cancelled) run as a new run linked to it: the nodes that succeeded there are reused from
     * their stored outputs, the rest runs again (see docs/resume.md). On the run's own version, or on the pipeline's
     * current one when every reused node is unchanged there. Refused with a reason a person can act on.
     */
    async resume(workspaceId: string, who: RequestAuth, runId: string, on: "same" | "current") {
      const run = await d.repository.get(workspaceId, runId);
      if (!run) throw notFound("run", runId);
      if (run.summary.status !== "failed" && run.summary.status !== "cancelled") {
        throw new AppError(409, "RUN_NOT_RESUMABLE", `Run ${runId} ${run.summary.status === "succeeded" ? "succeeded" : "has not finished"}; only a failed or cancelled run can be resumed.`);
      }
      if (run.engine?.engine === "database") {
        throw new AppError(409, "RUN_NOT_RESUMABLE", `Run ${runId} ran inside the database, which keeps no node outputs; start a full run instead.`);
      }
      const kept = await nodeOutputsState(d.outputsDir, runId);
      if (kept.kind === "too-large") throw new AppError(409, "RUN_OUTPUTS_TOO_LARGE", kept.message);
      if (kept.kind === "gone") {
        const days = Math.round((d.nodeOutputs ?? DEFAULT_NODE_OUTPUTS).retentionMs / 86_400_000);
        throw new AppError(410, "RUN_OUTPUTS_EXPIRED", `The stored node outputs of run ${runId} are gone (they are kept ${days} days, RUN_OUTPUTS_RETENTION_DAYS); start a full run instead.`);
      }
      const succeeded = new Set(run.nodes.filter((n) => n.status === "succeeded").map((n) => n.nodeId));
      let version: number | undefined = run.summary.versionNumber;
      if (on === "current") {
        const now = await d.checkRunnable(workspaceId, run.summary.pipelineId, undefined);
        // Not runnable: start() below refuses it with the same answer as any run of it.
        version = undefined;
        if (now.kind === "ok") {
          const old = loadStoredGraph((await d.repository.forExecution(runId)).version.graph, `Version ${run.summary.versionNumber}`).graph;
          // Stored outputs of nodes that succeeded are what the run reads back; they hold their upstream's work too.
          const changed = changedReusedNodes(old, now.graph, reusedWithUpstream(old, [...kept.stored].filter((n) => succeeded.has(n))));
          if (changed.length) {
            throw new AppError(
              409,
              "RESUME_UPSTREAM_CHANGED",
              `Version ${now.versionNumber} changed ${changed.join(", ")}, which the resumed run would reuse from version ${run.summary.versionNumber}; resume on version ${run.summary.versionNumber}, or start a full run.`,
              { nodes: changed },
            );
          }
        }
      }
      return this.start(workspaceId, who, {
        pipelineId: run.summary.pipelineId,
        version,
        params: parameterValuesSchema.catch({}).parse(run.params ?? {}),
        trigger: "resume",
        resumedFrom: runId,
      });
    },

    /**
     * "Run from here": runs one node of the pipeline's current version and everything downstream of it, reusing
     * every other node from the latest finished run of that version in which every node upstream of it succeeded
     * and whose outputs are still kept. It is a resume of that run (same planner, reused nodes marked reused) that
     * also runs the chosen node again, with that run's parameter values. `version` is the version the editor shows:
     * it must still be the current one.
     */
    async runFrom(workspaceId: string, who: RequestAuth, input: { pipelineId: string; nodeId: string; version?: number | undefined }) {
      const now = await d.checkRunnable(workspaceId, input.pipelineId, undefined);
      // Not found or not valid: start() gives the same answer as for any run of it.
      if (now.kind !== "ok") return this.start(workspaceId, who, { pipelineId: input.pipelineId, trigger: "manual" });
      if (input.version !== undefined && input.version !== now.versionNumber) {
        throw new AppError(
          409,
          "RUN_FROM_NOT_CURRENT",
          `Run from here runs the saved current version (${now.versionNumber}), not version ${input.version}; save your changes (or reload the pipeline) first, or run the whole pipeline.`,
        );
      }
      const node = now.graph.nodes.find((n) => n.id === input.nodeId);
      if (!node) throw new AppError(422, "NODE_NOT_FOUND", `Version ${now.versionNumber} has no node ${input.nodeId.slice(0, 200)}; save your changes first, or pick a node of the saved pipeline.`, { field: "fromNode" });
      const upstream = reusedWithUpstream(now.graph, [input.nodeId]);
      upstream.delete(input.nodeId);
      for (const run of await d.repository.finishedOfVersion(input.pipelineId, now.versionNumber)) {
        const succeeded = new Set(run.nodes.filter((n) => n.status === "succeeded").map((n) => n.nodeId));
        if (![...upstream].every((id) => succeeded.has(id))) continue;
        if ((await nodeOutputsState(d.outputsDir, run.id)).kind !== "kept") continue;
        return this.start(workspaceId, who, {
          pipelineId: input.pipelineId,
          version: now.versionNumber,
          // The reused nodes computed with that run's values: what runs again uses the same ones.
          params: parameterValuesSchema.catch({}).parse(run.params ?? {}),
          trigger: "from-node",
          resumedFrom: run.id,
          fromNode: input.nodeId,
        });
      }
      throw new AppError(
        409,
        "RUN_FROM_NO_RUN",
        `No run of version ${now.versionNumber} has kept results for everything upstream of ${node.label ?? node.id}; run the whole pipeline first.`,
      );
    },

    /** Cancels a run of the workspace; the change and its audit entry (run.cancelled) are written together. */
    async cancel(workspaceId: string, who: RequestAuth, id: string) {
      const { outcome, jobId } = await d.db.$transaction(async (tx) => {
        const outcome = await d.repository.requestCancel(workspaceId, id, tx);
        if (outcome !== "cancelled" && outcome !== "requested") return { outcome, jobId: null };
        const run = await d.repository.forCancel(id, tx);
        await recordAudit(tx, who, {
          action: "run.cancelled",
          resourceType: "run",
          resourceId: id,
          resourceLabel: run.pipeline.name,
          details: { version: run.versionNumber, wasRunning: outcome === "requested" },
        });
        return { outcome, jobId: run.jobId };
      });
      if (outcome === "cancelled") {
        if (jobId) await d.queue.cancelJob(jobId);
        await d.repository.log(id, "info", "Cancelled before it started.");
      } else if (outcome === "requested") {
        await d.repository.log(id, "info", "Cancellation requested; stopping.");
      }
      return outcome;
    },

    /** The files a run wrote; see run-outputs.ts for what counts. */
    outputs: (runId: string) => listOutputs(d.outputsDir, runId),

    /** One output opened for download (the caller closes it), or undefined; never a link or a file elsewhere. */
    openOutput: (runId: string, name: string) => openOutput(d.outputsDir, runId, name),

    /** The first rows a sink of a run of the workspace wrote, read back from its target now; see sink-rows.ts. */
    sinkRows: d.sinkRows,
  };
}

export type RunService = ReturnType<typeof runService>;
