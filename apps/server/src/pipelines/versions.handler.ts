import { pipelineIdParamsSchema, pipelineVersionListSchema, pipelineVersionParamsSchema, pipelineVersionSchema } from "@sluice/model";
import type { Deps } from "../http/deps.ts";
import { AppError, notFound } from "../http/app-error.ts";
import { defineRoute } from "../http/route.ts";
import { workspaceOf } from "../auth/request-auth.ts";

export const listVersionsRoute = (deps: Deps) =>
  defineRoute({
    method: "get",
    path: "/pipelines/:id/versions",
    tag: "pipelines",
    action: "workspace.read",
    summary: "List a pipeline's versions, newest first",
    params: pipelineIdParamsSchema,
    response: pipelineVersionListSchema,
    errors: [404],
    handler: async ({ params, auth }) => {
      const versions = await deps.pipelines.versions(workspaceOf(auth), params.id);
      if (!versions) throw notFound("pipeline", params.id);
      return { body: { versions } };
    },
  });

export const getVersionRoute = (deps: Deps) =>
  defineRoute({
    method: "get",
    path: "/pipelines/:id/versions/:n",
    tag: "pipelines",
    action: "workspace.read",
    summary: "Get one version of a pipeline, read-only",
    params: pipelineVersionParamsSchema,
    response: pipelineVersionSchema,
    errors: [404],
    handler: async ({ params, auth }) => {
      const workspaceId = workspaceOf(auth);
      const v = await deps.pipelines.version(workspaceId, params.id, params.n);
      if (v) return { body: v };
      if (!(await deps.pipelines.get(workspaceId, params.id))) throw notFound("pipeline", params.id);
      throw new AppError(404, "VERSION_NOT_FOUND", `Pipeline ${params.id} has no version ${params.n}.`);
    },
  });
