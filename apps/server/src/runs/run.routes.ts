import {
  parameterValuesSchema,
  pipelineIdParamsSchema,
  resumeRunRequestSchema,
  runDetailSchema,
  runIdParamsSchema,
  runListQuerySchema,
  runListSchema,
  sinkRowsParamsSchema,
  sinkRowsQuerySchema,
  sinkRowsSchema,
  startRunRequestSchema,
  startRunResponseSchema,
} from "@sluice/model";
import { pipeline } from "node:stream";
import { z } from "zod";
import type { Deps } from "../http/deps.ts";
import { AppError, notFound } from "../http/app-error.ts";
import { defineRoute } from "../http/route.ts";
import { streamRunEvents } from "./run-events.ts";
import { workspaceOf } from "../auth/request-auth.ts";

export const runRoutes = (deps: Pick<Deps, "runs" | "log" | "backfills">) => [
  defineRoute({
    method: "post",
    path: "/pipelines/:id/runs",
    tag: "runs",
    action: "run.start",
    summary:
      "Start a run of the current (or a given) version; 422 with the problems if the graph is not valid. With fromNode, run that node and everything downstream, reusing the rest from the latest run of the current version (409 when none kept it)",
    params: pipelineIdParamsSchema,
    body: startRunRequestSchema,
    response: startRunResponseSchema,
    status: 202,
    errors: [404, 409, 422],
    handler: async ({ params, body, auth }) => {
      if (body.fromNode !== undefined) {
        if (body.params) throw new AppError(400, "VALIDATION_FAILED", "fromNode reuses the earlier run's parameter values; leave out params, or run the whole pipeline with them.", { field: "params" });
        const runId = await deps.runs.runFrom(workspaceOf(auth), auth, { pipelineId: params.id, nodeId: body.fromNode, version: body.version });
        return { status: 202, body: { runId } };
      }
      const runId = await deps.runs.start(workspaceOf(auth), auth, { pipelineId: params.id, version: body.version, params: body.params, trigger: "manual" });
      return { status: 202, body: { runId } };
    },
  }),
  defineRoute({
    method: "get",
    path: "/runs",
    tag: "runs",
    action: "workspace.read",
    summary: "List the workspace's runs, newest first; filter by pipeline and status",
    query: runListQuerySchema,
    response: runListSchema,
    handler: async ({ query, auth }) => ({ body: await deps.runs.repository.list(workspaceOf(auth), query) }),
  }),
  defineRoute({
    method: "get",
    path: "/runs/:id",
    tag: "runs",
    action: "workspace.read",
    summary: "A run with where it executed (DuckDB or inside a PostgreSQL connection), per-node status, rows, duration and where each node ran, and its file outputs",
    params: runIdParamsSchema,
    response: runDetailSchema,
    errors: [404],
    handler: async ({ params, auth }) => {
      const run = await deps.runs.repository.get(workspaceOf(auth), params.id);
      if (!run) throw notFound("run", params.id);
      return { body: { ...run.summary, engine: run.engine, nodes: run.nodes, params: run.params, resumedFrom: run.raw.resumedFromId, checks: await deps.runs.repository.checks(params.id), outputs: await deps.runs.outputs(params.id) } };
    },
  }),
  defineRoute({
    method: "get",
    path: "/runs/:id/events",
    tag: "runs",
    action: "workspace.read",
    summary: "Server-sent events with live progress; a finished run replays its events and the stream ends",
    params: runIdParamsSchema,
    errors: [404],
    handler: async ({ params, req, res, auth }) => {
      const workspaceId = workspaceOf(auth);
      if (!(await deps.runs.repository.exists(workspaceId, params.id))) throw notFound("run", params.id);
      await streamRunEvents(deps.runs.repository, workspaceId, params.id, req, res, auth.stillAllowed);
      return undefined;
    },
  }),
  defineRoute({
    method: "post",
    path: "/runs/:id/cancel",
    tag: "runs",
    action: "run.start",
    summary: "Cancel a queued or running run; a running one stops within about 2 s and changes no target",
    params: runIdParamsSchema,
    response: runDetailSchema.pick({ id: true, status: true, cancelRequested: true }),
    errors: [404, 409],
    handler: async ({ params, auth }) => {
      const workspaceId = workspaceOf(auth);
      const outcome = await deps.runs.cancel(workspaceId, auth, params.id);
      if (outcome === "not_found") throw notFound("run", params.id);
      if (outcome === "finished") throw new AppError(409, "RUN_FINISHED", "This run has already finished; there is nothing to cancel.");
      const run = (await deps.runs.repository.get(workspaceId, params.id))!;
      return { status: 202, body: { id: run.summary.id, status: run.summary.status, cancelRequested: true } };
    },
  }),
  defineRoute({
    method: "post",
    path: "/runs/:id/retry",
    tag: "runs",
    action: "run.start",
    summary: "Start a new run of the same pipeline version with the same values; a backfill's run is retried as its slot's next run (409 when the slot has a newer one)",
    params: runIdParamsSchema,
    response: startRunResponseSchema,
    status: 202,
    errors: [400, 404, 409, 422],
    handler: async ({ params, auth }) => {
      const workspaceId = workspaceOf(auth);
      const run = await deps.runs.repository.get(workspaceId, params.id);
      if (!run) throw notFound("run", params.id);
      // A backfill's run is retried as its slot's next run, in its lane, so the backfill counts it.
      if (run.summary.backfill) return { status: 202, body: { runId: await deps.backfills.service.retryRun(workspaceId, auth, run.summary.backfill.id, run.summary.id) } };
      const runId = await deps.runs.start(workspaceId, auth, {
        pipelineId: run.summary.pipelineId,
        version: run.summary.versionNumber,
        params: parameterValuesSchema.catch({}).parse(run.params ?? {}),
        trigger: "retry",
        retryOf: run.summary.id,
      });
      return { status: 202, body: { runId } };
    },
  }),
  defineRoute({
    method: "post",
    path: "/runs/:id/resume",
    tag: "runs",
    action: "run.start",
    summary:
      "Resume a failed or cancelled run as a new run: nodes that succeeded reuse their stored outputs, the rest runs again; 409 when it cannot be resumed (or a reused node changed in the current version), 410 when its outputs expired",
    params: runIdParamsSchema,
    body: resumeRunRequestSchema,
    response: startRunResponseSchema,
    status: 202,
    errors: [404, 409, 410, 422],
    handler: async ({ params, body, auth }) => {
      const runId = await deps.runs.resume(workspaceOf(auth), auth, params.id, body.version);
      return { status: 202, body: { runId } };
    },
  }),
  defineRoute({
    method: "get",
    path: "/runs/:id/outputs/:name",
    tag: "runs",
    action: "workspace.read",
    summary: "Download a file a file sink wrote",
    // Any name is accepted here and one that is not a plain file name is simply no output (404), like a missing one.
    params: z.object({ id: z.uuid("not a run id"), name: z.string() }),
    errors: [404],
    handler: async ({ params, res, auth }) => {
      // Another workspace's run has no outputs here, the same answer as a run that wrote none.
      const ours = await deps.runs.repository.exists(workspaceOf(auth), params.id);
      const file = ours ? await deps.runs.openOutput(params.id, params.name) : undefined;
      if (!file) throw new AppError(404, "OUTPUT_NOT_FOUND", `Run ${params.id} has no output named ${params.name.slice(0, 200)}.`);
      res.attachment(file.name);
      res.set("Content-Length", String(file.size));
      // Streams from the descriptor that was checked, never by path again; the stream closes it.
      pipeline(file.handle.createReadStream(), res, (err) => {
        if (err && err.code !== "ERR_STREAM_PREMATURE_CLOSE") deps.log(`sending output ${file.name} of run ${params.id} failed: ${err.message}`);
      });
      return undefined;
    },
  }),
  defineRoute({
    method: "get",
    path: "/runs/:id/sinks/:nodeId/rows",
    tag: "runs",
    action: "workspace.read",
    summary: "The first rows a sink of a finished run wrote, read back from its table or file as it is now",
    params: sinkRowsParamsSchema,
    query: sinkRowsQuerySchema,
    response: sinkRowsSchema,
    errors: [404, 409, 410, 503],
    handler: async ({ params, query, auth }) => ({ body: await deps.runs.sinkRows(workspaceOf(auth), params.id, params.nodeId, query.limit) }),
  }),
];
