import { previewRequestSchema, previewResponseSchema } from "@sluice/model";
import { previewCaller } from "./preview.facade.ts";
import type { Deps } from "../http/deps.ts";
import { defineRoute } from "../http/route.ts";
import { workspaceOf } from "../auth/request-auth.ts";
import { refuseUnsavedHttpWrites } from "../pipelines/unsaved-http-writes.ts";

export const previewRoutes = (deps: Pick<Deps, "previews" | "pipelines">) => [
  defineRoute({
    method: "post",
    path: "/preview",
    tag: "preview",
    action: "pipeline.preview",
    summary:
      "Rows, column profile and timing at one node of an unsaved graph, with the workspace's files and connections; never writes to a sink. Previews run one at a time, each for at most 30 s; a caller may have 8 waiting or running (429 past that), and one whose client went away is stopped",
    body: previewRequestSchema,
    response: previewResponseSchema,
    errors: [403, 422, 429],
    handler: async ({ body, auth, res }) => {
      await refuseUnsavedHttpWrites(deps.pipelines, auth, body.graph);
      return { body: await deps.previews.previewNode(workspaceOf(auth), body, previewCaller(auth, res)) };
    },
  }),
];
