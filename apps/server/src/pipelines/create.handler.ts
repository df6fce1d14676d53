import { createPipelineRequestSchema, pipelineDetailSchema } from "@sluice/model";
import type { Deps } from "../http/deps.ts";
import { defineRoute } from "../http/route.ts";

export const createPipelineRoute = (deps: Deps) =>
  defineRoute({
    method: "post",
    path: "/pipelines",
    tag: "pipelines",
    access: "write",
    summary: "Create a pipeline (version 1); an invalid graph is allowed as a draft",
    body: createPipelineRequestSchema,
    response: pipelineDetailSchema,
    status: 201,
    errors: [413, 415],
    handler: async ({ body }) => ({ status: 201, body: await deps.pipelines.create(body) }),
  });
