import { previewRequestSchema, previewResponseSchema } from "@sluice/model";
import type { Deps } from "../http/deps.ts";
import { defineRoute } from "../http/route.ts";
import { workspaceOf } from "../auth/request-auth.ts";

export const previewRoutes = (deps: Pick<Deps, "previews">) => [
  defineRoute({
    method: "post",
    path: "/preview",
    tag: "preview",
    action: "pipeline.preview",
    summary: "Rows, column profile and timing at one node of an unsaved graph, with the workspace's files and connections; never writes to a sink",
    body: previewRequestSchema,
    response: previewResponseSchema,
    errors: [422],
    handler: async ({ body, auth }) => ({ body: await deps.previews.previewNode(workspaceOf(auth), body) }),
  }),
];
