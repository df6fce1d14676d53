import { pipelineListSchema } from "@sluice/model";
import type { Deps } from "../http/deps.ts";
import { defineRoute } from "../http/route.ts";
import { workspaceOf } from "../auth/request-auth.ts";

export const listPipelinesRoute = (deps: Deps) =>
  defineRoute({
    method: "get",
    path: "/pipelines",
    tag: "pipelines",
    action: "workspace.read",
    summary: "List pipelines, most recently changed first, with each one's last run",
    response: pipelineListSchema,
    handler: async ({ auth }) => ({ body: { pipelines: await deps.pipelines.list(workspaceOf(auth)) } }),
  });
