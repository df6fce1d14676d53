import { createPipelineRequestSchema, pipelineDetailSchema } from "@sluice/model";
import type { Deps } from "../http/deps.ts";
import { defineRoute } from "../http/route.ts";
import { refuseSecretHeaders } from "./secret-headers.ts";
import { auditPipeline } from "./pipeline-audit.ts";
import { workspaceOf } from "../auth/request-auth.ts";
import { loadRequestGraph } from "./load-graph.ts";

export const createPipelineRoute = (deps: Deps) =>
  defineRoute({
    method: "post",
    path: "/pipelines",
    tag: "pipelines",
    action: "pipeline.edit",
    summary: "Create a pipeline (version 1); an invalid graph is allowed as a draft",
    body: createPipelineRequestSchema,
    response: pipelineDetailSchema,
    status: 201,
    errors: [400, 413, 415],
    handler: async ({ body, auth }) => {
      // Older files are migrated first, so the secret check and the store see the current settings.
      const graph = body.graph && loadRequestGraph(body.graph).graph;
      refuseSecretHeaders(graph);
      return { status: 201, body: await deps.pipelines.create(workspaceOf(auth), { ...body, graph }, auditPipeline(auth, "pipeline.created", (w) => ({ version: w.version }))) };
    },
  });
