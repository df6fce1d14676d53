import { z } from "zod";
import { runHistorySchema } from "@sluice/model";
import type { Deps } from "../http/deps.ts";
import { defineRoute } from "../http/route.ts";
import { workspaceOf } from "../auth/request-auth.ts";

export const runHistoryRoutes = (deps: Pick<Deps, "runHistory">) => [
  defineRoute({
    method: "get",
    path: "/run-history",
    tag: "runs",
    action: "workspace.read",
    summary:
      "Each pipeline's last N started runs (oldest first): start, duration in ms (null while running), rows written and status, for the runs dashboard's history chart; pipelineId narrows it to one pipeline",
    query: z.strictObject({
      runs: z.coerce.number().int().min(1).max(100).default(20),
      pipelineId: z.uuid("pipelineId is not a pipeline id").optional(),
    }),
    response: runHistorySchema,
    handler: async ({ query, auth }) => ({ body: await deps.runHistory.history(workspaceOf(auth), query.runs, query.pipelineId) }),
  }),
];
