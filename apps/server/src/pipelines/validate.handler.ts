import { validateRequestSchema, validateResponseSchema } from "@sluice/model";
import type { Deps } from "../http/deps.ts";
import { defineRoute } from "../http/route.ts";

export const validatePipelineRoute = (deps: Deps) =>
  defineRoute({
    method: "post",
    path: "/pipelines/validate",
    tag: "pipelines",
    action: "pipeline.preview",
    summary: "Check a graph: every problem at once, and the output columns of every node",
    body: validateRequestSchema,
    response: validateResponseSchema,
    handler: async ({ body }) => ({ body: await deps.validation.validate(body.graph) }),
  });
