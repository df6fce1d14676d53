import { backfillIdParamsSchema, backfillListQuerySchema, backfillListSchema, backfillSchema, pipelineIdParamsSchema, retryBackfillResponseSchema, startBackfillRequestSchema } from "@sluice/model";
import type { Deps } from "../http/deps.ts";
import { notFound } from "../http/app-error.ts";
import { defineRoute } from "../http/route.ts";
import { workspaceOf } from "../auth/request-auth.ts";

export const backfillRoutes = (deps: Pick<Deps, "backfills">) => [
  defineRoute({
    method: "post",
    path: "/pipelines/:id/backfills",
    tag: "backfills",
    action: "run.start",
    summary: `Backfill a date range: one run per day, week or month, each with its date in the named date or timestamp parameter, at most \`concurrency\` at once; 400 says what to fix (unknown or non-date parameter, reversed range, more than 1,000 slots, an incremental source)`,
    params: pipelineIdParamsSchema,
    body: startBackfillRequestSchema,
    response: backfillSchema,
    status: 202,
    errors: [400, 404, 422],
    handler: async ({ params, body, auth }) => ({ status: 202, body: await deps.backfills.service.start(workspaceOf(auth), auth, params.id, body) }),
  }),
  defineRoute({
    method: "get",
    path: "/backfills",
    tag: "backfills",
    action: "workspace.read",
    summary: "The workspace's newest 20 backfills (of one pipeline when given), each with its slots and progress",
    query: backfillListQuerySchema,
    response: backfillListSchema,
    handler: async ({ query, auth }) => ({ body: { backfills: await deps.backfills.repository.list(workspaceOf(auth), query.pipelineId) } }),
  }),
  defineRoute({
    method: "get",
    path: "/backfills/:id",
    tag: "backfills",
    action: "workspace.read",
    summary: "A backfill with every slot's newest run and the counts by status",
    params: backfillIdParamsSchema,
    response: backfillSchema,
    errors: [404],
    handler: async ({ params, auth }) => {
      const b = await deps.backfills.repository.get(workspaceOf(auth), params.id);
      if (!b) throw notFound("backfill", params.id);
      return { body: b };
    },
  }),
  defineRoute({
    method: "post",
    path: "/backfills/:id/retry-failed",
    tag: "backfills",
    action: "run.start",
    summary: "Run the failed and cancelled slots of a backfill again (only those); 409 when none failed",
    params: backfillIdParamsSchema,
    response: retryBackfillResponseSchema,
    status: 202,
    errors: [400, 404, 409, 422],
    handler: async ({ params, auth }) => ({ status: 202, body: { runIds: await deps.backfills.service.retryFailed(workspaceOf(auth), auth, params.id) } }),
  }),
];
