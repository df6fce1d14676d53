import { duplicatePipelineRequestSchema, pipelineDetailSchema, pipelineIdParamsSchema } from "@sluice/model";
import type { Deps } from "../http/deps.ts";
import { notFound } from "../http/app-error.ts";
import { defineRoute } from "../http/route.ts";
import { refuseSecretHeaders } from "./secret-headers.ts";
import { auditPipeline } from "./pipeline-audit.ts";
import { workspaceOf } from "../auth/request-auth.ts";

export const duplicatePipelineRoute = (deps: Deps) =>
  defineRoute({
    method: "post",
    path: "/pipelines/:id/duplicate",
    tag: "pipelines",
    action: "pipeline.edit",
    summary: "Copy a pipeline's current version into a new pipeline (history and runs are not copied)",
    params: pipelineIdParamsSchema,
    body: duplicatePipelineRequestSchema,
    response: pipelineDetailSchema,
    status: 201,
    errors: [400, 404],
    handler: async ({ params, body, auth }) => {
      const workspaceId = workspaceOf(auth);
      const source = await deps.pipelines.get(workspaceId, params.id);
      if (!source) throw notFound("pipeline", params.id);
      refuseSecretHeaders(source.graph, `"${source.name}"`);
      const copy = await deps.pipelines.create(
        workspaceId,
        {
          name: body.name ?? `${source.name} (copy)`,
          description: source.description,
          graph: source.graph,
          message: `Duplicated from "${source.name}" version ${source.currentVersion}`,
        },
        // A copy is a new pipeline; `from` says which pipeline and version it was copied from.
        auditPipeline(auth, "pipeline.created", (w) => ({ version: w.version, from: { pipelineId: source.id, version: source.currentVersion } })),
      );
      return { status: 201, body: copy };
    },
  });
