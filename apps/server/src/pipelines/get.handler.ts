import { pipelineDetailSchema, pipelineIdParamsSchema } from "@sluice/model";
import type { Deps } from "../http/deps.ts";
import { notFound } from "../http/app-error.ts";
import { defineRoute } from "../http/route.ts";
import { workspaceOf } from "../auth/request-auth.ts";

export const getPipelineRoute = (deps: Deps) =>
  defineRoute({
    method: "get",
    path: "/pipelines/:id",
    tag: "pipelines",
    action: "workspace.read",
    summary: "Get a pipeline with the graph of its current version",
    params: pipelineIdParamsSchema,
    response: pipelineDetailSchema,
    errors: [404],
    handler: async ({ params, auth }) => {
      const p = await deps.pipelines.get(workspaceOf(auth), params.id);
      if (!p) throw notFound("pipeline", params.id);
      return { body: p };
    },
  });
