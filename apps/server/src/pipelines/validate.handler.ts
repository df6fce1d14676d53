import { validateRequestSchema, validateResponseSchema } from "@sluice/model";
import type { Deps } from "../http/deps.ts";
import { defineRoute } from "../http/route.ts";
import { workspaceOf } from "../auth/request-auth.ts";

export const validatePipelineRoute = (deps: Deps) =>
  defineRoute({
    method: "post",
    path: "/pipelines/validate",
    tag: "pipelines",
    action: "pipeline.preview",
    summary: "Check a graph: every problem at once, and the output columns of every node",
    body: validateRequestSchema,
    response: validateResponseSchema,
    handler: async ({ body, auth }) => ({ body: await deps.validation.validate(workspaceOf(auth), body.graph) }),
  });
