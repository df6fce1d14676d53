import { pipelineIdParamsSchema, pipelineWatermarksSchema, runIdParamsSchema, runWatermarkSchema, runWatermarksSchema, watermarkParamsSchema, type StoredWatermark } from "@sluice/model";
import type { Deps } from "../http/deps.ts";
import { AppError, notFound } from "../http/app-error.ts";
import { defineRoute } from "../http/route.ts";
import { workspaceOf } from "../auth/request-auth.ts";

const stored = (rows: Awaited<ReturnType<Deps["watermarks"]["stored"]>>): StoredWatermark[] =>
  rows.map((w) => ({ nodeId: w.nodeId, column: w.column, value: w.value, runId: w.runId, updatedAt: w.updatedAt.toISOString() }));

export const watermarkRoutes = (deps: Pick<Deps, "watermarks" | "runs" | "pipelines">) => [
  defineRoute({
    method: "get",
    path: "/runs/:id/watermarks",
    tag: "runs",
    action: "workspace.read",
    summary: "What each incremental source of a run read (watermark before and after), and the pipeline's watermarks now",
    params: runIdParamsSchema,
    response: runWatermarksSchema,
    errors: [404],
    handler: async ({ params, auth }) => {
      const run = await deps.runs.repository.get(workspaceOf(auth), params.id);
      if (!run) throw notFound("run", params.id);
      const own = await deps.watermarks.forRun(params.id);
      return { body: { watermarks: own.map((w) => runWatermarkSchema.parse(w)), stored: stored(await deps.watermarks.stored(run.summary.pipelineId)) } };
    },
  }),
  defineRoute({
    method: "get",
    path: "/pipelines/:id/watermarks",
    tag: "pipelines",
    action: "workspace.read",
    summary: "Where each incremental source of the pipeline has read up to",
    params: pipelineIdParamsSchema,
    response: pipelineWatermarksSchema,
    errors: [404],
    handler: async ({ params, auth }) => {
      if (!(await deps.pipelines.get(workspaceOf(auth), params.id))) throw notFound("pipeline", params.id);
      return { body: { watermarks: stored(await deps.watermarks.stored(params.id)) } };
    },
  }),
  defineRoute({
    method: "delete",
    path: "/pipelines/:id/watermarks/:nodeId",
    tag: "pipelines",
    action: "pipeline.edit",
    summary: "Reset an incremental source's watermark: its next run reads every row again (audited)",
    params: watermarkParamsSchema,
    status: 204,
    errors: [404],
    handler: async ({ params, res, auth }) => {
      const done = await deps.watermarks.reset(workspaceOf(auth), auth, params.id, params.nodeId);
      if (done === "not_found") throw notFound("pipeline", params.id);
      if (done === "no_node") {
        throw new AppError(404, "NODE_NOT_FOUND", `Pipeline ${params.id} has no node "${params.nodeId}" and no watermark for it; GET /api/pipelines/${params.id}/watermarks lists the sources that have one.`);
      }
      res.status(204).end();
      return undefined;
    },
  }),
];
