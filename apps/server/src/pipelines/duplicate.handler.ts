import { duplicatePipelineRequestSchema, pipelineDetailSchema, pipelineIdParamsSchema } from "@sluice/model";
import type { Deps } from "../http/deps.ts";
import { notFound } from "../http/app-error.ts";
import { defineRoute } from "../http/route.ts";
import { refuseSecretHeaders } from "./secret-headers.ts";

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
    handler: async ({ params, body }) => {
      const source = await deps.pipelines.get(params.id);
      if (!source) throw notFound("pipeline", params.id);
      refuseSecretHeaders(source.graph, `"${source.name}"`);
      const copy = await deps.pipelines.create({
        name: body.name ?? `${source.name} (copy)`,
        description: source.description,
        graph: source.graph,
        message: `Duplicated from "${source.name}" version ${source.currentVersion}`,
      });
      return { status: 201, body: copy };
    },
  });
