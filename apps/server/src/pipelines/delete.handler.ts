import { pipelineIdParamsSchema } from "@sluice/model";
import type { Deps } from "../http/deps.ts";
import { AppError, notFound } from "../http/app-error.ts";
import { defineRoute } from "../http/route.ts";
import { auditPipeline } from "./pipeline-audit.ts";
import { workspaceOf } from "../auth/request-auth.ts";

export const deletePipelineRoute = (deps: Deps) =>
  defineRoute({
    method: "delete",
    path: "/pipelines/:id",
    tag: "pipelines",
    action: "pipeline.edit",
    summary: "Delete a pipeline with its versions and run history; refused while a run is in progress",
    params: pipelineIdParamsSchema,
    status: 204,
    errors: [404, 409],
    handler: async ({ params, res, auth }) => {
      const outcome = await deps.pipelines.remove(workspaceOf(auth), params.id, auditPipeline(auth, "pipeline.deleted"));
      if (outcome === "not_found") throw notFound("pipeline", params.id);
      if (outcome === "running") {
        throw new AppError(409, "PIPELINE_RUNNING", "This pipeline has a run in progress. Cancel the run or wait for it to finish, then delete.");
      }
      res.status(204).end();
      return undefined;
    },
  });
