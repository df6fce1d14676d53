import { z } from "zod";
import { qualityTrendSchema } from "@sluice/model";
import type { Deps } from "../http/deps.ts";
import { defineRoute } from "../http/route.ts";
import { workspaceOf } from "../auth/request-auth.ts";

export const qualityRoutes = (deps: Pick<Deps, "quality">) => [
  defineRoute({
    method: "get",
    path: "/quality/trend",
    tag: "runs",
    action: "workspace.read",
    summary: "Each pipeline's recent data quality outcomes (passed, warned, failed), from the runs that evaluated check rules",
    query: z.strictObject({ runs: z.coerce.number().int().min(1).max(50).default(10) }),
    response: qualityTrendSchema,
    handler: async ({ query, auth }) => ({ body: await deps.quality.trend(workspaceOf(auth), query.runs) }),
  }),
];
